"""Shared test data for the cases app, built through the real services wherever a case is involved.

Organisations and catalogue
    region() / department(region)          a district and a department under it (orgs service)
    published_matter(department=...)       a published matter version with three materials:
                                           business_licence (required), site_plan (required,
                                           deferrable), site_photo (optional); with
                                           commitment_allowed=True also commitment_letter (optional)
    published_bundle(in_region=...)           a published bundle of 4 departments of one region:
                                           stage 1 holds 3 matters, stage 2 holds 1; each matter
                                           asks for the shared business_licence and its own drawing

People
    clerk_for(region) / reviewer_for(department) / head_for(department) / coordinator_for(department)
    agent_for(region) / applicant_with_user()

Cases (through case_submit / case_accept)
    submitted_case(...)                    a single-matter case (bundle=True: the 4-department bundle)
    accepted_case(...)                     the same, accepted by a clerk of its region
    pdf_file() / png_file() / form_values()
"""

from __future__ import annotations

import itertools
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q

from onewindow.cases.models import Case
from onewindow.catalogue.domain import COMMITMENT_LETTER, FieldKind, FieldSpec, fields_to_schema, merge_form_schemas
from onewindow.catalogue.models import BundleVersion, MatterVersion
from onewindow.catalogue.tests.factories import (
    BundleVersionFactory,
    MaterialFactory,
    MatterFactory,
    MatterVersionFactory,
    StageFactory,
    StageMatterFactory,
)
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, Organisation, User
from onewindow.orgs.services import organisation_create
from onewindow.orgs.tests.factories import PersonFactory, UserFactory, staff

_numbers = itertools.count(1)

FORM_SCHEMA = fields_to_schema(
    [
        FieldSpec(key="project_name", label="项目名称", kind=FieldKind.TEXT, required=True, maximum=50),
        FieldSpec(key="floor_area", label="建筑面积", kind=FieldKind.NUMBER, required=True, minimum=1),
        FieldSpec(key="start_on", label="计划开工日期", kind=FieldKind.DATE),
    ]
)


def form_values(**overrides: Any) -> dict[str, Any]:
    return {"project_name": "滨江科创园一期", "floor_area": 12000, **overrides}


# ---------------------------------------------------------------------------------------------
# Organisations and people


def region(*, parent: Organisation | None = None, level: str = Organisation.Level.DISTRICT) -> Organisation:
    n = next(_numbers)
    return organisation_create(code=f"33{n:04d}", name=f"测试区{n}", level=level, parent=parent)


def department(parent: Organisation | None = None) -> Organisation:
    n = next(_numbers)
    return organisation_create(
        code=f"DEPT{n:04d}", name=f"测试局{n}", level=Organisation.Level.DEPARTMENT, parent=parent or region()
    )


_new_department = department


def clerk_for(organisation: Organisation) -> User:
    return staff(Role.CLERK, organisation)


def reviewer_for(organisation: Organisation) -> User:
    return staff(Role.REVIEWER, organisation)


def head_for(organisation: Organisation) -> User:
    return staff(Role.DEPARTMENT_HEAD, organisation)


def coordinator_for(organisation: Organisation) -> User:
    return staff(Role.LEAD_COORDINATOR, organisation)


def agent_for(organisation: Organisation) -> User:
    return staff(Role.AGENT, organisation)


def applicant_with_user() -> Applicant:
    """An applicant whose online account (applicant.user) may act for them."""
    applicant: Applicant = PersonFactory(user=UserFactory())
    return applicant


# ---------------------------------------------------------------------------------------------
# Catalogue


def published_matter(
    *,
    department: Organisation | None = None,
    promised_limit_days: int = 5,
    statutory_limit_days: int = 20,
    commitment_allowed: bool = False,
    name: str | None = None,
) -> MatterVersion:
    matter = MatterFactory.create(department=department or _new_department())
    version: MatterVersion = MatterVersionFactory.create(
        matter=matter,
        published=True,
        promised_limit_days=promised_limit_days,
        statutory_limit_days=statutory_limit_days,
        commitment_allowed=commitment_allowed,
        form_schema=FORM_SCHEMA,
        **({"name": name} if name else {}),
    )
    MaterialFactory.create(version=version, position=1, key="business_licence", name="营业执照")
    MaterialFactory.create(version=version, position=2, key="site_plan", name="总平面图", deferrable=True)
    MaterialFactory.create(version=version, position=3, key="site_photo", name="现场照片", required=False)
    if commitment_allowed:  # as the catalogue services keep it (catalogue.domain.with_commitment_letter)
        letter = COMMITMENT_LETTER
        MaterialFactory.create(version=version, position=4, key=letter.key, name=letter.name, required=False)
    return version


