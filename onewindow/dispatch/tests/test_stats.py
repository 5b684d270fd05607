"""The figures the ranking and assessment compute with: monthly investment, report timeliness,
problems closed on time. Each is a fixed number of queries whatever the number of projects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onewindow.dispatch.domain import CycleKind, ProblemLevel, ProblemStatus
from onewindow.dispatch.models import DispatchCycle, Problem
from onewindow.dispatch.selectors import monthly_investment, problems_closed_on_time, report_timeliness
from onewindow.dispatch.services.problems import (
    NewProblem,
    problem_answer,
    problem_confirm,
    problem_raise,
    problems_escalate_overdue,
)
from onewindow.dispatch.services.reports import progress_report_submit
from onewindow.dispatch.tests.factories import World, progress_report, world
from onewindow.projects.domain import Phase
from onewindow.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def w() -> World:
    return world()


def report(w: World, amount: str, today: dt.date) -> None:
    progress_report_submit(
        actor=w.user("secretary"),
        project=w.project,
        invested_in_period=amount,
        progress_note="施工",
        workers=1,
        today=today,
    )


def test_monthly_investment_sums_the_periods_of_a_month_and_takes_its_year_to_date(
    w: World, django_assert_num_queries
) -> None:
    DispatchCycle.objects.create(region=w.east, kind=CycleKind.TEN_DAY)
    report(w, "10", D(2026, 1, 5))
    report(w, "20", D(2026, 1, 15))
    report(w, "30", D(2026, 1, 25))
    report(w, "5", D(2026, 3, 5))
    report(w, "99", D(2025, 12, 5))  # another year
    other = ProjectFactory(district=w.west)
    progress_report(other, w.user("secretary"), period_start=D(2026, 2, 1), period_end=D(2026, 2, 28), amount="7")

    with django_assert_num_queries(1):
        figures = monthly_investment(2026)

    assert figures[w.project.pk] == {1: (Decimal("60.00"), Decimal("60.00")), 3: (Decimal("5.00"), Decimal("65.00"))}
    assert figures[other.pk] == {2: (Decimal("7.00"), Decimal("7.00"))}
    assert monthly_investment(2026, project_ids=[other.pk]) == {other.pk: {2: (Decimal("7.00"), Decimal("7.00"))}}


def test_report_timeliness_per_district(w: World, django_assert_max_num_queries) -> None:
    DispatchCycle.objects.create(region=w.west, kind=CycleKind.TEN_DAY)
    west_project = ProjectFactory(district=w.west)
    ProjectFactory(district=w.west, phase=Phase.RESERVE)  # not under construction: nothing due
    secretary = w.user("secretary")
    progress_report(w.project, secretary, period_start=D(2026, 3, 1), period_end=D(2026, 3, 30))
    progress_report(west_project, secretary, period_start=D(2026, 3, 1), period_end=D(2026, 3, 10))
    progress_report(west_project, secretary, period_start=D(2026, 3, 11), period_end=D(2026, 3, 20), is_late=True)

    with django_assert_max_num_queries(3):
        figures = report_timeliness(D(2026, 3, 1), D(2026, 3, 31))

    assert (figures[w.east.pk].due, figures[w.east.pk].on_time) == (1, 1)
    assert (figures[w.west.pk].due, figures[w.west.pk].on_time) == (3, 1)
    assert figures[w.west.pk].rate == pytest.approx(1 / 3)


def test_problems_closed_on_time_per_unit_and_per_district(w: World, django_assert_num_queries) -> None:
    raise_on = D(2026, 3, 2)

    def raised(title: str, due: dt.date) -> Problem:
        new = NewProblem(category="land", title=title, unit=w.east_bureau, due_on=due)
        return problem_raise(actor=w.user("secretary"), project=w.project, new=new, today=raise_on)

    on_time, late_answer, escalated, still_open = (
        raised("按期", D(2026, 3, 10)),
        raised("逾期答复", D(2026, 3, 10)),
        raised("升级", D(2026, 3, 10)),
        raised("未办", D(2026, 4, 10)),
    )
    problem_answer(actor=w.user("unit_staff"), problem=on_time, answer="已办", today=D(2026, 3, 9))
    problem_confirm(actor=w.user("secretary"), problem=on_time, today=D(2026, 3, 20))  # confirmed later: still on time
    problem_answer(actor=w.user("unit_staff"), problem=late_answer, answer="已办", today=D(2026, 3, 11))  # a day late
    problems_escalate_overdue(today=D(2026, 3, 11))  # "升级" moves to the city's bureau with a new deadline
    problem_confirm(actor=w.user("secretary"), problem=late_answer, today=D(2026, 3, 12))
    escalated.refresh_from_db()

    with django_assert_num_queries(1):
        per_unit = problems_closed_on_time(D(2026, 3, 1), D(2026, 3, 31))
    per_district = problems_closed_on_time(D(2026, 3, 1), D(2026, 3, 31), per="district")

    assert escalated.level == ProblemLevel.CITY_DEPARTMENT and escalated.status == ProblemStatus.OPEN
    assert per_unit[w.east_bureau.pk] == (1, 3)  # three deadlines in March, one met
    assert per_unit[w.city_bureau.pk] == (0, 1)  # the escalated one's new deadline, not yet met
    assert per_district == {w.east.pk: (1, 3)}  # "未办" is due in April
    assert problems_closed_on_time(D(2026, 4, 1), D(2026, 4, 30), per="district") == {w.east.pk: (0, 1)}
    assert still_open.status == ProblemStatus.OPEN


def test_nothing_due_means_an_empty_answer() -> None:
    assert problems_closed_on_time(D(2026, 1, 1), D(2026, 1, 31)) == {}
    assert monthly_investment(2026) == {}
    assert report_timeliness(D(2026, 1, 1), D(2026, 1, 31)) == {}
