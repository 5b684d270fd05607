"""效能监察: the periodic job keeps every open case's and task's warning level current."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from onewindow.cases.domain import WarningLevel, frozen_remaining_days
from onewindow.cases.models import Case, Task
from onewindow.cases.services import review
from onewindow.cases.services.supervision import warning_levels_refresh
from onewindow.cases.tasks import schedules
from onewindow.cases.tests.factories import accepted_case, reviewer_for, submitted_case
from onewindow.jobs.schedules import Schedule
from onewindow.workdays.domain import Suspension, WorkCalendar

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2026, 3, 2)
THURSDAY, FRIDAY, NEXT_TUESDAY = dt.date(2026, 3, 5), dt.date(2026, 3, 6), dt.date(2026, 3, 10)
NORMAL, YELLOW, RED = WarningLevel.NORMAL, WarningLevel.YELLOW, WarningLevel.RED


@pytest.fixture(autouse=True)
def on_monday(time_machine):
    time_machine.move_to(dt.datetime.combine(MONDAY, dt.time(10), tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def case():
    """Accepted on Monday 2 March: its task is due Monday 9 March (5 working days), the case on 30 March."""
    return accepted_case()


def level(obj) -> str:
    obj.refresh_from_db()
    return obj.warning_level


def test_a_task_turns_yellow_when_at_most_a_fifth_of_its_limit_is_left(case):
    task = case.tasks.get()
    warning_levels_refresh(today=THURSDAY)  # 2 of 5 working days left
    assert level(task) == NORMAL
    warning_levels_refresh(today=FRIDAY)  # 1 of 5 left
    assert level(task) == YELLOW


def test_an_overdue_task_turns_red(case):
    task = case.tasks.get()
    counts = warning_levels_refresh(today=NEXT_TUESDAY)
    assert level(task) == RED
    assert counts["tasks"] == {"normal": 0, "yellow": 0, "red": 1, "changed": 1}


def test_an_overdue_case_turns_red_on_its_own_limit(case):
    warning_levels_refresh(today=dt.date(2026, 3, 31))
    assert level(case) == RED


def test_an_open_clock_stop_freezes_the_remaining_days(case):
    task = case.tasks.get()
    review.task_request_supplement(actor=reviewer_for(task.department), task=task, items=["产权证明"])
    warning_levels_refresh(today=dt.date(2026, 4, 20))  # weeks later, still waiting for the applicant
    assert level(task) == NORMAL  # as on the stop's first day: 5 of 5 left
    assert level(case) == NORMAL


def test_only_rows_whose_level_changed_are_written(case):
    first = warning_levels_refresh(today=FRIDAY)
    assert first["tasks"]["changed"] == 1 and first["cases"]["changed"] == 0
    again = warning_levels_refresh(today=FRIDAY)
    assert again["tasks"] == {"normal": 0, "yellow": 1, "red": 0, "changed": 0}
    assert again["cases"] == {"normal": 1, "yellow": 0, "red": 0, "changed": 0}


def test_decided_tasks_and_completed_cases_are_left_alone(case):
    task = case.tasks.get()
    review.task_approve(actor=reviewer_for(task.department), task=task)  # the single case completes
    counts = warning_levels_refresh(today=NEXT_TUESDAY)
    assert counts["tasks"]["red"] == counts["cases"]["red"] == 0
    assert level(task) == NORMAL


def test_a_case_waiting_for_intake_warns_on_the_five_day_intake_limit():
    case = submitted_case()
    warning_levels_refresh(today=FRIDAY)  # intake due Monday 9 March: 1 of 5 left
    assert level(case) == YELLOW
    warning_levels_refresh(today=NEXT_TUESDAY)
    assert level(case) == RED


def test_the_yellow_share_is_configurable(case, settings):
    settings.CASES_WARNING_YELLOW_SHARE = 0.5
    warning_levels_refresh(today=THURSDAY)  # 2 of 5 left: at most half
    assert level(case.tasks.get()) == YELLOW


def test_batches_give_the_same_result_as_one_pass():
    case = accepted_case(bundle=True)
    counts = warning_levels_refresh(today=FRIDAY, batch_size=2)
    assert counts["tasks"] == {"normal": 0, "yellow": 3, "red": 0, "changed": 3}
    assert set(Task.objects.filter(case=case).values_list("warning_level", flat=True)) == {YELLOW}
    assert Case.objects.get(pk=case.pk).warning_level == NORMAL


def test_the_job_runs_every_ten_minutes():
    assert Schedule("cases.warning_levels_refresh", "*/10 * * * *", warning_levels_refresh) in schedules()


def test_remaining_days_freeze_while_a_stop_is_open_and_continue_after_it_closes():
    calendar = WorkCalendar(known_years=frozenset({2026}))  # weekends only, enough for March
    due = dt.date(2026, 3, 9)
    stopped_on = dt.date(2026, 3, 4)  # Wednesday: Thu, Fri, Mon left
    assert frozen_remaining_days(dt.date(2026, 3, 20), due, calendar, (), stopped_on) == 3
    # Closed on Wed 11 (last stopped day Tue 10): the due date moved by the 5 stopped working days.
    moved = dt.date(2026, 3, 16)
    closed = [Suspension(stopped_on, dt.date(2026, 3, 10))]
    assert frozen_remaining_days(dt.date(2026, 3, 11), moved, calendar, closed) == 3
