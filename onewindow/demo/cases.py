"""Demo cases: a few applications at different steps, so that every console has something to show.

Everything goes through the case engine's services, as the people involved would: the applicant
submits online, the clerk accepts or sends a correction notice, reviewers decide, the lead department
records the joint decision. Loaded once: a second run finds the demo cases and does nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from onewindow import clock
from onewindow.cases import sources
from onewindow.cases.models import Case
from onewindow.cases.services import intake, review
from onewindow.catalogue.domain import FieldKind, schema_to_fields
from onewindow.catalogue.models import BundleVersion, MatterVersion, VersionStatus
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, User

INDUSTRIAL_BUNDLE, BUSINESS_START_BUNDLE = "990100-YJS-001", "990100-YJS-002"
# Values for fields whose format is checked; everything else is filled by kind (the investment project
# code, 投资项目统一代码, begins with the year the project was registered: this year's, when loaded).
KNOWN_VALUES: Mapping[str, Any] = {
    "contact_phone": "13800000012",
    "project_name": "云川新材料产业园一期厂房",
    "project_address": "云川市东湖区创业大道88号",
    # the fee materials of the 施工许可 stage (一单收费): 1.2万平方米, a contract of 3,600万元
    "building_area": 12000,
    "contract_amount": 3600,
    "air_defence_area_unbuilt": 300,
    "enterprise_scale": "中型企业",
    "industry": "制造业",
}
# The people who apply for their enterprises in the demo (onewindow.demo.data.ENTERPRISES).
DEMO_APPLICANTS = ("wujiacheng", "chenzihang", "linxiaowen", "zhouruotong")
PDF = b"%PDF-1.4\n% onewindow demo material\n"


@transaction.atomic
def cases_load() -> int:
    """Create the demo cases unless they exist (or the bundles are missing); returns how many were created."""
    published = {
        version.bundle.code: version
        for version in BundleVersion.objects.filter(
            status=VersionStatus.PUBLISHED, bundle__code__in=[INDUSTRIAL_BUNDLE, BUSINESS_START_BUNDLE]
        ).select_related("bundle")
    }
    if len(published) < 2 or Case.objects.filter(applicant__user__username__in=DEMO_APPLICANTS).exists():
        return 0
    business, industrial = published[BUSINESS_START_BUNDLE], published[INDUSTRIAL_BUNDLE]
    completed = _submitted("wujiacheng", business, with_files=True)
    _accept(completed)
    for task in completed.tasks.all():
        review.task_approve(actor=reviewer_of(task.department_id), task=task, opinion="材料齐全，同意。")
    completed.refresh_from_db()
    review.case_decide(
        actor=_user("lead_scjg"),
        case=completed,
        results={matter.pk: "approved" for matter in completed.matters.all()},
        note="各部门审查同意，准予办理。",
    )
    in_review = _submitted("chenzihang", industrial, with_files=True)
    _accept(in_review)
    first = in_review.tasks.order_by("id").first()
    if first is not None:
        review.task_approve(actor=reviewer_of(first.department_id), task=first, opinion="符合规划，同意。")
    _submitted("linxiaowen", business, with_files=True)
    correcting = _submitted("zhouruotong", business, with_files=False)
    intake.case_request_correction(
        actor=_user("clerk"),
        case=correcting,
        items=[
            {"target": f"material:{key}", "problem": "未提交，请补充上传"}
            for key in sorted(required_material_keys(business))[:2]
        ],
    )
    return 4


INVOICE_MATTER = "990100-SWJ-001"  # 涉税事项办理（发票领用）: asks for the business licence again


@transaction.atomic
def reuse_case_load() -> int:
    """免提交: the enterprise whose 营业执照 the completed case issued applies for invoices online and
    uploads only what its wallet does not hold; the licence is taken from the wallet. Run after the
    demo's certificates are sealed; once."""
    user = _user("wujiacheng")
    applicant = Applicant.objects.get(kind=Applicant.Kind.ENTERPRISE, user=user)
    version = MatterVersion.objects.filter(matter__code=INVOICE_MATTER, status=VersionStatus.PUBLISHED).first()
    if version is None or Case.objects.filter(applicant=applicant, matter_version__matter=version.matter).exists():
        return 0
    source = sources.source_of(matter_version=version, bundle_version=None)
    wanted = [m.key for m in source.materials if m.required and not m.certificate_type]
    intake.case_submit(
        actor=user,
        applicant=applicant,
        matter_version=version,
        form_data=_form_values(version.form_schema, applicant),
        files={key: pdf(key) for key in wanted},
        channel="online",
    )
    return 1


def _user(username: str) -> User:
    return User.objects.get(username=username)


def reviewer_of(department_id: int) -> User:
    members = User.objects.filter(memberships__organisation_id=department_id)
    return members.filter(memberships__role=Role.REVIEWER).first() or members.get(
        memberships__role=Role.DEPARTMENT_HEAD
    )


def _submitted(username: str, bundle: BundleVersion, *, with_files: bool) -> Case:
    """The enterprise this demo person represents applies online for the bundle."""
    user = _user(username)
    applicant = Applicant.objects.get(kind=Applicant.Kind.ENTERPRISE, user=user)
    files = {key: pdf(key) for key in required_material_keys(bundle)} if with_files else {}
    return intake.case_submit(
        actor=user,
        applicant=applicant,
        bundle_version=bundle,
        form_data=_form_values(bundle.unified_form_schema, applicant),
        files=files,
        channel="online",
    )


def _accept(case: Case) -> None:
    intake.case_accept(actor=_user("clerk"), case=case)
    case.refresh_from_db()


def required_material_keys(bundle: BundleVersion) -> list[str]:
    source = sources.source_of(matter_version=None, bundle_version=bundle)
    return [material.key for material in source.materials if material.required]


def pdf(key: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{key}.pdf", PDF, content_type="application/pdf")


def _form_values(schema: Mapping[str, Any], applicant: Applicant) -> dict[str, Any]:
    person = Applicant.objects.get(user=applicant.user, kind=Applicant.Kind.PERSON)
    return form_values(schema, credit_code=applicant.id_number, person_id=person.id_number)


def form_values(
    schema: Mapping[str, Any], *, credit_code: str, person_id: str, known: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A plausible application form: the enterprise's codes, the known values, the rest filled by kind."""
    known = {**KNOWN_VALUES, **(known or {})}
    values: dict[str, Any] = {}
    for spec in schema_to_fields(schema):
        if spec.key == "credit_code":
            values[spec.key] = credit_code
        elif spec.key in {"legal_rep_id_number", "id_number"}:
            values[spec.key] = person_id
        elif spec.key == "project_code":
            values[spec.key] = f"{clock.today():%Y}-990103-47-01-000128"
        elif spec.key in known:
            values[spec.key] = known[spec.key]
        elif spec.kind == FieldKind.NUMBER:
            values[spec.key] = spec.minimum if spec.minimum is not None else 100
        elif spec.kind == FieldKind.DATE:
            values[spec.key] = (clock.today() + dt.timedelta(days=30)).isoformat()
        elif spec.kind == FieldKind.CHOICE:
            values[spec.key] = spec.options[0]
        elif spec.kind == FieldKind.BOOLEAN:
            values[spec.key] = False
        else:
            values[spec.key] = "云川市示例"
    return values
