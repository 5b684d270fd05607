"""容缺受理, the follow-through: a material deferred at acceptance is handed in later (online or at the
window), the applicant is reminded before its due date, an overdue one is put on the record, and an
approval waits for it unless the catalogue says otherwise; every page says what is still owed."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
import time_machine

from onewindow.audit.models import Event
from onewindow.cases.domain import DeferredMaterialOverdue
from onewindow.cases.models import Case, CaseMaterial, CaseMatter, Task
from onewindow.cases.services import review
from onewindow.cases.services.deferral import (
    case_deferred_material_hand_in,
    deferred_material_reminders_send,
    deferred_materials_record_overdue,
)
from onewindow.cases.services.intake import case_accept_with_deferral, case_withdraw
from onewindow.cases.tasks import schedules
from onewindow.cases.tests import factories as f
from onewindow.errors import Conflict, DomainError, InvalidFields, NotFound
from onewindow.notify.backends import MemorySmsBackend
from onewindow.notify.models import Delivery

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
ACCEPTED_AT = dt.datetime(2026, 10, 26, 10, 0, tzinfo=SHANGHAI)  # Monday
DUE = dt.date(2026, 10, 30)  # Friday: reminders on Tue 27 (3 working days before) and Thu 29 (1 before)
AFTER_DUE = dt.datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)  # Monday after


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def at(moment: dt.datetime) -> Any:
    return time_machine.travel(moment, tick=False)


def deferred_case(**kwargs: Any) -> Case:
    """A single-matter case accepted on Mon 26 Oct with its site plan (总平面图) deferred to Fri 30 Oct."""
    with at(ACCEPTED_AT):
        case = f.submitted_case(files={"business_licence": f.pdf_file()}, **kwargs)
        return case_accept_with_deferral(actor=f.clerk_for(case.region), case=case, deferred={"site_plan": DUE})


def site_plan(case: Case) -> CaseMaterial:
    return CaseMaterial.objects.get(case=case, key="site_plan")


def hand_in(case: Case, actor: Any = None, upload: Any = None, key: str = "site_plan") -> CaseMaterial:
    return case_deferred_material_hand_in(
        actor=actor or case.applicant.user, case=case, key=key, upload=upload or f.pdf_file("总平面图.pdf")
    )


def record(case: Case) -> tuple[Any, ...]:
    row = site_plan(case)
    return (bool(row.file), row.sha256, case.timeline.count(), Event.objects.filter(stream=f"case:{case.pk}").count())


# --- handing in -------------------------------------------------------------------------------------


def test_the_applicant_hands_in_the_deferred_material_online_after_acceptance():
    case = deferred_case()
    with at(dt.datetime(2026, 10, 28, 9, tzinfo=SHANGHAI)):
        hand_in(case)

    row = site_plan(case)
    assert row.file and row.sha256 == hashlib.sha256(f.PDF_BYTES).hexdigest() and row.size == len(f.PDF_BYTES)
    assert row.deferred_due_on == DUE  # the record keeps when it was due
    entry = case.timeline.get(action="case_deferred_material_received")
    assert entry.is_public and entry.actor == case.applicant.user
    assert entry.note == "容缺材料“总平面图”已补交（补交期限 2026-10-30）"
    event = Event.objects.get(stream=f"case:{case.pk}", action="cases.case_deferred_material_received")
    assert event.changes["material_key"] == "site_plan" and event.changes["late"] is False


def test_a_clerk_of_the_region_registers_it_at_the_window_even_late():
    case = deferred_case()
    clerk = f.clerk_for(case.region)
    with at(AFTER_DUE):
        hand_in(case, actor=clerk)

    entry = case.timeline.get(action="case_deferred_material_received")
    assert entry.actor == clerk
    assert "逾期 3 天" in entry.note
    event = Event.objects.get(stream=f"case:{case.pk}", action="cases.case_deferred_material_received")
    assert event.changes["late"] is True


@pytest.mark.parametrize(
    ("upload", "problem"),
    [
        (f.pdf_file("总平面图.pdf", content=f.PNG_BYTES), "文件内容与扩展名"),  # type by leading bytes
        (f.pdf_file("总平面图.doc"), "文件类型不支持"),
        (f.pdf_file("总平面图.pdf", content=b""), "空文件"),
    ],
)
def test_a_file_failing_the_upload_checks_is_refused_and_nothing_changes(upload: Any, problem: str):
    case = deferred_case()
    before = record(case)
    with pytest.raises(InvalidFields) as refused:
        hand_in(case, upload=upload)
    assert refused.value.code == "deferred_material_file_invalid"
    assert problem in refused.value.errors["file"]
    assert record(case) == before


def test_only_an_owed_material_can_be_handed_in():
    case = deferred_case()
    with pytest.raises(NotFound) as not_deferred:
        hand_in(case, key="business_licence")
    assert not_deferred.value.code == "deferred_material_not_found"
    hand_in(case)
    before = record(case)
    with pytest.raises(Conflict) as twice:
        hand_in(case)
    assert twice.value.code == "deferred_material_handed_in"
    assert record(case) == before


def test_a_withdrawn_case_takes_no_deferred_material():
    case = deferred_case()
    case_withdraw(actor=case.applicant.user, case=case, reason="项目取消")
    before = record(case)
    with pytest.raises(Conflict) as closed:
        hand_in(case)
    assert closed.value.code == "deferral_case_closed"
    assert record(case) == before


# --- reminders and the overdue record ---------------------------------------------------------------


def reminders_on(day: int) -> int:
    return deferred_material_reminders_send(today=dt.date(2026, 10, day))


def test_the_applicant_is_reminded_before_the_due_date_once_per_material_and_reminder_day():
    case = deferred_case()
    assert [reminders_on(day) for day in (26, 27, 27, 28, 29, 29, 30, 31)] == [0, 1, 0, 0, 1, 0, 0, 0]

    assert len(MemorySmsBackend.outbox) == 2
    phone, text = MemorySmsBackend.outbox[0]
    assert phone == case.applicant.user.phone
    assert case.number in text and "“总平面图”" in text and "10月30日" in text
    keys = sorted(Delivery.objects.values_list("dedupe_key", flat=True))
    material = site_plan(case).pk
    assert keys == [f"cases.deferred_reminder:{material}:2026-10-27", f"cases.deferred_reminder:{material}:2026-10-29"]


def test_a_reminder_missed_while_the_job_was_down_still_goes_out_before_the_due_date():
    deferred_case()
    assert reminders_on(28) == 1  # the reminder of the 27th


def test_no_reminder_once_handed_in_or_withdrawn():
    handed_in, withdrawn = deferred_case(), deferred_case()
    hand_in(handed_in)
    case_withdraw(actor=withdrawn.applicant.user, case=withdrawn, reason="项目取消")
    assert reminders_on(29) == 0
    assert not MemorySmsBackend.outbox


def test_an_overdue_material_is_put_on_the_record_once_and_the_applicant_told():
    case = deferred_case()
    assert deferred_materials_record_overdue(today=DUE) == 0  # due by the end of its day
    assert deferred_materials_record_overdue(today=dt.date(2026, 10, 31)) == 1
    assert deferred_materials_record_overdue(today=dt.date(2026, 11, 2)) == 0

    entry = case.timeline.get(action="case_deferral_overdue")
    assert entry.actor is None and entry.is_public
    assert entry.note == "容缺材料“总平面图”逾期未补交（补交期限 2026-10-30）"
    assert Event.objects.filter(stream=f"case:{case.pk}", action="cases.case_deferral_overdue").count() == 1
    assert site_plan(case).overdue_recorded_on == dt.date(2026, 10, 31)
    assert Delivery.objects.get().topic == "cases.deferred_overdue"
    assert "已超过补交期限（10月30日）" in MemorySmsBackend.outbox[0][1]


def test_the_scheduler_runs_the_deferral_jobs_every_hour():
    jobs = {s.name: (s.cron, s.run) for s in schedules()}
    assert jobs["cases.deferred_material_reminders_send"] == ("20 * * * *", deferred_material_reminders_send)
    assert jobs["cases.deferred_materials_record_overdue"] == ("25 * * * *", deferred_materials_record_overdue)


# --- the approval waits for an overdue material -----------------------------------------------------


def approve(task: Task) -> Task:
    return review.task_approve(actor=f.reviewer_for(task.department), task=task, opinion="同意")


def test_a_single_matter_is_not_approved_while_a_deferred_material_is_overdue():
    case = deferred_case()
    task = case.tasks.get()
    with at(AFTER_DUE), pytest.raises(DeferredMaterialOverdue) as refused:
        approve(task)
    assert refused.value.code == "deferred_material_overdue"
    assert "容缺材料“总平面图”（补交期限 2026-10-30）逾期未补交" in refused.value.message
    task.refresh_from_db()
    case.refresh_from_db()
    assert (task.status, case.status) == ("open", "in_review")
    assert not case.timeline.filter(action__in=["task_approve", "case_decide"]).exists()

    with at(AFTER_DUE):
        hand_in(case)
        approve(task)
    case.refresh_from_db()
    assert case.status == "completed"


def test_before_its_due_date_the_owed_material_does_not_hold_the_approval_back():
    case = deferred_case()
    with at(dt.datetime(2026, 10, 30, 16, tzinfo=SHANGHAI)):
        approve(case.tasks.get())
    case.refresh_from_db()
    assert case.status == "completed"


def test_a_rejection_is_not_held_back():
    case = deferred_case()
    task = case.tasks.get()
    with at(AFTER_DUE):
        review.task_reject(actor=f.reviewer_for(task.department), task=task, reason="逾期未补交材料")
    case.refresh_from_db()
    assert case.status == "completed"
    assert case.matters.get().result == "rejected"


def test_the_catalogue_may_let_a_matter_be_approved_with_an_overdue_material():
    version = f.published_matter()
    version.__class__.objects.filter(pk=version.pk).update(deferral_blocks_decision=False)
    case = deferred_case(matter_version=version.__class__.objects.get(pk=version.pk))
    with at(AFTER_DUE):
        approve(case.tasks.get())
    case.refresh_from_db()
    assert case.status == "completed"


def bundle_awaiting_decision() -> tuple[Case, CaseMatter]:
    """The 4-department bundle with the first matter's drawing deferred, reviewed and awaiting the decision."""
    bundle = f.published_bundle()
    files = {key: f.pdf_file() for key in ("business_licence", "drawing_2", "drawing_3", "drawing_4")}
    with at(ACCEPTED_AT):
        case = f.submitted_case(bundle_version=bundle, files=files)
        case_accept_with_deferral(actor=f.clerk_for(case.region), case=case, deferred={"drawing_1": DUE})
        for stage in (1, 2):
            for task in Task.objects.filter(case=case, stage=stage).order_by("pk"):
                approve(task)
    case.refresh_from_db()
    assert case.status == "awaiting_decision"
    first = CaseMatter.objects.get(case=case, matter_version__materials__key="drawing_1")
    return case, first


