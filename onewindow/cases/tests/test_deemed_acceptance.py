"""Deemed acceptance (行政许可法 Art. 32): a case the clerk did not decide within 5 working days
counts as accepted from the day its materials arrived; the periodic job records that it did so."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from onewindow.audit.models import Event
from onewindow.cases.models import Case
from onewindow.cases.services.intake import (
    case_accept_deemed_overdue,
    case_refuse,
    case_request_correction,
    case_resubmit,
    case_withdraw,
)
from onewindow.cases.tasks import periodic_jobs
from onewindow.cases.tests import factories as f

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# Wed 30 Sep 2026: the materials arrive the day before the National Day holiday (1–7 Oct);
# 8, 9 Oct, the make-up Saturday 10 Oct, 12 and 13 Oct are the five working days.
ARRIVAL = dt.datetime(2026, 9, 30, 16, 0, tzinfo=SHANGHAI)
INTAKE_DUE = dt.date(2026, 10, 13)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def arrived_case(**kwargs: Any) -> Case:
    with time_machine.travel(ARRIVAL, tick=False):
        return f.submitted_case(**kwargs)


def test_case_not_told_within_five_working_days_counts_as_accepted_from_arrival_day():
    case = arrived_case()
    assert case.intake_due_on == INTAKE_DUE

    assert case_accept_deemed_overdue(today=INTAKE_DUE) == 0  # the clerk still has the whole last day
    assert case_accept_deemed_overdue(today=dt.date(2026, 10, 14)) == 1

    case.refresh_from_db()
    assert case.status == "in_review"
    assert case.is_deemed_accepted
    assert case.accepted_on == dt.date(2026, 9, 30)  # the day the materials arrived, not the day of the job
    assert case.acceptance_notice_number == f"{case.number}-SL"
    task = case.tasks.get()
    assert task.started_on == dt.date(2026, 9, 30)
    assert task.due_on == dt.date(2026, 10, 13)  # its 5 promised working days also count from arrival
    entry = case.timeline.get(action="case_accept_deemed")
    assert entry.actor is None
    assert "视为自收到申请材料之日(2026-09-30)起受理" in entry.note and "第三十二条" in entry.note
    event = Event.objects.get(stream=f"case:{case.pk}", action="cases.case_accept_deemed")
    assert event.actor_id is None
    assert event.changes["deemed"] is True


def test_a_deemed_case_runs_on_its_limit_from_the_arrival_day():
    case = arrived_case(matter_version=f.published_matter(promised_limit_days=10, statutory_limit_days=20))
    case_accept_deemed_overdue(today=dt.date(2026, 10, 20))
    case.refresh_from_db()
    # 20 working days from Wed 30 Sep: 8, 9, 10 (make-up), 12–16, 19–23, 26–30 Oct, 2 and 3 Nov.
    assert case.due_on == dt.date(2026, 11, 3)


def test_deemed_acceptance_is_idempotent():
    case = arrived_case()
    later = dt.date(2026, 10, 20)

    assert case_accept_deemed_overdue(today=later) == 1
    rows = case.timeline.count()
    assert case_accept_deemed_overdue(today=later) == 0

    assert case.timeline.count() == rows
    assert case.tasks.count() == 1


def test_a_case_waiting_for_corrections_is_not_deemed_accepted():
    case = arrived_case()
    with time_machine.travel(ARRIVAL, tick=False):
        case_request_correction(
            actor=f.clerk_for(case.region), case=case, items=[{"target": "material:site_plan", "problem": "模糊"}]
        )

    assert case_accept_deemed_overdue(today=dt.date(2026, 11, 30)) == 0
    case.refresh_from_db()
    assert case.status == "correction"


def test_after_resubmission_the_restarted_limit_decides():
    case = arrived_case()
    with time_machine.travel(ARRIVAL, tick=False):
        case_request_correction(
            actor=f.clerk_for(case.region), case=case, items=[{"target": "material:site_plan", "problem": "模糊"}]
        )
    with time_machine.travel(dt.datetime(2026, 10, 12, 9, tzinfo=SHANGHAI), tick=False):
        case_resubmit(actor=case.applicant.user, case=case, form_data={}, files={"site_plan": f.pdf_file()})

    # The first limit (13 Oct) no longer counts: 5 working days from Mon 12 Oct end on Mon 19 Oct.
    assert case_accept_deemed_overdue(today=dt.date(2026, 10, 19)) == 0
    assert case_accept_deemed_overdue(today=dt.date(2026, 10, 20)) == 1
    case.refresh_from_db()
    assert case.accepted_on == dt.date(2026, 10, 12)


def test_decided_cases_are_left_alone():
    refused = arrived_case()
    case_refuse(actor=f.clerk_for(refused.region), case=refused, reason="不属于本机关职权", legal_basis="第三十二条")
    with time_machine.travel(ARRIVAL, tick=False):
        accepted = f.accepted_case()
    withdrawn = arrived_case()
    case_withdraw(actor=withdrawn.applicant.user, case=withdrawn, reason="不办了")

    assert case_accept_deemed_overdue(today=dt.date(2026, 12, 1)) == 0
    for case, status in ((refused, "refused"), (accepted, "in_review"), (withdrawn, "withdrawn")):
        case.refresh_from_db()
        assert (case.status, case.is_deemed_accepted) == (status, False)


def test_the_job_uses_todays_date_in_shanghai_by_default():
    case = arrived_case()
    with time_machine.travel(dt.datetime(2026, 10, 13, 23, 30, tzinfo=SHANGHAI), tick=False):
        assert case_accept_deemed_overdue() == 0
    with time_machine.travel(dt.datetime(2026, 10, 14, 0, 30, tzinfo=SHANGHAI), tick=False):
        assert case_accept_deemed_overdue() == 1
    case.refresh_from_db()
    assert case.is_deemed_accepted


def test_the_scheduler_runs_deemed_acceptance_every_hour():
    assert (3600, case_accept_deemed_overdue, "cases.accept_deemed_overdue") in periodic_jobs()
