"""The scoped reads: who sees which case, the order of the work lists, counts, rates, query budgets."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from onewindow.cases import presentation, selectors
from onewindow.cases.domain import CaseStatus, TaskStatus, WarningLevel
from onewindow.cases.models import CaseDepartment, ClockStop, Task, TimelineEntry
from onewindow.cases.selectors import board as board_selectors
from onewindow.cases.tests.factories import (
    accepted_case,
    applicant_with_user,
    clerk_for,
    department,
    published_matter,
    region,
    reviewer_for,
    submitted_case,
)
from onewindow.cases.tests.test_permissions import World, build_world, make_case
from onewindow.errors import InvalidFields, NotFound, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Membership
from onewindow.orgs.selectors import user_forget_memberships
from onewindow.orgs.tests.factories import staff
from onewindow.workdays.domain import WorkCalendar

pytestmark = pytest.mark.django_db

NO_HOLIDAYS = WorkCalendar(holidays=frozenset(), makeup_workdays=frozenset(), known_years=frozenset({2026}))


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


# --- one case -------------------------------------------------------------------------------------


def test_forbidden_and_missing_cases_raise_the_same_not_found(world: World) -> None:
    other = world.users["other_clerk"]
    with pytest.raises(NotFound) as forbidden:
        selectors.case_get_for_user(user=other, case_id=world.case.pk)
    with pytest.raises(NotFound) as missing:
        selectors.case_get_for_user(user=other, case_id=world.case.pk + 1000)
    assert (forbidden.value.code, forbidden.value.message) == (missing.value.code, missing.value.message)
    assert forbidden.value.code == "case_not_found"


def test_a_reviewer_sees_a_case_of_another_region_through_their_task(world: World) -> None:
    """A department of another district that reviews the case sees it; its other cases stay hidden."""
    outside = department(world.other_district)
    reviewer = reviewer_for(outside)
    Task.objects.create(
        case=world.case,
        case_matter=world.task.case_matter,
        department=outside,
        kind=Task.Kind.POST_CHECK,
        started_on=timezone.localdate(),
        limit_days=5,
        due_on=timezone.localdate(),
    )
    assert selectors.case_get_for_user(user=reviewer, case_id=world.case.pk) == world.case


def test_staff_do_not_see_an_applicants_draft(world: World) -> None:
    draft, _ = make_case(applicant=world.applicant, department=world.department, status=CaseStatus.DRAFT)
    assert selectors.case_get_for_user(user=world.users["applicant"], case_id=draft.pk) == draft
    with pytest.raises(NotFound):
        selectors.case_get_for_user(user=world.users["clerk"], case_id=draft.pk)


def test_an_inactive_user_sees_nothing(world: World) -> None:
    applicant = world.users["applicant"]
    applicant.is_active = False
    applicant.save()
    with pytest.raises(NotFound):
        selectors.case_get_for_user(user=applicant, case_id=world.case.pk)


def test_applicants_see_public_timeline_rows_only(world: World) -> None:
    applicant_rows = selectors.case_timeline(user=world.users["applicant"], case=world.case)
    staff_rows = selectors.case_timeline(user=world.users["clerk"], case=world.case)
    assert [row.action for row in applicant_rows] == ["case_submit"]
    assert [row.action for row in staff_rows] == ["case_submit", "task_note"]


def test_my_cases_are_newest_first_with_drafts(world: World) -> None:
    draft, _ = make_case(applicant=world.applicant, department=world.department, status=CaseStatus.DRAFT)
    assert list(selectors.cases_for_applicant_user(world.users["applicant"])) == [draft, world.case]
    assert list(selectors.cases_for_applicant_user(world.users["other_applicant"])) == []


# --- work lists -----------------------------------------------------------------------------------


def test_intake_queue_is_the_clerks_region_subtree_most_urgent_first(world: World) -> None:
    today = timezone.localdate()
    street = region(parent=world.district, level="street")
    later, _ = make_case(
        applicant=world.applicant,
        department=department(street),
        status=CaseStatus.SUBMITTED,
        task_status=None,
        intake_due_on=today + dt.timedelta(days=5),
    )
    sooner, _ = make_case(
        applicant=world.applicant,
        department=world.department,
        status=CaseStatus.CORRECTION,
        task_status=None,
        intake_due_on=today + dt.timedelta(days=1),
    )
    green, _ = make_case(
        applicant=world.applicant,
        department=world.department,
        status=CaseStatus.SUBMITTED,
        task_status=None,
        green=True,
        intake_due_on=today + dt.timedelta(days=6),
    )
    make_case(applicant=world.applicant, department=department(world.other_district), status=CaseStatus.SUBMITTED)
    assert list(selectors.intake_queue(user=world.users["clerk"])) == [green, sooner, later]
    assert list(selectors.intake_queue(user=clerk_for(street))) == [later]


def test_intake_queue_is_for_clerks(world: World) -> None:
    with pytest.raises(PermissionDenied) as refused:
        selectors.intake_queue(user=world.users["assigned_reviewer"])
    assert refused.value.code == "not_a_clerk"


def test_todo_is_red_then_yellow_then_by_due_date(world: World) -> None:
    reviewer = world.users["assigned_reviewer"]
    tasks = {"normal_soon": world.task}
    Task.objects.filter(pk=world.task.pk).update(due_on=timezone.localdate() + dt.timedelta(days=2))
    for name, warning, days in [("red", "red", 30), ("yellow_late", "yellow", 9), ("yellow_early", "yellow", 4)]:
        _, tasks[name] = make_case(
            applicant=world.applicant, department=world.department, warning=warning, due_in_days=days
        )
    _, someone_elses = make_case(
        applicant=world.applicant, department=world.department, assignee=reviewer_for(world.department)
    )
    _, done = make_case(applicant=world.applicant, department=world.department, task_status=TaskStatus.APPROVED)
    todo = list(selectors.tasks_todo(user=reviewer))
    assert todo == [tasks["red"], tasks["yellow_early"], tasks["yellow_late"], tasks["normal_soon"]]
    assert someone_elses not in todo and done not in todo


def test_todo_and_board_put_the_green_channel_first_within_a_warning_level(world: World) -> None:
    Task.objects.filter(pk=world.task.pk).update(due_on=timezone.localdate() + dt.timedelta(days=2))
    _, green = make_case(applicant=world.applicant, department=world.department, green=True, due_in_days=20)
    _, red = make_case(applicant=world.applicant, department=world.department, warning="red", due_in_days=30)
    expected = [red, green, world.task]
    assert list(selectors.tasks_todo(user=world.users["assigned_reviewer"])) == expected
    assert list(selectors.supervision_board(user=world.users["supervisor"]).tasks) == expected


def test_suspended_tasks_stay_on_the_todo_list(world: World) -> None:
    Task.objects.filter(pk=world.task.pk).update(status=TaskStatus.SUSPENDED)
    assert list(selectors.tasks_todo(user=world.users["assigned_reviewer"])) == [world.task]


def test_done_lists_the_tasks_this_user_acted_on_latest_first(world: World) -> None:
    reviewer = world.users["assigned_reviewer"]
    _, second = make_case(applicant=world.applicant, department=world.department)
    now = timezone.now()
    TimelineEntry.objects.create(case=world.case, task=world.task, at=now, actor=reviewer, action="task_approve")
    TimelineEntry.objects.create(
        case=second.case, task=second, at=now + dt.timedelta(minutes=5), actor=reviewer, action="task_reject"
    )
    TimelineEntry.objects.create(case=world.case, task=world.task, at=now, actor=world.users["clerk"], action="x")
    assert list(selectors.tasks_done(user=reviewer)) == [second, world.task]
    assert list(selectors.tasks_done(user=world.users["other_reviewer"])) == []


@pytest.mark.parametrize("who", ["applicant", "clerk", "supervisor"])
def test_task_lists_are_for_department_staff(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        selectors.tasks_todo(user=world.users[who])


# --- supervision ----------------------------------------------------------------------------------


def test_board_counts_per_warning_level_within_the_subtree(world: World) -> None:
    for warning in ["red", "yellow", "yellow"]:
        make_case(applicant=world.applicant, department=world.other_department, warning=warning)
    make_case(applicant=world.applicant, department=department(world.other_district), warning="red")
    make_case(applicant=world.applicant, department=world.department, status=CaseStatus.COMPLETED, task_status=None)
    board = selectors.supervision_board(user=world.users["supervisor"])
    assert board.task_counts == {"normal": 1, "yellow": 2, "red": 1, "total": 4}
    assert board.case_counts == {"normal": 1, "yellow": 2, "red": 1, "total": 4}
    assert [task.warning_level for task in board.tasks][:1] == ["red"]


def test_the_board_shows_a_case_of_another_region_once_one_of_its_departments_reviews_it() -> None:
    home, elsewhere = region(), region()
    supervisor = staff(Role.SUPERVISOR, home)
    reviewing = accepted_case(matter_version=published_matter(department=department(home)))
    reviewing.region = elsewhere
    reviewing.save(update_fields=["region"])
    not_yet = submitted_case(matter_version=published_matter(department=department(home)))
    not_yet.region = elsewhere
    not_yet.save(update_fields=["region"])
    board = selectors.supervision_board(user=supervisor)
    assert list(board.cases) == [reviewing]
    assert board.case_counts["total"] == 1 and not board.case_counts_capped


def test_board_case_counts_stop_at_the_cap(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(board_selectors, "CASE_COUNT_CAP", 2)
    for _ in range(3):
        make_case(applicant=world.applicant, department=world.department, warning="red")
    board = selectors.supervision_board(user=world.users["supervisor"])
    assert board.case_counts["red"] == 2 and board.case_counts_capped
    assert board.cases.filter(warning_level="red").count() == 3


def test_board_case_counts_add_the_cases_of_other_regions_up_to_the_cap(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(board_selectors, "CASE_COUNT_CAP", 3)
    elsewhere = department(world.other_district)
    for _ in range(2):  # another region's cases, reviewed by a department of the supervisor's district
        case, _task = make_case(applicant=world.applicant, department=elsewhere, warning="red")
        CaseDepartment.objects.create(case=case, department=world.department)
    supervisor = world.users["supervisor"]
    make_case(applicant=world.applicant, department=world.department, warning="red")
    assert selectors.supervision_board(user=supervisor).case_counts == {"red": 3, "yellow": 0, "normal": 1, "total": 4}
    make_case(applicant=world.applicant, department=world.department, warning="red")
    board = selectors.supervision_board(user=supervisor)
    assert board.case_counts["red"] == 3 and board.case_counts_capped
    assert board.cases.filter(warning_level="red").count() == 4


def test_the_board_task_pages_count_with_the_task_counts(world: World, django_assert_num_queries: Any) -> None:
    make_case(applicant=world.applicant, department=world.other_department, warning="yellow")
    board = selectors.supervision_board(user=world.users["supervisor"])
    with django_assert_num_queries(0):
        assert board.tasks.count() == board.task_counts["total"] == 2
    with django_assert_num_queries(1):
        assert board.tasks.filter(warning_level="yellow").count() == 1


def test_board_filters_by_department_matter_and_organisation(world: World) -> None:
    other_case, other_task = make_case(applicant=world.applicant, department=world.other_department)
    supervisor = world.users["supervisor"]
    by_department = selectors.supervision_board(user=supervisor, department=world.other_department)
    assert list(by_department.tasks) == [other_task] and list(by_department.cases) == [other_case]
    matter = world.case.matter_version.matter
    by_matter = selectors.supervision_board(user=supervisor, matter=matter)
    assert list(by_matter.tasks) == [world.task] and list(by_matter.cases) == [world.case]
    by_organisation = selectors.supervision_board(user=supervisor, organisation=world.department)
    assert list(by_organisation.tasks) == [world.task]


def test_board_refuses_an_organisation_outside_the_supervisors_subtree(world: World) -> None:
    with pytest.raises(NotFound) as refused:
        selectors.supervision_board(user=world.users["supervisor"], organisation=world.other_district)
    assert refused.value.code == "organisation_not_in_scope"


def test_board_filters_report_every_unknown_code_at_once(world: World) -> None:
    with pytest.raises(InvalidFields) as refused:
        selectors.board_filters(organisation="nope", department=world.district.code, matter="none")
    assert set(refused.value.errors) == {"organisation", "department", "matter"}
    assert "未找到" in refused.value.errors["matter"]


def test_on_time_rate_counts_decisions_by_their_shanghai_day(world: World) -> None:
    due = dt.date(2026, 11, 20)
    # 23:30 in Shanghai on the due day is still on time, although it is 15:30 UTC.
    on_time = dt.datetime(2026, 11, 20, 15, 30, tzinfo=dt.UTC)
    late = dt.datetime(2026, 11, 20, 16, 30, tzinfo=dt.UTC)  # 00:30 the next day in Shanghai
    Task.objects.filter(pk=world.task.pk).update(status=TaskStatus.APPROVED, due_on=due, decided_at=on_time)
    _, second = make_case(applicant=world.applicant, department=world.department)
    Task.objects.filter(pk=second.pk).update(status=TaskStatus.REJECTED, due_on=due, decided_at=late)
    make_case(applicant=world.applicant, department=world.department)  # still open: not counted
    [rate] = selectors.department_on_time_rate(user=world.users["supervisor"])
    assert (rate.department, rate.decided_count, rate.on_time_count, rate.rate) == (world.department, 2, 1, 0.5)
    assert selectors.department_on_time_rate(user=world.users["supervisor"], since=dt.date(2026, 11, 22)) == []
    assert selectors.department_on_time_rate(user=world.users["other_supervisor"]) == []


# --- remaining days -------------------------------------------------------------------------------


def test_remaining_days_freeze_while_the_clock_is_stopped() -> None:
    due = dt.date(2026, 11, 30)  # a Monday
    running = presentation.remaining_days(today=dt.date(2026, 11, 23), due_on=due, calendar=NO_HOLIDAYS)
    assert running == 5
    stopped_on_tuesday = {"open_since": dt.date(2026, 11, 24), "calendar": NO_HOLIDAYS, "due_on": due}
    assert presentation.remaining_days(today=dt.date(2026, 11, 24), **stopped_on_tuesday) == 5
    assert presentation.remaining_days(today=dt.date(2026, 12, 15), **stopped_on_tuesday) == 5


def test_overdue_tasks_show_red_and_open_stops_show_suspended(world: World) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC), tick=False):
        Task.objects.filter(pk=world.task.pk).update(due_on=dt.date(2026, 11, 19))
        task = Task.objects.get(pk=world.task.pk)
        progress = presentation.task_progress(task, today=timezone.localdate(), calendar=NO_HOLIDAYS)
        assert (progress.remaining_days, progress.level, progress.overdue_days) == (-2, WarningLevel.RED, 2)
        ClockStop.objects.create(case=world.case, task=task, reason="expert_review", first_on=dt.date(2026, 11, 18))
        stopped = presentation.task_progress(task, today=timezone.localdate(), calendar=NO_HOLIDAYS)
        # Stopped on Wednesday the 18th: frozen at what was left that morning (the 18th and the 19th).
        assert stopped.is_suspended and stopped.remaining_days == 2


# --- query budgets --------------------------------------------------------------------------------


def _more_cases(world: World, n: int) -> None:
    for i in range(n):
        case, task = make_case(applicant=world.applicant, department=world.department, warning="yellow")
        ClockStop.objects.create(case=case, task=task, reason="testing", first_on=timezone.localdate())
        TimelineEntry.objects.create(case=case, task=task, at=timezone.now(), actor=world.users["assigned_reviewer"])
        if i % 2:
            Task.objects.filter(pk=task.pk).update(assignee=world.users["assigned_reviewer"])


@pytest.mark.parametrize("n", [1, 8])
def test_work_lists_cost_a_fixed_number_of_queries(world: World, n: int, django_assert_max_num_queries: Any) -> None:
    _more_cases(world, n)
    reviewer, supervisor, applicant = (world.users[k] for k in ("assigned_reviewer", "supervisor", "applicant"))
    clerk = world.users["clerk"]
    with django_assert_max_num_queries(5):
        assert len(presentation.task_rows(selectors.tasks_todo(user=reviewer)[:20], calendar=NO_HOLIDAYS)) == n + 1
    with django_assert_max_num_queries(5):
        assert len(presentation.task_rows(selectors.tasks_done(user=reviewer)[:20], calendar=NO_HOLIDAYS)) == n
    with django_assert_max_num_queries(4):
        rows = presentation.case_rows(selectors.cases_for_applicant_user(applicant)[:20], calendar=NO_HOLIDAYS)
        assert len(rows) == n + 1
    with django_assert_max_num_queries(4):
        presentation.case_rows(selectors.cases_for_staff(clerk)[:20], calendar=NO_HOLIDAYS)
    with django_assert_max_num_queries(11):  # the case counts are three capped counts, one per level
        board = selectors.supervision_board(user=supervisor)
        presentation.task_rows(board.tasks[:20], calendar=NO_HOLIDAYS)
        presentation.case_rows(board.cases[:20], calendar=NO_HOLIDAYS)
    with django_assert_max_num_queries(4):
        selectors.department_on_time_rate(user=supervisor)


def test_one_supervisor_of_two_districts_sees_both(world: World) -> None:
    supervisor = world.users["supervisor"]
    Membership.objects.create(user=supervisor, organisation=world.other_district, role=Role.SUPERVISOR)
    user_forget_memberships(supervisor)
    make_case(applicant=applicant_with_user(), department=department(world.other_district))
    assert selectors.supervision_board(user=supervisor).task_counts["total"] == 2
