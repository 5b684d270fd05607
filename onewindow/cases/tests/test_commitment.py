"""告知承诺 with consequences: the signed commitment before approval, the post-check's findings, the
rectification order, the re-check, the revocation and the credit record. Each service is checked for
its new state, its timeline rows and audit events, and for changing nothing when it refuses."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onewindow.audit.models import Event
from onewindow.cases.domain import REVOCATION_REMEDIES, CaseStatus, TaskStatus, TransitionNotAllowed
from onewindow.cases.models import Case, CaseMaterial, CaseMatter, CreditRecord, Revocation, Task, TimelineEntry
from onewindow.cases.services import commitment
from onewindow.cases.services.intake import case_approve_on_commitment, case_request_correction, case_resubmit
from onewindow.cases.tests import factories as f
from onewindow.cases.tests.test_audit_consistency import verify
from onewindow.catalogue.models import MatterVersion
from onewindow.errors import Conflict, InvalidFields, NotFound, PermissionDenied
from onewindow.notify.models import Delivery

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2026, 3, 2)  # a plain month: Mon 2 … Fri 6, Mon 9 … Fri 13 March 2026
BASIS = "《中华人民共和国行政许可法》第六十九条"


def day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


@pytest.fixture
def travel(time_machine):
    def move(on: dt.date) -> None:
        time_machine.move_to(dt.datetime.combine(on, dt.time(10), tzinfo=SHANGHAI), tick=False)

    move(MONDAY)
    return move


def committed_case(*, rectification_days: int = 5, files: dict | None = None) -> Case:
    """Approved on commitment on MONDAY: one open post-check of its department."""
    version = f.published_matter(commitment_allowed=True)
    MatterVersion.objects.filter(pk=version.pk).update(rectification_days=rectification_days)
    case = f.submitted_case(matter_version=version, files=files)
    return case_approve_on_commitment(actor=f.clerk_for(case.region), case=case, commitment_text="本人承诺符合条件")


@pytest.fixture
def case(travel) -> Case:
    return committed_case()


@pytest.fixture
def check(case) -> Task:
    return case.tasks.get(kind=Task.Kind.POST_CHECK)


def fresh(row):
    return type(row).objects.get(pk=row.pk)


def timeline(case: Case, action: str) -> list[TimelineEntry]:
    return list(TimelineEntry.objects.filter(case=case, action=action).order_by("id"))


def events(case: Case, action: str) -> list[Event]:
    return list(Event.objects.filter(stream=f"case:{case.pk}", action=f"cases.{action}").order_by("seq"))


def results(case: Case) -> list[str]:
    return list(CaseMatter.objects.filter(case=case).values_list("result", flat=True))


def deliveries(case: Case) -> list[Delivery]:
    return list(Delivery.objects.filter(recipient=case.applicant.user, topic="cases.commitment").order_by("pk"))


def order_rectification(check: Task, finding: str = "经营场所面积不足承诺的 50 平方米") -> Task:
    return commitment.task_check_not_conform(actor=f.reviewer_for(check.department), task=check, finding=finding)


# --- the signed commitment is a required material -----------------------------------------------


def test_approval_on_commitment_is_refused_without_the_signed_commitment(travel):
    version = f.published_matter(commitment_allowed=True)
    files = {key: file for key, file in f.required_files(version).items() if key != "commitment_letter"}
    case = f.submitted_case(matter_version=version, files=files)
    with pytest.raises(Conflict) as refused:
        case_approve_on_commitment(actor=f.clerk_for(case.region), case=case, commitment_text="承诺")
    assert refused.value.code == "commitment_letter_missing"
    assert "告知承诺书" in refused.value.message
    assert fresh(case).status == CaseStatus.SUBMITTED
    assert not Task.objects.filter(case=case).exists()


def test_the_signed_commitment_may_follow_a_correction_notice(travel):
    version = f.published_matter(commitment_allowed=True)
    files = {key: file for key, file in f.required_files(version).items() if key != "commitment_letter"}
    case = f.submitted_case(matter_version=version, files=files)
    clerk = f.clerk_for(case.region)
    case_request_correction(
        actor=clerk, case=case, items=[{"target": "material:commitment_letter", "problem": "未签署"}]
    )
    case_resubmit(actor=case.applicant.user, case=case, form_data={}, files={"commitment_letter": f.pdf_file()})
    case = case_approve_on_commitment(actor=clerk, case=case, commitment_text="承诺")
    assert case.status == CaseStatus.COMPLETED


def test_a_matter_that_allows_commitment_lists_the_signed_commitment():
    version = f.published_matter(commitment_allowed=True)
    letter = version.materials.get(key="commitment_letter")
    assert (letter.name, letter.required) == ("告知承诺书", False)


# --- the post-check speaks of findings ------------------------------------------------------------


def test_a_post_check_that_finds_the_commitment_kept_closes(case, check):
    reviewer = f.reviewer_for(check.department)
    commitment.task_check_conform(actor=reviewer, task=check, note="现场核查与承诺一致")
    check = fresh(check)
    assert (check.status, check.status_label) == (TaskStatus.APPROVED, "符合")
    [row] = timeline(case, "task_conform")
    assert row.is_public and row.actor == reviewer and "符合" in row.note and "同意" not in row.note
    assert len(events(case, "task_conform")) == 1
    assert fresh(case).status == CaseStatus.COMPLETED and results(case) == ["committed"]


def test_a_failed_post_check_orders_rectification_within_the_matter_deadline(
    case, check, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order_rectification(check)
    check = fresh(check)
    assert (check.status, check.status_label) == (TaskStatus.REJECTED, "不符合")
    assert check.opinion == "经营场所面积不足承诺的 50 平方米"
    recheck = case.tasks.get(kind=Task.Kind.RECHECK)
    assert (recheck.status, recheck.started_on, recheck.limit_days) == (TaskStatus.OPEN, MONDAY, 5)
    assert recheck.due_on == day(7)  # 5 working days after Monday 2 March: Monday 9 March
    [row] = timeline(case, "task_not_conform")
    assert row.is_public and "经营场所面积不足" in row.note and "2026-03-09" in row.note
    [event] = events(case, "task_not_conform")
    assert event.changes["rectification_due_on"] == "2026-03-09"
    assert fresh(case).status == CaseStatus.COMPLETED and results(case) == ["committed"]  # the approval stands
    [told] = deliveries(case)
    assert "2026-03-09" in told.body and "经营场所面积不足" in told.body


def test_the_rectification_deadline_defaults_to_20_working_days(travel):
    version = f.published_matter(commitment_allowed=True)  # the catalogue's default
    case = f.submitted_case(matter_version=version)
    case = case_approve_on_commitment(actor=f.clerk_for(case.region), case=case, commitment_text="承诺")
    order_rectification(case.tasks.get())
    recheck = case.tasks.get(kind=Task.Kind.RECHECK)
    assert (recheck.limit_days, recheck.due_on) == (20, dt.date(2026, 3, 30))


def test_a_failed_post_check_names_its_finding(check):
    with pytest.raises(InvalidFields) as refused:
        commitment.task_check_not_conform(actor=f.reviewer_for(check.department), task=check, finding=" ")
    assert refused.value.errors == {"finding": "请写明核查发现的不符合承诺之处"}
    assert fresh(check).status == TaskStatus.OPEN
    assert not Task.objects.filter(kind=Task.Kind.RECHECK).exists()


def test_only_reviewers_of_the_department_record_a_check(case, check):
    with pytest.raises(PermissionDenied):
        commitment.task_check_conform(actor=f.clerk_for(case.region), task=check)
    with pytest.raises(NotFound):
        commitment.task_check_conform(actor=f.reviewer_for(f.department()), task=check)
    assert fresh(check).status == TaskStatus.OPEN


# --- the applicant reports; the re-check --------------------------------------------------------


def test_the_recheck_waits_for_the_report_or_the_deadline(case, check, travel):
    recheck = fresh(order_rectification(check)).case.tasks.get(kind=Task.Kind.RECHECK)
    reviewer = f.reviewer_for(recheck.department)
    with pytest.raises(Conflict) as early:
        commitment.task_check_conform(actor=reviewer, task=recheck)
    assert early.value.code == "recheck_not_due"
    travel(day(8))  # Tuesday 10 March: the deadline (Monday 9) has passed
    commitment.task_check_conform(actor=reviewer, task=recheck)
    assert fresh(recheck).status_label == "符合"
    assert fresh(case).status == CaseStatus.COMPLETED


def test_the_applicant_reports_the_rectification_and_the_department_rechecks_at_once(case, check):
    order_rectification(check)
    recheck = case.tasks.get(kind=Task.Kind.RECHECK)
    commitment.task_report_rectification(
        actor=case.applicant.user, task=recheck, note="已换租 80 平方米场所", files=[f.pdf_file("租赁合同.pdf")]
    )
    [row] = timeline(case, "task_report_rectification")
    assert row.is_public and row.actor == case.applicant.user and "80 平方米" in row.note
    assert len(events(case, "task_report_rectification")) == 1
    stored = CaseMaterial.objects.get(case=case, key=f"rectification-{recheck.pk}-1")
    assert stored.name == "整改材料1：租赁合同.pdf" and stored.sha256 and stored.size == len(f.PDF_BYTES)
    commitment.task_check_conform(actor=f.reviewer_for(recheck.department), task=recheck, note="复查合格")
    assert fresh(recheck).status == TaskStatus.APPROVED


def test_a_rectification_report_with_a_file_that_is_not_what_it_says_is_refused_whole(case, check):
    order_rectification(check)
    recheck = case.tasks.get(kind=Task.Kind.RECHECK)
    fake = SimpleUploadedFile("照片.jpg", b"%PDF-1.7 not a photo", content_type="image/jpeg")
    with pytest.raises(InvalidFields) as refused:
        commitment.task_report_rectification(
            actor=case.applicant.user, task=recheck, note="已整改", files=[f.pdf_file("租赁合同.pdf"), fake]
        )
    assert refused.value.code == "rectification_files_invalid"
    assert list(refused.value.errors) == ["files.1"] and "整改材料2" in refused.value.errors["files.1"]
    assert not CaseMaterial.objects.filter(case=case, key__startswith="rectification-").exists()
    assert timeline(case, "task_report_rectification") == []


def test_a_rectification_is_reported_once_by_the_applicant_or_a_clerk_of_the_region(case, check):
    order_rectification(check)
    recheck = case.tasks.get(kind=Task.Kind.RECHECK)
    with pytest.raises(PermissionDenied) as reviewer:
        commitment.task_report_rectification(actor=f.reviewer_for(recheck.department), task=recheck, note="已整改")
    assert reviewer.value.code == "task_not_applicant_or_clerk"
    with pytest.raises(NotFound):
        commitment.task_report_rectification(actor=f.applicant_with_user().user, task=recheck, note="已整改")
    with pytest.raises(Conflict) as not_a_recheck:
        commitment.task_report_rectification(actor=case.applicant.user, task=check, note="已整改")
    assert not_a_recheck.value.code == "task_not_check"
    commitment.task_report_rectification(actor=f.clerk_for(case.region), task=recheck, note="窗口收到整改报告")
    with pytest.raises(Conflict) as twice:
        commitment.task_report_rectification(actor=case.applicant.user, task=recheck, note="已整改")
    assert twice.value.code == "rectification_already_reported"
    assert len(timeline(case, "task_report_rectification")) == 1


def test_a_failed_recheck_revokes_the_approval(case, check, travel, django_capture_on_commit_callbacks):
    order_rectification(check)
    recheck = case.tasks.get(kind=Task.Kind.RECHECK)
    travel(day(8))
    reviewer = f.reviewer_for(recheck.department)
    with django_capture_on_commit_callbacks(execute=True):
        commitment.task_check_not_conform(actor=reviewer, task=recheck, finding="逾期未整改", legal_basis=BASIS)
    case = fresh(case)
    assert case.status == CaseStatus.REVOKED
    assert case.get_status_display() == "已撤销"
    assert results(case) == [CaseMatter.Result.REVOKED]
    assert fresh(recheck).status_label == "不符合"
    revocation = Revocation.objects.get(case=case)
    assert "逾期未整改" in revocation.reason and revocation.legal_basis == BASIS
    assert (
        revocation.remedies == REVOCATION_REMEDIES
        and "六十日" in revocation.remedies
        and "六个月" in revocation.remedies
    )
    assert not revocation.is_false_commitment and not CreditRecord.objects.exists()
    [row] = timeline(case, "case_revoke")
    assert row.is_public and BASIS in row.note and "行政复议" in row.note and "行政诉讼" in row.note
    [event] = events(case, "case_revoke")
    assert event.changes["status"] == ["completed", "revoked"] and event.changes["revocation_id"] == revocation.pk
    assert any("撤销" in told.subject for told in deliveries(case))
    assert verify()[0] == 0  # the case is still what its events say


def test_revoking_needs_a_finding_and_a_legal_basis(case, check, travel):
    order_rectification(check)
    recheck = case.tasks.get(kind=Task.Kind.RECHECK)
    travel(day(8))
    with pytest.raises(InvalidFields) as refused:
        commitment.task_check_not_conform(
            actor=f.reviewer_for(recheck.department), task=recheck, finding="", legal_basis=""
        )
    assert set(refused.value.errors) == {"finding", "legal_basis"}
    assert fresh(case).status == CaseStatus.COMPLETED
    assert fresh(recheck).status == TaskStatus.OPEN
    assert not Revocation.objects.exists()


# --- a false commitment ---------------------------------------------------------------------------


def test_a_false_commitment_revokes_at_once_and_enters_the_credit_record(
    case, check, django_capture_on_commit_callbacks
):
    reviewer = f.reviewer_for(check.department)
    with django_capture_on_commit_callbacks(execute=True):
        commitment.task_find_false_commitment(
            actor=reviewer, task=check, finding="承诺已取得的消防验收并不存在", legal_basis=BASIS
        )
    case = fresh(case)
    assert case.status == CaseStatus.REVOKED and results(case) == [CaseMatter.Result.REVOKED]
    assert fresh(check).status_label == "不符合"
    assert Revocation.objects.get(case=case).is_false_commitment
    record = CreditRecord.objects.get()
    assert (record.applicant, record.case, record.recorded_on) == (case.applicant, case, MONDAY)
    assert (record.kind, record.note, record.recorded_by) == (
        "false_commitment",
        "承诺已取得的消防验收并不存在",
        reviewer,
    )
    assert [r.action for r in TimelineEntry.objects.filter(case=case).order_by("id")][-2:] == [
        "task_find_false_commitment",
        "case_revoke",
    ]
    [event] = events(case, "case_revoke")
    assert event.changes["false_commitment"] is True and event.changes["credit_record_id"] == record.pk
    assert deliveries(case)
    assert verify()[0] == 0


def test_a_revocation_cancels_the_other_departments_checks(travel):
    bundle = f.published_bundle()
    versions = MatterVersion.objects.filter(stagematter__stage__bundle_version=bundle)
    versions.update(commitment_allowed=True)
    for version in versions:
        f.MaterialFactory.create(version=version, key="commitment_letter", name="告知承诺书", required=False)
    case = f.submitted_case(bundle_version=bundle, files=f.required_files(bundle) | {"commitment_letter": f.pdf_file()})
    case = case_approve_on_commitment(actor=f.clerk_for(case.region), case=case, commitment_text="承诺")
    first, *others = list(case.tasks.order_by("pk"))
    commitment.task_find_false_commitment(
        actor=f.reviewer_for(first.department), task=first, finding="承诺不实", legal_basis=BASIS
    )
    assert {fresh(task).status for task in others} == {TaskStatus.CANCELLED}
    assert set(results(case)) == {CaseMatter.Result.REVOKED}
    with pytest.raises(TransitionNotAllowed):
        commitment.task_check_conform(actor=f.reviewer_for(others[0].department), task=others[0])


def test_a_false_commitment_needs_its_facts_and_legal_basis(case, check):
    with pytest.raises(InvalidFields) as refused:
        commitment.task_find_false_commitment(
            actor=f.reviewer_for(check.department), task=check, finding="", legal_basis=""
        )
    assert set(refused.value.errors) == {"finding", "legal_basis"}
    assert fresh(case).status == CaseStatus.COMPLETED
    assert not CreditRecord.objects.exists()


def test_a_review_task_is_not_a_check(travel):
    task = f.accepted_case().tasks.get()
    with pytest.raises(Conflict) as refused:
        commitment.task_find_false_commitment(
            actor=f.reviewer_for(task.department), task=task, finding="x", legal_basis="y"
        )
    assert refused.value.code == "task_not_check"
    assert fresh(task).status == TaskStatus.OPEN
