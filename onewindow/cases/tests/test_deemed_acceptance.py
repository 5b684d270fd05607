"""Deemed acceptance (行政许可法 Art. 32): a case the clerk did not decide within 5 working days
counts as accepted from the day its materials arrived; the periodic job records that it did so."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from onewindow.audit.models import Event
from onewindow.cases.domain import IntakeLimitPassed
from onewindow.cases.models import Case
from onewindow.cases.services.intake import (
    case_accept,
    case_accept_deemed_overdue,
    case_accept_with_deferral,
    case_approve_on_commitment,
    case_refuse,
    case_request_correction,
    case_resubmit,
    case_withdraw,
)
from onewindow.cases.tasks import schedules
from onewindow.cases.tests import factories as f
from onewindow.jobs.schedules import Schedule

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
    assert "视为自收到申请材料之日（2026-09-30）起受理" in entry.note and "第三十二条" in entry.note
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
    with time_machine.travel(ARRIVAL, tick=False):  # within the limit
        refuse(refused)
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
    assert Schedule("cases.accept_deemed_overdue", "0 * * * *", case_accept_deemed_overdue) in schedules()


# --- Art. 32 whenever anyone acts, not only when the job runs ----------------------------------------

AFTER_THE_LIMIT = dt.datetime(2026, 10, 20, 10, 0, tzinfo=SHANGHAI)  # Tue: the job has not run yet
LAST_DAY = dt.datetime(2026, 10, 13, 23, 30, tzinfo=SHANGHAI)


def state(case: Case) -> tuple[Any, ...]:
    """What a refused step must leave as it was."""
    case.refresh_from_db()
    return (
        case.status,
        case.accepted_on,
        case.is_deemed_accepted,
        case.refusal_reason,
        case.tasks.count(),
        case.correction_notices.count(),
        case.clock_stops.count(),
        case.timeline.count(),
        Event.objects.filter(stream=f"case:{case.pk}").count(),
    )


def test_a_clerk_accepting_after_the_limit_records_the_deemed_acceptance_from_the_arrival_day():
    version = f.published_matter(statutory_limit_days=20, promised_limit_days=10)
    case = arrived_case(matter_version=version, files={"business_licence": f.pdf_file()})  # site_plan missing
    clerk = f.clerk_for(case.region)
    with time_machine.travel(AFTER_THE_LIMIT, tick=False):
        case_accept(actor=clerk, case=case)

    case.refresh_from_db()
    assert (case.status, case.is_deemed_accepted) == ("in_review", True)  # accepted in law, materials or not
    assert case.accepted_on == dt.date(2026, 9, 30)
    # The decision clock runs from the arrival: 20 working days from Wed 30 Sep end on Tue 3 Nov.
    assert case.due_on == dt.date(2026, 11, 3)
    assert case.tasks.get().started_on == dt.date(2026, 9, 30)
    entry = case.timeline.get(action="case_accept_deemed")
    assert entry.actor == clerk
    assert "第三十二条" in entry.note and "（2026-09-30）" in entry.note
    event = Event.objects.get(stream=f"case:{case.pk}", action="cases.case_accept_deemed")
    assert event.actor_id == clerk.pk and event.changes["deemed"] is True
    assert case_accept_deemed_overdue(today=dt.date(2026, 10, 20)) == 0  # nothing left for the job


def test_acceptance_with_deferral_after_the_limit_is_deemed_and_keeps_the_deferred_material():
    case = arrived_case(files={"business_licence": f.pdf_file()})
    with time_machine.travel(AFTER_THE_LIMIT, tick=False):
        case_accept_with_deferral(
            actor=f.clerk_for(case.region), case=case, deferred={"site_plan": dt.date(2026, 10, 30)}
        )

    case.refresh_from_db()
    assert (case.accepted_on, case.is_deemed_accepted) == (dt.date(2026, 9, 30), True)
    assert case.materials.get(key="site_plan").deferred_due_on == dt.date(2026, 10, 30)
    entry = case.timeline.get(action="case_accept_deemed")
    assert "第三十二条" in entry.note and "总平面图于 2026-10-30 前补交" in entry.note


def refuse(case: Case) -> None:
    case_refuse(actor=f.clerk_for(case.region), case=case, reason="不属于本机关职权", legal_basis="第三十二条")


def correct(case: Case) -> None:
    items = [{"target": "material:site_plan", "problem": "模糊"}]
    case_request_correction(actor=f.clerk_for(case.region), case=case, items=items)


def commit(case: Case) -> None:
    case_approve_on_commitment(actor=f.clerk_for(case.region), case=case, commitment_text="本人承诺符合条件")


@pytest.mark.parametrize("step", [correct, refuse, commit], ids=["correction", "refusal", "commitment"])
def test_after_the_limit_a_correction_notice_refusal_or_commitment_is_refused_and_nothing_changes(step: Any):
    case = arrived_case(matter_version=f.published_matter(commitment_allowed=True))
    before = state(case)
    with time_machine.travel(AFTER_THE_LIMIT, tick=False), pytest.raises(IntakeLimitPassed) as refused:
        step(case)

    assert refused.value.code == "intake_limit_passed"
    assert "受理期限（2026-10-13）已过" in refused.value.message
    assert "自收到申请材料之日（2026-09-30）起即为受理" in refused.value.message
    assert state(case) == before


@pytest.mark.parametrize("step", [correct, refuse], ids=["correction", "refusal"])
def test_the_clerk_still_has_the_whole_last_day(step: Any):
    case = arrived_case()
    with time_machine.travel(LAST_DAY, tick=False):
        step(case)
    case.refresh_from_db()
    assert case.status in {"correction", "refused"}
    assert not case.is_deemed_accepted


def test_the_api_refuses_a_late_correction_notice_with_its_code(client: Any):
    case = arrived_case()
    client.force_login(f.clerk_for(case.region))
    body = {"items": [{"target": "material:site_plan", "problem": "模糊"}]}
    with time_machine.travel(AFTER_THE_LIMIT, tick=False):
        response = client.post(f"/api/cases/cases/{case.pk}/correction", body, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "intake_limit_passed"
    case.refresh_from_db()
    assert case.status == "submitted"


# --- shown as accepted before the job has run (nothing written on reading) ---------------------------


def test_the_applicants_page_shows_the_case_accepted_before_the_job_ran(client: Any):
    case = arrived_case()
    before = state(case)
    client.force_login(case.applicant.user)
    with time_machine.travel(AFTER_THE_LIMIT, tick=False):
        html = client.get(f"/cases/{case.pk}/").content.decode()
        listing = client.get("/cases/mine/").content.decode()

    assert "审查中" in html and "视为受理" in html and "2026-09-30" in html
    assert "待受理" not in html
    assert "视为受理" in listing
    assert state(case) == before  # a GET writes nothing


def test_the_api_shows_the_case_accepted_before_the_job_ran(client: Any):
    case = arrived_case()
    before = state(case)
    client.force_login(case.applicant.user)
    with time_machine.travel(AFTER_THE_LIMIT, tick=False):
        detail = client.get(f"/api/cases/cases/{case.pk}").json()
        listed = client.get("/api/cases/cases").json()["items"][0]

    for body in (detail, listed):
        assert (body["status"], body["status_label"]) == ("in_review", "审查中")
        assert body["accepted_on"] == "2026-09-30"
        assert body["is_deemed_accepted"] is True
    assert state(case) == before


def test_the_clerk_is_shown_the_limit_and_can_only_accept(client: Any):
    case = arrived_case()
    client.force_login(f.clerk_for(case.region))
    with time_machine.travel(AFTER_THE_LIMIT, tick=False):
        detail = client.get(f"/cases/{case.pk}/").content.decode()
        intake = client.get(f"/cases/{case.pk}/intake/").content.decode()

    assert f'href="/cases/{case.pk}/intake/"' in detail  # 受理办理: to record the acceptance
    assert "ow-intake-limit-passed" in intake and "受理日记为 2026-09-30" in intake
    assert f"/cases/{case.pk}/intake/accept/" in intake
    for closed in ("correction", "refusal", "commitment"):
        assert f"/cases/{case.pk}/intake/{closed}/" not in intake


def test_before_the_limit_the_case_is_shown_waiting_for_intake(client: Any):
    case = arrived_case()
    client.force_login(case.applicant.user)
    with time_machine.travel(LAST_DAY, tick=False):
        body = client.get(f"/api/cases/cases/{case.pk}").json()
    assert (body["status"], body["accepted_on"], body["is_deemed_accepted"]) == ("submitted", None, False)