def published_bundle(*, in_region: Organisation | None = None, promised_limit_days: int = 5) -> BundleVersion:
    """Four departments of one region: three matters in stage 1, one in stage 2."""
    home = in_region or region()
    versions = []
    for i in range(4):
        version = published_matter(department=department(home), promised_limit_days=promised_limit_days)
        version.materials.filter(key="site_plan").update(key=f"drawing_{i + 1}", name=f"设计图纸{i + 1}")
        version.materials.filter(key="site_photo").delete()
        versions.append(version)
    bundle_version: BundleVersion = BundleVersionFactory.create(published=True, name="工程建设项目联合审批")
    stage_one = StageFactory.create(
        bundle_version=bundle_version, position=1, name="立项用地", lead_department=versions[0].matter.department
    )
    stage_two = StageFactory.create(
        bundle_version=bundle_version, position=2, name="施工许可", lead_department=versions[3].matter.department
    )
    for version in versions[:3]:
        StageMatterFactory.create(stage=stage_one, matter=version.matter, matter_version=version)
    StageMatterFactory.create(stage=stage_two, matter=versions[3].matter, matter_version=versions[3])
    bundle_version.unified_form_schema = merge_form_schemas([(v.name, v.form_schema) for v in versions])
    bundle_version.save(update_fields=["unified_form_schema"])
    return bundle_version


# ---------------------------------------------------------------------------------------------
# Files

PDF_BYTES = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf_file(name: str = "材料.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_file(name: str = "照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def required_files(case_source: MatterVersion | BundleVersion) -> dict[str, SimpleUploadedFile]:
    """One PDF per required material of a matter or a bundle, and the signed commitment (告知承诺书)
    where a matter asks for one."""
    if isinstance(case_source, MatterVersion):
        wanted = Q(required=True) | Q(key=COMMITMENT_LETTER.key)
        keys = set(case_source.materials.filter(wanted).values_list("key", flat=True))
    else:
        keys = set(
            MatterVersion.objects.filter(stagematter__stage__bundle_version=case_source)
            .filter(materials__required=True)
            .values_list("materials__key", flat=True)
        )
    return {key: pdf_file(f"{key}.pdf") for key in sorted(keys)}


# ---------------------------------------------------------------------------------------------
# Cases, through the real services


def submitted_case(
    *,
    bundle: bool = False,
    matter_version: MatterVersion | None = None,
    bundle_version: BundleVersion | None = None,
    applicant: Applicant | None = None,
    channel: str = "online",
    files: dict[str, Any] | None = None,
    form_data: dict[str, Any] | None = None,
    is_green_channel: bool = False,
) -> Case:
    """A submitted case: online (the portal, or `app`: the mobile app) by the applicant's own account, or at
    the window by a clerk.

    A green-channel case is always submitted at the window: only staff may mark the green channel.
    """
    if is_green_channel:
        channel = "window"
    from onewindow.cases.services.intake import case_region_for, case_submit

    if bundle and bundle_version is None:
        bundle_version = published_bundle()
    if bundle_version is None and matter_version is None:
        matter_version = published_matter()
    applicant = applicant or applicant_with_user()
    source: MatterVersion | BundleVersion = bundle_version or matter_version  # type: ignore[assignment]
    if channel in ("online", "app"):
        actor = applicant.user
    else:
        actor = clerk_for(case_region_for(matter_version=matter_version, bundle_version=bundle_version))
    return case_submit(
        actor=actor,
        applicant=applicant,
        matter_version=matter_version,
        bundle_version=bundle_version,
        form_data=form_values() if form_data is None else form_data,
        files=required_files(source) if files is None else files,
        channel=channel,
        is_green_channel=is_green_channel,
    )


def accepted_case(**kwargs: Any) -> Case:
    """A submitted case accepted by a clerk of its region: stage 1's tasks are open."""
    from onewindow.cases.services.intake import case_accept

    case = submitted_case(**kwargs)
    return case_accept(actor=clerk_for(case.region), case=case)
