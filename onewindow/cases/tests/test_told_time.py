"""Told time (`onewindow.clock.told_at`): the demo's history goes through the real services and is dated
as it happened, while the audit trail keeps the real time it was written and still verifies."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from onewindow.audit.models import Event
from onewindow.cases.domain import CaseStatus, TaskStatus
from onewindow.cases.models import Case, TimelineEntry
from onewindow.cases.services import review
from onewindow.cases.services.intake import case_accept
from onewindow.cases.tests.factories import clerk_for, published_matter, reviewer_for, submitted_case
from onewindow.clock import told_at
from onewindow.workdays.domain import add_working_days
from onewindow.workdays.selectors import work_calendar

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
REAL = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)  # the day the history is loaded
PAST_MONDAY = dt.date(2026, 3, 2)  # a plain working week: Mon 2 … Fri 6, Mon 9 March 2026
TOLD = dt.datetime.combine(PAST_MONDAY, dt.time(10), tzinfo=SHANGHAI)


@pytest.fixture
def real_time(time_machine):
    time_machine.move_to(REAL, tick=False)


def _through_decision() -> Case:
    """A single-matter case submitted online, accepted, its task approved: the case is decided."""
    case = submitted_case(matter_version=published_matter(promised_limit_days=5))
    case = case_accept(actor=clerk_for(case.region), case=case)
    task = case.tasks.get()
    review.task_approve(actor=reviewer_for(task.department), task=task, opinion="符合规定")
    return Case.objects.get(pk=case.pk)


def test_a_case_told_on_a_past_monday_is_dated_that_day_while_its_audit_keeps_the_real_time(real_time):
    with told_at(TOLD):
        case = _through_decision()
    assert case.status == CaseStatus.COMPLETED
    assert case.submitted_at == TOLD
    assert case.created_at == TOLD
    assert case.number.split("-")[-2] == "20260302"
    assert (case.received_on, case.accepted_on) == (PAST_MONDAY, PAST_MONDAY)
    assert case.completed_at == TOLD
    task = case.tasks.get()
    assert task.status == TaskStatus.APPROVED
    assert task.started_on == PAST_MONDAY
    assert task.due_on == add_working_days(PAST_MONDAY, 5, work_calendar()).on == dt.date(2026, 3, 9)
    assert task.decided_at == TOLD
    timeline = list(TimelineEntry.objects.filter(case=case))
    assert len(timeline) >= 3
    assert {row.at for row in timeline} == {TOLD}
    events = Event.objects.filter(stream=f"case:{case.pk}")
    assert events.count() == len(timeline)
    assert {event.occurred_at for event in events} == {REAL}
    call_command("audit", "verify", stdout=StringIO())  # raises CommandError on any break


def test_outside_told_time_a_case_is_dated_the_real_day(real_time):
    with told_at(TOLD):
        pass  # told time ends with its block
    case = _through_decision()
    assert (case.submitted_at, case.created_at, case.completed_at) == (REAL, REAL, REAL)
    assert case.number.split("-")[-2] == "20261207"
    assert case.accepted_on == case.tasks.get().started_on == REAL.date()
    assert {row.at for row in TimelineEntry.objects.filter(case=case)} == {REAL}
