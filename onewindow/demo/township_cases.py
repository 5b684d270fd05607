"""Demo cases at the township windows (市区/县乡审批一体化): residents apply at their 便民服务中心, the
township clerk files and accepts, and the district department decides on its own console.

| who applies | where | for | decided by | left |
|---|---|---|---|---|
| 郑秀英 | 清河区清河街道 | 最低生活保障审核确认 | 清河区民政局 | in review (reviewer_990102_mz's 待办) |
| 何建明 | 梅岭县竹溪镇 | 居住证申领 | 梅岭县公安局 | completed |
| 秦小满 | 梅岭县梅岭镇 | 城乡居民基本医疗保险参保登记 | 梅岭县医疗保障局 | awaiting intake at 梅岭镇 |
| 罗佳琪 | 清河区望江街道 | 生育登记 | 望江街道社会事务办 | completed |

Through the case engine's services, as the people involved would; loaded once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from onewindow.cases import sources
from onewindow.cases.models import Case
from onewindow.cases.services import intake, review
from onewindow.catalogue.domain import FieldKind, schema_to_fields
from onewindow.catalogue.models import MatterVersion, VersionStatus
from onewindow.demo.cases import PDF
from onewindow.demo.identifiers import resident_id
from onewindow.orgs.models import Applicant, User


@dataclass(frozen=True)
class TownshipCase:
    clerk: str
    matter: str  # the matter's code
    name: str
    id_stem: str
    phone: str
    until: str  # submitted / accepted / completed
    reviewer: str = ""


TOWNSHIP_CASES: tuple[TownshipCase, ...] = (
    TownshipCase("clerk_990102001", "990102-MZ-001", "郑秀英", "33010619580312021", "13800000021", "accepted"),
    TownshipCase(
        "clerk_990121002",
        "990121-GA-001",
        "何建明",
        "42010619900611033",
        "13800000022",
        "completed",
        "reviewer_990121_ga",
    ),
    TownshipCase("clerk_990121001", "990121-YB-001", "秦小满", "44030520000101045", "13800000023", "submitted"),
    TownshipCase(
        "clerk_990102002",
        "990102002-SHSW-001",
        "罗佳琪",
        "31010419930225068",
        "13800000024",
        "completed",
        "reviewer_990102002",
    ),
)


@transaction.atomic
def township_cases_load() -> int:
    """File the township cases unless a township clerk filed any already; returns how many were created."""
    clerks = [spec.clerk for spec in TOWNSHIP_CASES]
    if Case.objects.filter(submitted_by__username__in=clerks).exists():
        return 0
    created = 0
    for spec in TOWNSHIP_CASES:
        version = MatterVersion.objects.filter(matter__code=spec.matter, status=VersionStatus.PUBLISHED).first()
        if version is not None:
            _file(spec, version)
            created += 1
    return created


def _file(spec: TownshipCase, version: MatterVersion) -> None:
    clerk = User.objects.get(username=spec.clerk)
    applicant = intake.WindowApplicant(
        kind=Applicant.Kind.PERSON, name=spec.name, id_number=resident_id(spec.id_stem), phone=spec.phone
    )
    case = window_case_submit(clerk, applicant, version)
    if spec.until == "submitted":
        return
    intake.case_accept(actor=clerk, case=case)
    if spec.until == "completed":
        task = case.tasks.get()
        review.task_approve(
            actor=User.objects.get(username=spec.reviewer), task=task, opinion="经审查，符合条件，同意。"
        )


def window_case_submit(clerk: User, applicant: intake.WindowApplicant, version: MatterVersion) -> Case:
    """A clerk files `version` at the window for `applicant`: the form filled from the applicant, a PDF for
    every required material."""
    source = sources.source_of(matter_version=version, bundle_version=None)
    return intake.case_submit_at_window(
        actor=clerk,
        applicant=applicant,
        matter_version=version,
        form_data=_form_values(version.form_schema, applicant),
        files={
            m.key: SimpleUploadedFile(f"{m.key}.pdf", PDF, content_type="application/pdf")
            for m in source.materials
            if m.required
        },
    )


def _form_values(schema: Mapping[str, Any], applicant: intake.WindowApplicant) -> dict[str, Any]:
    known = {"applicant_name": applicant.name, "id_number": applicant.id_number, "contact_phone": applicant.phone}
    values: dict[str, Any] = {}
    for spec in schema_to_fields(schema):
        if spec.key in known:
            values[spec.key] = known[spec.key]
        elif spec.kind == FieldKind.NUMBER:
            values[spec.key] = max(spec.minimum or 0, 1)
        elif spec.kind == FieldKind.CHOICE:
            values[spec.key] = spec.options[0]
        else:
            values[spec.key] = "云川市示例"
    return values
