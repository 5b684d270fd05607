"""Intake (一口受理): submission, drafts, the one-time correction notice (Art. 32), acceptance,
容缺受理, refusal, 告知承诺 and withdrawal, through the services."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from typing import Any

import pytest
import time_machine
from django.db import connection

from onewindow.audit.models import Event
from onewindow.cases.domain import TransitionNotAllowed
from onewindow.cases.models import Case, CaseMaterial, CaseSequence, ClockStop, CorrectionNotice, Task, TimelineEntry
from onewindow.cases.services.intake import (
    POST_CHECK_DAYS,
    case_accept,
    case_accept_with_deferral,
    case_approve_on_commitment,
    case_refuse,
    case_request_correction,
    case_resubmit,
    case_save_draft,
    case_submit,
    case_withdraw,
)
from onewindow.cases.tests import factories as f
from onewindow.catalogue.tests.factories import MatterVersionFactory
from onewindow.errors import Conflict, DomainError, InvalidFields, NotFound, PermissionDenied
from onewindow.uploads import DOCUMENT_MAX_BYTES

pytestmark = pytest.mark.django_db

# Mon 28 Sep 2026: 1–7 Oct are holidays, Sun 27 Sep and Sat 10 Oct are make-up workdays.
MONDAY_BEFORE_NATIONAL_DAY = dt.datetime(2026, 9, 28, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def events(case: Case) -> list[str]:
    return list(Event.objects.filter(stream=f"case:{case.pk}").order_by("seq").values_list("action", flat=True))


def actions(case: Case) -> list[str]:
    return list(case.timeline.values_list("action", flat=True))


def snapshot(case: Case) -> tuple[Any, ...]:
    case.refresh_from_db()
    return (
        case.status,
        case.accepted_on,
        case.refusal_reason,
        Task.objects.filter(case=case).count(),
        TimelineEntry.objects.filter(case=case).count(),
        Event.objects.filter(stream=f"case:{case.pk}").count(),
        ClockStop.objects.filter(case=case).count(),
        CorrectionNotice.objects.filter(case=case).count(),
    )


# --- submission -------------------------------------------------------------------------------------


@time_machine.travel(MONDAY_BEFORE_NATIONAL_DAY, tick=False)
def test_online_submission_gets_a_readable_number_received_today_and_five_day_intake_limit():
    case = f.submitted_case()

    assert case.number == f"{case.region.code}-20260928-00001"
    assert case.status == "submitted"
    assert case.received_on == dt.date(2026, 9, 28)
    assert case.intake_due_on == dt.date(2026, 10, 10)  # 29, 30 Sep, 8, 9 Oct and the make-up Sat 10 Oct
    assert case.channel == "online"
    assert case.submitted_by == case.applicant.user
    assert [(m.stage, m.department_id) for m in case.matters.all()] == [(1, case.matter_version.matter.department_id)]
    assert actions(case) == ["case_submit"]
    assert events(case) == ["cases.case_submit"]


def test_case_region_is_the_region_of_the_implementing_department():
    case = f.submitted_case()
    assert case.region == case.matter_version.matter.department.parent


def test_materials_are_stored_with_their_sha256_and_size():
    case = f.submitted_case()

    licence = case.materials.get(key="business_licence")
    assert licence.sha256 == hashlib.sha256(f.PDF_BYTES).hexdigest()
    assert licence.size == len(f.PDF_BYTES)
    assert licence.file.read() == f.PDF_BYTES
    assert set(case.materials.values_list("key", flat=True)) == {"business_licence", "site_plan", "site_photo"}
    assert case.materials.get(key="site_photo").file.name == ""  # optional, not given: listed, no file


def test_case_numbers_in_one_region_and_day_are_sequential_and_a_refused_submission_takes_none():
    version = f.published_matter()
    first = f.submitted_case(matter_version=version)
    with pytest.raises(InvalidFields):
        f.submitted_case(matter_version=version, form_data={"project_name": ""})
    second = f.submitted_case(matter_version=version)

    assert first.number.endswith("-00001")
    assert second.number.endswith("-00002")
    assert CaseSequence.objects.get(region_code=first.region.code).last == 2


def test_form_is_validated_field_by_field_with_every_chinese_message_at_once():
    version = f.published_matter()
    applicant = f.applicant_with_user()

    with pytest.raises(InvalidFields) as refused:
        case_submit(
            actor=applicant.user,
            applicant=applicant,
            matter_version=version,
            form_data={"floor_area": "很大", "start_on": "2026-02-30", "colour": "红"},
            files=f.required_files(version),
            channel="online",
        )

    assert refused.value.code == "invalid_application"
    assert refused.value.errors == {
        "project_name": "请填写项目名称",
        "floor_area": "建筑面积应为数字",
        "start_on": "计划开工日期不是有效日期",
        "colour": "表单中没有这个字段",
    }
    assert not Case.objects.exists()
    assert not CaseSequence.objects.exists()


def test_unknown_material_keys_are_refused():
    version = f.published_matter()
    files = {**f.required_files(version), "tax_record": f.pdf_file()}

    with pytest.raises(InvalidFields) as refused:
        f.submitted_case(matter_version=version, files=files)

    assert refused.value.errors == {"material:tax_record": "申请材料中没有这一项"}
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("licence.exe", b"MZ\x90\x00", "营业执照的文件类型不支持，请上传 PDF、JPG、PNG 或 OFD 文件"),
        ("licence.docx", b"PK\x03\x04", "营业执照的文件类型不支持，请上传 PDF、JPG、PNG 或 OFD 文件"),
        ("licence.pdf", f.PNG_BYTES, "营业执照的文件内容与扩展名“.pdf”不符，请上传真实的 PDF 文件"),
        ("licence.jpg", f.PDF_BYTES, "营业执照的文件内容与扩展名“.jpg”不符，请上传真实的 JPG 文件"),
        ("licence.pdf", b"", "营业执照是空文件，请重新上传"),
    ],
)
def test_file_types_are_checked_by_extension_and_by_content(name: str, content: bytes, problem: str):
    version = f.published_matter()
    files = {**f.required_files(version), "business_licence": f.pdf_file(name, content)}

    with pytest.raises(InvalidFields) as refused:
        f.submitted_case(matter_version=version, files=files)

    assert refused.value.errors == {"material:business_licence": problem}
    assert not CaseMaterial.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.png", f.PNG_BYTES),
        ("photo.JPEG", b"\xff\xd8\xff\xe0" + b"\x00" * 16),
        ("photo.jpg", b"\xff\xd8\xff\xe1" + b"\x00" * 16),
        ("licence.ofd", b"PK\x03\x04" + b"\x00" * 16),
    ],
)
def test_pdf_jpg_png_and_ofd_files_are_accepted(name: str, content: bytes):
    version = f.published_matter()
    case = f.submitted_case(
        matter_version=version, files={**f.required_files(version), "site_photo": f.pdf_file(name, content)}
    )
    assert case.materials.get(key="site_photo").sha256 == hashlib.sha256(content).hexdigest()


def test_files_over_twenty_megabytes_are_refused():
    version = f.published_matter()
    big = f.pdf_file("plan.pdf", f.PDF_BYTES + b"0" * (DOCUMENT_MAX_BYTES - len(f.PDF_BYTES) + 1))

    with pytest.raises(InvalidFields) as refused:
        f.submitted_case(matter_version=version, files={**f.required_files(version), "site_plan": big})

    assert refused.value.errors == {"material:site_plan": "总平面图超过 20 MB，请压缩后重新上传"}


def test_missing_required_materials_are_not_an_error_at_submission():
    case = f.submitted_case(files={})
    assert case.status == "submitted"
    assert not case.materials.exclude(file="").exists()


def test_a_bundle_asks_for_a_shared_material_once_and_files_its_matters_by_stage():
    case = f.submitted_case(bundle=True)

    keys = list(case.materials.order_by("key").values_list("key", flat=True))
    assert keys == ["business_licence", "drawing_1", "drawing_2", "drawing_3", "drawing_4"]
    assert sorted(case.matters.values_list("stage", flat=True)) == [1, 1, 1, 2]
    assert case.title == case.bundle_version.name
    stage_one = case.bundle_version.stages.get(position=1)
    assert case.region == stage_one.lead_department.parent


def test_only_published_versions_can_be_applied_for():
    draft_version = MatterVersionFactory.create(matter__department=f.department())

    with pytest.raises(DomainError) as refused:
        f.submitted_case(matter_version=draft_version, files={})

    assert refused.value.code == "version_not_published"
    assert not Case.objects.exists()


def test_one_matter_or_one_bundle_not_both():
    applicant = f.applicant_with_user()
    with pytest.raises(DomainError) as refused:
        case_submit(
            actor=applicant.user,
            applicant=applicant,
            matter_version=f.published_matter(),
            bundle_version=f.published_bundle(),
            form_data=f.form_values(),
            files={},
            channel="online",
        )
    assert refused.value.code == "matter_or_bundle_required"


# --- who may submit ---------------------------------------------------------------------------------


def test_a_clerk_of_the_region_submits_at_the_window_for_an_applicant():
    case = f.submitted_case(channel="window", applicant=f.applicant_with_user())
    assert case.channel == "window"
    assert case.submitted_by is not None and case.submitted_by != case.applicant.user


def test_a_window_submission_is_filed_in_the_clerks_own_region():
    version = f.published_matter()
    district = version.matter.department.parent
    street = f.region(parent=district, level="street")
    clerk = f.clerk_for(street)

    case = case_submit(
        actor=clerk,
        applicant=f.applicant_with_user(),
        matter_version=version,
        form_data=f.form_values(),
        files={},
        channel="window",
    )

    assert case.region == street
    assert case.number.startswith(f"{street.code}-")


@pytest.mark.parametrize(
    "who", ["another_applicant", "clerk_online", "clerk_of_another_regions_department", "reviewer"]
)
def test_only_the_applicants_account_or_a_clerk_of_the_region_may_submit(who: str):
    version = f.published_matter()
    region = version.matter.department.parent
    actor, channel = {
        "another_applicant": (f.applicant_with_user().user, "online"),
        "clerk_online": (f.clerk_for(region), "online"),
        # A clerk who is a member of a region files the case there (the agreed rule); one who is only
        # a member of another region's department has no say over the matter's own region.
        "clerk_of_another_regions_department": (f.clerk_for(f.department()), "window"),
        "reviewer": (f.reviewer_for(region), "window"),
    }[who]

    with pytest.raises(PermissionDenied):
        case_submit(
            actor=actor,
            applicant=f.applicant_with_user(),
            matter_version=version,
            form_data=f.form_values(),
            files=f.required_files(version),
            channel=channel,
        )

    assert not Case.objects.exists()
    assert not CaseSequence.objects.exists()


def test_an_agent_must_hold_the_agent_role():
    version = f.published_matter()
    with pytest.raises(DomainError) as refused:
        case_submit(
            actor=f.clerk_for(version.matter.department.parent),
            applicant=f.applicant_with_user(),
            matter_version=version,
            form_data=f.form_values(),
            files={},
            channel="window",
            agent=f.reviewer_for(version.matter.department),
        )
    assert refused.value.code == "invalid_agent"


# --- drafts -----------------------------------------------------------------------------------------


def test_a_draft_keeps_an_unfinished_application_and_takes_a_case_number_only_when_submitted():
    version = f.published_matter()
    applicant = f.applicant_with_user()

    draft = case_save_draft(
        actor=applicant.user,
        applicant=applicant,
        matter_version=version,
        form_data={"project_name": "半成品"},
        files={"business_licence": f.pdf_file()},
        channel="online",
    )
    assert draft.status == "draft"
    assert draft.number.startswith("DRAFT-")
    assert draft.received_on is None
    assert not CaseSequence.objects.exists()

    case = case_submit(
        actor=applicant.user,
        applicant=applicant,
        form_data={"floor_area": 300},
        files={"site_plan": f.pdf_file()},
        channel="online",
        draft=draft,
    )

    assert case.pk == draft.pk
    assert case.number.endswith("-00001")
    assert case.form_data == {"project_name": "半成品", "floor_area": 300}
    assert set(case.materials.exclude(file="").values_list("key", flat=True)) == {"business_licence", "site_plan"}
    assert actions(case) == ["case_draft_saved", "case_submit"]
    assert not case.timeline.get(action="case_draft_saved").is_public


def test_a_submitted_draft_cannot_be_submitted_again():
    applicant = f.applicant_with_user()
    version = f.published_matter()
    draft = case_save_draft(
        actor=applicant.user, applicant=applicant, matter_version=version, form_data={}, channel="online"
    )
    kwargs: dict[str, Any] = {"actor": applicant.user, "applicant": applicant, "channel": "online", "draft": draft}
    case_submit(form_data=f.form_values(), files={}, **kwargs)

    with pytest.raises(Conflict) as refused:
        case_submit(form_data=f.form_values(), files={}, **kwargs)
    assert refused.value.code == "not_a_draft"


def test_someone_elses_draft_is_not_found_for_another_applicant():
    applicant = f.applicant_with_user()
    draft = case_save_draft(
        actor=applicant.user, applicant=applicant, matter_version=f.published_matter(), form_data={}, channel="online"
    )
    other = f.applicant_with_user()
    before = snapshot(draft)

    with pytest.raises(NotFound) as refused:
        case_submit(actor=other.user, applicant=other, form_data={}, files={}, channel="online", draft=draft)

    assert refused.value.code == "case_not_found"

    assert snapshot(draft) == before


# --- the one-time correction notice (Art. 32) -------------------------------------------------------


def test_correction_notice_lists_every_problem_at_once():
    case = f.submitted_case(files={"business_licence": f.pdf_file()})
    clerk = f.clerk_for(case.region)

    notice = case_request_correction(
        actor=clerk,
        case=case,
        items=[
            {"target": "material:site_plan", "problem": "未提交总平面图"},
            {"target": "material:business_licence", "problem": "营业执照已过有效期"},
            {"target": "field:floor_area", "problem": "建筑面积与图纸不一致"},
        ],
    )

    case.refresh_from_db()
    assert case.status == "correction"
    assert notice.number == f"{case.number}-BZ1"
    assert notice.items == [
        {"target": "material:site_plan", "label": "总平面图", "problem": "未提交总平面图"},
        {"target": "material:business_licence", "label": "营业执照", "problem": "营业执照已过有效期"},
        {"target": "field:floor_area", "label": "建筑面积", "problem": "建筑面积与图纸不一致"},
    ]
    stop = case.clock_stops.get()
    assert (stop.reason, stop.last_on) == ("correction", None)
    entry = case.timeline.get(action="case_request_correction")
    assert entry.is_public  # the applicant sees the notice on their status page
    assert all(text in entry.note for text in ("总平面图", "营业执照", "建筑面积"))
    assert events(case)[-1] == "cases.case_request_correction"


@pytest.mark.parametrize(
    ("items", "errors"),
    [
        ([], {"items": "请至少列出一项需要补正的内容"}),
        (
            [{"target": "material:tax_record", "problem": "缺"}, {"target": "field:floor_area", "problem": " "}],
            {
                "items.0.target": "补正对象须是本件的一项材料（material:编码）或一个表单字段（field:编码）",
                "items.1.problem": "请写明“建筑面积”需要补正的问题",
            },
        ),
    ],
)
def test_correction_items_must_name_materials_or_fields_of_the_case(items: list[Any], errors: dict[str, str]):
    case = f.submitted_case()
    before = snapshot(case)

    with pytest.raises(InvalidFields) as refused:
        case_request_correction(actor=f.clerk_for(case.region), case=case, items=items)

    assert refused.value.errors == errors
    assert snapshot(case) == before


def test_only_one_correction_notice_while_the_applicant_is_correcting():
    case = f.submitted_case()
    clerk = f.clerk_for(case.region)
    case_request_correction(actor=clerk, case=case, items=[{"target": "material:site_plan", "problem": "模糊"}])

    with pytest.raises(TransitionNotAllowed):
        case_request_correction(actor=clerk, case=case, items=[{"target": "material:site_plan", "problem": "还缺"}])
    assert CorrectionNotice.objects.filter(case=case).count() == 1


def test_intake_limit_restarts_on_resubmission():
    with time_machine.travel(MONDAY_BEFORE_NATIONAL_DAY, tick=False):
        case = f.submitted_case(files={"business_licence": f.pdf_file()})
        clerk = f.clerk_for(case.region)
    with time_machine.travel(dt.datetime(2026, 9, 29, 9, tzinfo=MONDAY_BEFORE_NATIONAL_DAY.tzinfo), tick=False):
        notice = case_request_correction(
            actor=clerk, case=case, items=[{"target": "material:site_plan", "problem": "未提交总平面图"}]
        )
    with time_machine.travel(dt.datetime(2026, 10, 9, 15, tzinfo=MONDAY_BEFORE_NATIONAL_DAY.tzinfo), tick=False):
        case = case_resubmit(
            actor=case.applicant.user, case=case, form_data={"floor_area": 11800}, files={"site_plan": f.pdf_file()}
        )

    assert case.status == "submitted"
    assert case.received_on == dt.date(2026, 10, 9)
    # 5 working days from Fri 9 Oct: Sat 10 (make-up), 12, 13, 14, 15 Oct.
    assert case.intake_due_on == dt.date(2026, 10, 15)
    assert case.form_data["floor_area"] == 11800 and case.form_data["project_name"]
    notice.refresh_from_db()
    assert notice.resolved_at is not None
    stop = case.clock_stops.get()
    assert (stop.first_on, stop.last_on) == (dt.date(2026, 9, 29), dt.date(2026, 10, 8))  # 9 Oct counts again
    assert actions(case) == ["case_submit", "case_request_correction", "case_resubmit"]


def test_a_resubmission_is_checked_like_a_submission_and_changes_nothing_when_wrong():
    case = f.submitted_case()
    case_request_correction(
        actor=f.clerk_for(case.region), case=case, items=[{"target": "field:project_name", "problem": "名称不全"}]
    )
    before = snapshot(case)

    with pytest.raises(InvalidFields) as refused:
        case_resubmit(actor=case.applicant.user, case=case, form_data={"project_name": ""}, files={})

    assert refused.value.errors == {"project_name": "请填写项目名称"}
    assert snapshot(case) == before


def test_another_applicant_cannot_resubmit():
    case = f.submitted_case()
    case_request_correction(
        actor=f.clerk_for(case.region), case=case, items=[{"target": "field:project_name", "problem": "名称不全"}]
    )
    before = snapshot(case)

    with pytest.raises(NotFound) as refused:  # exactly like a case that does not exist
        case_resubmit(actor=f.applicant_with_user().user, case=case, form_data={}, files={})
    assert refused.value.code == "case_not_found"
    assert snapshot(case) == before


# --- acceptance -------------------------------------------------------------------------------------


@time_machine.travel(MONDAY_BEFORE_NATIONAL_DAY, tick=False)
def test_acceptance_opens_stage_one_with_one_task_per_department():
    case = f.submitted_case(bundle=True)

    case = case_accept(actor=f.clerk_for(case.region), case=case)

    assert case.status == "in_review"
    assert case.accepted_on == dt.date(2026, 9, 28)
    assert case.acceptance_notice_number == f"{case.number}-SL"
    assert case.limit_days == 45  # joint handling, Art. 42
    assert case.current_stage == 1
    tasks = list(case.tasks.order_by("pk"))
    stage_one = case.matters.filter(stage=1)
    assert sorted(t.department_id for t in tasks) == sorted(m.department_id for m in stage_one)
    assert {(t.kind, t.status, t.stage, t.started_on, t.limit_days) for t in tasks} == {
        ("review", "open", 1, dt.date(2026, 9, 28), 5)
    }
    # 5 working days from Mon 28 Sep: 29, 30 Sep, 8, 9, 10 Oct (make-up Saturday).
    assert {t.due_on for t in tasks} == {dt.date(2026, 10, 10)}
    assert actions(case) == ["case_submit", "case_accept", "task_open", "task_open", "task_open"]
    assert events(case) == ["cases.case_submit", "cases.case_accept"] + ["cases.task_open"] * 3


@time_machine.travel(MONDAY_BEFORE_NATIONAL_DAY, tick=False)
def test_a_single_matter_case_runs_on_its_statutory_limit_and_its_task_on_the_promised_one():
    case = f.accepted_case(matter_version=f.published_matter(promised_limit_days=10, statutory_limit_days=20))

    assert case.limit_days == 20
    assert case.tasks.get().limit_days == 10
    # 20 working days from Mon 28 Sep, skipping 1–7 Oct, counting Sat 10 Oct: Fri 30 Oct.
    assert case.due_on == dt.date(2026, 10, 30)


def test_a_green_channel_case_runs_on_the_shorter_limit():
    version = f.published_matter(promised_limit_days=5)
    case = f.accepted_case(matter_version=version, is_green_channel=True)
    assert case.tasks.get().limit_days == 3


def test_an_applicant_cannot_put_their_own_case_on_the_green_channel():
    version = f.published_matter()
    applicant = f.applicant_with_user()
    with pytest.raises(PermissionDenied) as refused:
        case_submit(
            actor=applicant.user,
            applicant=applicant,
            matter_version=version,
            form_data=f.form_values(),
            files={},
            channel="online",
            is_green_channel=True,
        )
    assert refused.value.code == "green_channel_not_allowed"
    assert not Case.objects.exists()


def test_acceptance_is_refused_while_required_materials_are_missing():
    case = f.submitted_case(files={"business_licence": f.pdf_file()})
    before = snapshot(case)

    with pytest.raises(Conflict) as refused:
        case_accept(actor=f.clerk_for(case.region), case=case)

    assert refused.value.code == "required_materials_missing"
    assert "总平面图" in refused.value.message
    assert snapshot(case) == before


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        # who may not see the case is told exactly what a missing case would tell
        ("clerk_of_another_region", NotFound),
        ("reviewer_of_the_department", NotFound),  # no task of theirs yet: the case is not theirs to see
        ("applicant", PermissionDenied),  # sees their own case, may not decide on it
    ],
)
def test_only_a_clerk_of_the_region_decides_intake(who: str, refusal: type[DomainError]):
    case = f.submitted_case()
    department = case.matter_version.matter.department
    actor = {
        "clerk_of_another_region": f.clerk_for(f.region()),
        "reviewer_of_the_department": f.reviewer_for(department),
        "applicant": case.applicant.user,
    }[who]
    before = snapshot(case)

    for decide in (
        lambda: case_accept(actor=actor, case=case),
        lambda: case_refuse(actor=actor, case=case, reason="不属于本机关职权", legal_basis="第三十二条"),
        lambda: case_request_correction(
            actor=actor, case=case, items=[{"target": "field:project_name", "problem": "x"}]
        ),
        lambda: case_accept_with_deferral(actor=actor, case=case, deferred={"site_plan": dt.date(2099, 1, 1)}),
        lambda: case_approve_on_commitment(actor=actor, case=case, commitment_text="承诺"),
    ):
        with pytest.raises(refusal) as refused:
            decide()
        assert refused.value.code == ("case_not_found" if refusal is NotFound else "not_clerk_of_region")
    assert snapshot(case) == before


def test_a_clerk_of_the_city_above_the_district_may_decide():
    case = f.submitted_case()
    city = f.region(level="city")
    case.region.parent = city
    case.region.path = f"{city.path}{case.region.code}/"
    case.region.save()

    assert case_accept(actor=f.clerk_for(city), case=case).status == "in_review"


def test_an_accepted_case_cannot_be_accepted_twice():
    case = f.accepted_case()
    with pytest.raises(TransitionNotAllowed):
        case_accept(actor=f.clerk_for(case.region), case=case)
    assert case.tasks.count() == 1


# --- 容缺受理 -----------------------------------------------------------------------------------------


def test_only_deferrable_materials_may_be_deferred():
    case = f.submitted_case(files={})
    clerk = f.clerk_for(case.region)
    before = snapshot(case)

    with pytest.raises(InvalidFields) as refused:
        case_accept_with_deferral(
            actor=clerk, case=case, deferred={"business_licence": dt.date(2099, 1, 1), "site_plan": dt.date(2099, 1, 1)}
        )

    assert refused.value.errors == {"material:business_licence": "营业执照不可容缺，须在受理前提交"}
    assert snapshot(case) == before


def test_deferral_needs_every_non_deferrable_required_material_and_a_future_due_date():
    case = f.submitted_case(files={})
    with pytest.raises(InvalidFields) as refused:
        case_accept_with_deferral(
            actor=f.clerk_for(case.region), case=case, deferred={"site_plan": dt.date(2000, 1, 1)}
        )
    assert refused.value.errors == {
        "material:site_plan": "总平面图的补交期限须晚于今天",
        "material:business_licence": "营业执照尚未提交且未容缺，请先一次性告知补正",
    }


def test_accept_with_deferral_records_each_deferred_materials_due_date():
    case = f.submitted_case(files={"business_licence": f.pdf_file()})
    due = dt.date.today() + dt.timedelta(days=30)

    case = case_accept_with_deferral(actor=f.clerk_for(case.region), case=case, deferred={"site_plan": due})

    assert case.status == "in_review"
    assert case.materials.get(key="site_plan").deferred_due_on == due
    assert case.tasks.count() == 1
    entry = case.timeline.get(action="case_accept_with_deferral")
    assert "总平面图" in entry.note
    assert Event.objects.get(action="cases.case_accept_with_deferral").changes["deferred"] == {
        "site_plan": due.isoformat()
    }


# --- refusal ----------------------------------------------------------------------------------------


def test_refusal_needs_reason_and_legal_basis():
    case = f.submitted_case()
    clerk = f.clerk_for(case.region)
    before = snapshot(case)

    with pytest.raises(InvalidFields) as refused:
        case_refuse(actor=clerk, case=case, reason=" ", legal_basis="")

    assert refused.value.errors == {"reason": "请填写不予受理的理由", "legal_basis": "请填写不予受理的法律依据"}
    assert snapshot(case) == before

    case = case_refuse(
        actor=clerk,
        case=case,
        reason="申请事项依法不需要取得行政许可",
        legal_basis="《行政许可法》第三十二条第一款第（一）项",
    )
    assert case.status == "refused"
    assert case.refusal_reason == "申请事项依法不需要取得行政许可"
    assert case.decision_note == "《行政许可法》第三十二条第一款第（一）项"
    entry = case.timeline.get(action="case_refuse")
    assert entry.actor == clerk and "第三十二条" in entry.note and "不需要" in entry.note


# --- 告知承诺 -----------------------------------------------------------------------------------------


@time_machine.travel(MONDAY_BEFORE_NATIONAL_DAY, tick=False)
def test_commitment_approval_completes_the_case_with_a_post_check_task():
    letter = {"commitment_letter": f.pdf_file("告知承诺书.pdf")}  # the signed commitment, nothing else
    case = f.submitted_case(matter_version=f.published_matter(commitment_allowed=True), files=letter)

    case = case_approve_on_commitment(actor=f.clerk_for(case.region), case=case, commitment_text="本人承诺符合条件")

    assert case.status == "completed"
    assert case.completed_at is not None
    assert list(case.matters.values_list("result", flat=True)) == ["committed"]
    task = case.tasks.get()
    assert (task.kind, task.status, task.limit_days) == ("post_check", "open", POST_CHECK_DAYS)
    assert task.department == case.matter_version.matter.department
    assert task.due_on == dt.date(2026, 10, 30)  # 20 working days across National Day
    assert actions(case) == ["case_submit", "case_approve_on_commitment", "task_open"]


def test_commitment_approval_only_for_matters_that_allow_it():
    case = f.submitted_case()
    before = snapshot(case)
    with pytest.raises(Conflict) as refused:
        case_approve_on_commitment(actor=f.clerk_for(case.region), case=case, commitment_text="承诺")
    assert refused.value.code == "commitment_not_allowed"
    assert snapshot(case) == before


# --- withdrawal -------------------------------------------------------------------------------------


def test_the_applicant_withdraws_before_the_decision_and_open_tasks_and_stops_end():
    case = f.accepted_case(bundle=True)
    task = case.tasks.first()
    assert task is not None
    ClockStop.objects.create(case=case, task=task, reason="expert_review", first_on=case.accepted_on)

    case = case_withdraw(actor=case.applicant.user, case=case, reason="项目调整")

    assert case.status == "withdrawn"
    assert set(case.tasks.values_list("status", flat=True)) == {"cancelled"}
    assert not case.clock_stops.filter(last_on__isnull=True).exists()
    assert actions(case)[-4:] == ["task_cancel", "task_cancel", "task_cancel", "case_withdraw"]
    assert events(case)[-1] == "cases.case_withdraw"


def test_a_clerk_of_the_region_withdraws_for_the_applicant_during_correction():
    case = f.submitted_case()
    clerk = f.clerk_for(case.region)
    case_request_correction(actor=clerk, case=case, items=[{"target": "field:project_name", "problem": "不全"}])

    case = case_withdraw(actor=clerk, case=case, reason="申请人当面撤回")

    assert case.status == "withdrawn"
    assert case.clock_stops.get().last_on is not None


def test_another_applicant_cannot_withdraw():
    case = f.accepted_case()
    before = snapshot(case)
    with pytest.raises(NotFound) as refused:
        case_withdraw(actor=f.applicant_with_user().user, case=case, reason="捣乱")
    assert refused.value.code == "case_not_found"
    assert snapshot(case) == before


def test_a_decided_case_cannot_be_withdrawn():
    case = f.submitted_case()
    case_refuse(actor=f.clerk_for(case.region), case=case, reason="不属于本机关", legal_basis="第三十二条")
    with pytest.raises(TransitionNotAllowed):
        case_withdraw(actor=case.applicant.user, case=case, reason="算了")


# --- case numbers under concurrency (PostgreSQL) ----------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and real threads need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_get_distinct_consecutive_numbers():
    version = f.published_matter()
    applicants = [f.applicant_with_user() for _ in range(2)]
    barrier = threading.Barrier(2)
    numbers: list[str] = []
    failures: list[BaseException] = []

    def submit(applicant: Any) -> None:
        try:
            barrier.wait()
            numbers.append(
                case_submit(
                    actor=applicant.user,
                    applicant=applicant,
                    matter_version=version,
                    form_data=f.form_values(),
                    files={},
                    channel="online",
                ).number
            )
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(a,)) for a in applicants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert sorted(n[-5:] for n in numbers) == ["00001", "00002"]
    assert CaseSequence.objects.get().last == 2


def test_a_window_only_matter_cannot_be_applied_for_online(db):
    from onewindow.cases.models import Case
    from onewindow.cases.services.intake import case_submit
    from onewindow.cases.tests.factories import applicant_with_user
    from onewindow.catalogue.models import OnlineLevel
    from onewindow.catalogue.tests.factories import make_published_matter
    from onewindow.errors import DomainError

    version = make_published_matter(online_level=OnlineLevel.WINDOW)
    applicant = applicant_with_user()

    with pytest.raises(DomainError) as refused:
        case_submit(
            actor=applicant.user, applicant=applicant, matter_version=version, form_data={}, files={}, channel="online"
        )

    assert refused.value.code == "matter_window_only"
    assert not Case.objects.exists()
