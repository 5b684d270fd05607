"""A due date counted through a year whose holiday schedule is not entered is shown as provisional
(暂定) wherever it appears: the rule (domain), the shared template tags, a case's pages and the API.
The calendar here is known to 2026 only, as chinesecalendar leaves it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.template import Context, Template

from onewindow.cases.models import Case
from onewindow.cases.tests.factories import accepted_case, published_bundle, published_matter
from onewindow.workdays import selectors
from onewindow.workdays.domain import WorkCalendar, add_working_days, is_provisional
from onewindow.workdays.models import CalendarYear
from onewindow.workdays.services import calendar_year_save

KNOWN_TO_2026 = WorkCalendar(known_years=frozenset({2025, 2026}))
MARK = "待公布2027年节假日安排"


def test_a_date_in_a_year_without_a_schedule_is_provisional_and_one_in_a_known_year_is_not() -> None:
    assert is_provisional(dt.date(2027, 1, 8), KNOWN_TO_2026)
    assert not is_provisional(dt.date(2026, 12, 31), KNOWN_TO_2026)
    entered = WorkCalendar(known_years=KNOWN_TO_2026.known_years | {2027})
    assert not is_provisional(dt.date(2027, 1, 8), entered)


def test_the_rule_agrees_with_the_deadline_counted_from_its_start() -> None:
    for start in (dt.date(2026, 11, 2), dt.date(2026, 12, 10), dt.date(2027, 2, 1)):
        deadline = add_working_days(start, 20, KNOWN_TO_2026)
        assert is_provisional(deadline.on, KNOWN_TO_2026) == deadline.provisional


@pytest.fixture
def known_to_2026(db: Any) -> None:
    """The seeded calendar, with any later year not (yet) published."""
    CalendarYear.objects.filter(year__gte=2027).update(is_published=False)
    selectors.work_calendar_clear_cache()


def enter_2027() -> None:
    calendar_year_save(
        actor=None, year=2027, is_published=True, published_by="国务院办公厅关于2027年部分节假日安排的通知"
    )


def render(text: str, **context: Any) -> str:
    return Template("{% load workdays_tags %}" + text).render(Context(context))


def test_the_tags_mark_a_provisional_date_and_say_why(known_to_2026: None) -> None:
    later, known = dt.date(2027, 1, 8), dt.date(2026, 12, 31)

    badge = render("{% due_date on %}", on=later)
    assert badge.startswith("2027-01-08 ") and "暂定" in badge and MARK in badge
    assert render("{% due_date on %}", on=known) == "2026-12-31"
    assert render("{% due_date on %}", on=None) == "—"
    assert "（暂按周末推算，待公布2027年节假日安排）" in render("{% due_date on explain=True %}", on=later)
    assert render("{% provisional_note on %}", on=later) == "（暂按周末推算，待公布2027年节假日安排）"
    assert render("{% provisional_note on %}", on=known) == ""

    enter_2027()
    assert render("{% due_date on %}", on=later) == "2027-01-08"


def test_a_page_reads_the_calendar_once_however_many_dates_it_marks(known_to_2026: None) -> None:
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    def queries(count: int) -> int:
        dates = [dt.date(2027, 1, 4) + dt.timedelta(days=n) for n in range(count)]
        context = Context({"dates": dates, "request": RequestFactory().get("/")})
        with CaptureQueriesContext(connection) as captured:
            html = Template("{% load workdays_tags %}{% for on in dates %}{% due_date on %}{% endfor %}").render(
                context
            )
        assert html.count("ow-provisional") == count
        return len(captured)

    selectors.work_calendar()  # loaded in the process: what is left is the revision check
    assert queries(20) == queries(1) == 1


@pytest.fixture
def cases(known_to_2026: None) -> tuple[Case, Case]:
    """A case due in 2026, and one submitted and accepted at the end of December: it and its tasks are
    due in 2027 (its intake limit too)."""
    with time_machine.travel(dt.datetime(2026, 9, 1, 2, tzinfo=dt.UTC), tick=False):
        in_2026 = accepted_case(matter_version=published_matter())
    with time_machine.travel(dt.datetime(2026, 12, 28, 2, tzinfo=dt.UTC), tick=False):
        in_2027 = accepted_case(bundle_version=published_bundle())
    assert in_2026.due_on is not None and in_2026.due_on.year == 2026
    assert in_2027.due_on is not None and in_2027.due_on.year == 2027
    assert {task.due_on.year for task in in_2027.tasks.all()} == {2027}
    return in_2026, in_2027


def page(client: Any, case: Case) -> str:
    assert case.applicant.user is not None
    client.force_login(case.applicant.user)
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def api(client: Any, case: Case) -> dict[str, Any]:
    assert case.applicant.user is not None
    client.force_login(case.applicant.user)
    response = client.get(f"/api/cases/cases/{case.pk}")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_a_case_due_in_a_year_without_a_schedule_is_marked_on_its_page(client: Any, cases: tuple[Case, Case]) -> None:
    in_2026, in_2027 = cases

    assert MARK not in page(client, in_2026)
    html = page(client, in_2027)
    assert f"{in_2027.due_on:%Y-%m-%d} " in html and "ow-provisional" in html and MARK in html


def test_the_api_carries_a_provisional_flag_beside_each_due_date(client: Any, cases: tuple[Case, Case]) -> None:
    in_2026, in_2027 = cases

    known = api(client, in_2026)
    assert known["due_on_provisional"] is False and known["intake_due_on_provisional"] is False
    assert {task["due_on_provisional"] for task in known["tasks"]} == {False}
    provisional = api(client, in_2027)
    assert provisional["due_on"].startswith("2027-") and provisional["due_on_provisional"] is True
    assert provisional["intake_due_on"].startswith("2027-") and provisional["intake_due_on_provisional"] is True
    assert {task["due_on_provisional"] for task in provisional["tasks"]} == {True}
    listed = client.get("/api/cases/cases").json()["items"]
    assert [item["due_on_provisional"] for item in listed] == [True]


def test_entering_the_schedule_removes_the_mark(client: Any, cases: tuple[Case, Case]) -> None:
    _, in_2027 = cases

    enter_2027()

    assert MARK not in page(client, in_2027)
    body = api(client, in_2027)
    assert body["due_on_provisional"] is False
    assert {task["due_on_provisional"] for task in body["tasks"]} == {False}