def decide(case: Case, results: dict[int, str]) -> Case:
    lead = case.bundle_version.stages.order_by("-position").first().lead_department
    return review.case_decide(actor=f.coordinator_for(lead), case=case, results=results)


def test_the_joint_decision_cannot_approve_a_matter_whose_deferred_material_is_overdue():
    case, first = bundle_awaiting_decision()
    all_approved = {cm.pk: "approved" for cm in case.matters.all()}
    with at(AFTER_DUE), pytest.raises(DeferredMaterialOverdue) as refused:
        decide(case, all_approved)
    assert refused.value.code == "deferred_material_overdue" and "设计图纸1" in refused.value.message
    case.refresh_from_db()
    assert case.status == "awaiting_decision"
    assert set(case.matters.values_list("result", flat=True)) == {"pending"}

    with at(AFTER_DUE):  # the other matters do not need that drawing
        decide(case, {**all_approved, first.pk: "rejected"})
    case.refresh_from_db()
    assert case.status == "completed"


def test_the_joint_decision_goes_ahead_once_the_material_is_handed_in():
    case, _first = bundle_awaiting_decision()
    with at(AFTER_DUE):
        hand_in(case, key="drawing_1")
        decide(case, {cm.pk: "approved" for cm in case.matters.all()})
    case.refresh_from_db()
    assert case.status == "completed"


# --- what the pages and the API say -----------------------------------------------------------------


def html(client: Any, user: Any, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return str(response.content.decode())


def test_reviewers_see_what_is_still_owed_and_by_when(client: Any):
    case = deferred_case()
    task = case.tasks.get()
    reviewer = f.reviewer_for(task.department)
    with at(dt.datetime(2026, 10, 28, 9, tzinfo=SHANGHAI)):
        page = html(client, reviewer, f"/cases/tasks/{task.pk}/")
        body = client.get(f"/api/cases/cases/{case.pk}").json()
    assert "ow-owed-materials" in page and "容缺材料“总平面图”须于 2026-10-30 前补交" in page
    assert body["owed_materials"] == [
        {"key": "site_plan", "name": "总平面图", "due_on": "2026-10-30", "is_overdue": False, "overdue_days": 0}
    ]

    hand_in(case)
    assert "ow-owed-materials" not in html(client, reviewer, f"/cases/tasks/{task.pk}/")
    assert client.get(f"/api/cases/cases/{case.pk}").json()["owed_materials"] == []


def test_an_overdue_material_is_flagged_before_the_job_has_recorded_it(client: Any):
    case = deferred_case()
    with at(AFTER_DUE):
        page = html(client, case.applicant.user, f"/cases/{case.pk}/")
        body = client.get(f"/api/cases/cases/{case.pk}").json()
    assert "容缺材料“总平面图”逾期未补交（补交期限 2026-10-30，已逾期 3 天）" in page
    assert body["owed_materials"][0]["is_overdue"] is True and body["owed_materials"][0]["overdue_days"] == 3
    assert not case.timeline.filter(action="case_deferral_overdue").exists()


def test_a_completed_case_never_shows_an_owed_material_without_saying_so(client: Any):
    version = f.published_matter()
    version.__class__.objects.filter(pk=version.pk).update(deferral_blocks_decision=False)
    case = deferred_case(matter_version=version.__class__.objects.get(pk=version.pk))
    with at(AFTER_DUE):
        approve(case.tasks.get())
        for user in (case.applicant.user, f.clerk_for(case.region)):
            page = html(client, user, f"/cases/{case.pk}/")
            assert "已办结" in page
            assert "已办结，容缺材料“总平面图”仍未补交，补交期限截至 2026-10-30" in page


def test_the_applicant_hands_it_in_from_the_portal_page(client: Any, time_machine: Any):
    case = deferred_case()
    time_machine.move_to(dt.datetime(2026, 10, 28, 9, tzinfo=SHANGHAI), tick=False)
    url = f"/cases/{case.pk}/deferred/"
    assert f'href="{url}"' in html(client, case.applicant.user, f"/cases/{case.pk}/")
    page = client.get(url).content.decode()
    assert "总平面图" in page and "须于 2026-10-30 前补交" in page

    refused = client.post(url, {"key": "site_plan", "file": f.pdf_file("总平面图.pdf", content=f.PNG_BYTES)})
    assert refused.status_code == 422 and "文件内容与扩展名" in refused.content.decode()
    response = client.post(url, {"key": "site_plan", "file": f.pdf_file("总平面图.pdf")})
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert site_plan(case).file
    assert "没有需要补交的容缺材料" in client.get(url).content.decode()


def test_a_clerk_registers_it_from_the_window_page(client: Any):
    case = deferred_case()
    clerk = f.clerk_for(case.region)
    url = f"/cases/{case.pk}/window-deferred/"
    assert f'href="{url}"' in html(client, clerk, f"/cases/{case.pk}/")
    response = client.post(url, {"key": "site_plan", "file": f.pdf_file("总平面图.pdf")})
    assert response.status_code == 302
    assert case.timeline.get(action="case_deferred_material_received").actor == clerk


def test_the_api_takes_the_file_and_answers_what_is_still_owed(client: Any):
    case = deferred_case()
    client.force_login(case.applicant.user)
    url = f"/api/cases/cases/{case.pk}/deferred-materials/site_plan"
    refused = client.post(url, {"file": f.pdf_file("总平面图.pdf", content=f.PNG_BYTES)})
    assert refused.status_code == 422 and refused.json()["code"] == "deferred_material_file_invalid"
    missing = client.post(url, {})
    assert missing.status_code == 422
    assert {e["field"]: e["message"] for e in missing.json()["errors"]} == {"file": "请上传总平面图的文件"}

    with at(dt.datetime(2026, 10, 28, 9, tzinfo=SHANGHAI)):
        body = client.post(url, {"file": f.pdf_file("总平面图.pdf")}).json()
    assert body["sha256"] == hashlib.sha256(f.PDF_BYTES).hexdigest()
    assert (body["deferred_due_on"], body["is_late"], body["owed_materials"]) == ("2026-10-30", False, [])


def test_the_follow_through_is_on_the_verified_record(client: Any):
    from onewindow.cases.tests.test_audit_consistency import verify

    overdue, handed_in = deferred_case(), deferred_case()
    deferred_materials_record_overdue(today=dt.date(2026, 10, 31))
    hand_in(handed_in)
    assert verify()[0] == 0
    client.force_login(overdue.applicant.user)
    page = client.get(f"/cases/{overdue.pk}/").content.decode()
    assert "容缺材料逾期" in page  # the timeline row, labelled
    client.force_login(handed_in.applicant.user)
    assert "补交容缺材料" in client.get(f"/cases/{handed_in.pk}/").content.decode()


def test_an_agent_whose_authorisation_covers_supplements_hands_it_in_and_the_record_names_them():
    from onewindow.agency.tests.factories import authorisation

    case = deferred_case()
    with at(dt.datetime(2026, 10, 28, 9, tzinfo=SHANGHAI)):
        agent = f.agent_for(case.region)
        authorisation(agent=agent, applicant=case.applicant, scope=["supplement"])
        hand_in(case, actor=agent)

    entry = case.timeline.get(action="case_deferred_material_received")
    assert entry.actor == agent and agent.name in entry.note
    event = Event.objects.get(stream=f"case:{case.pk}", action="cases.case_deferred_material_received")
    assert event.changes["agent_id"] == agent.pk


def test_an_agent_without_the_supplement_scope_may_not_hand_it_in():
    from onewindow.agency.tests.factories import authorisation

    case = deferred_case()
    with at(dt.datetime(2026, 10, 28, 9, tzinfo=SHANGHAI)):
        agent = f.agent_for(case.region)
        authorisation(agent=agent, applicant=case.applicant, scope=["withdraw"])
        before = record(case)
        with pytest.raises(DomainError) as refused:
            hand_in(case, actor=agent)
    assert refused.value.code == "agency_out_of_scope"
    assert record(case) == before
