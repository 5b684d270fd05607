"""Writing the plan through the services, in one transaction: with any refusal nothing changes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import transaction

from onewindow import xlsx
from onewindow.catalogue import domain, services
from onewindow.catalogue.domain import (
    MatterContent,
)
from onewindow.catalogue.excel.layout import (
    BUNDLES,
    MATTERS,
    ImportReport,
    RowError,
)
from onewindow.catalogue.excel.plan import BundlePlan, MatterPlan, Planner
from onewindow.catalogue.models import (
    Bundle,
    BundleVersion,
    Matter,
    MatterVersion,
    VersionStatus,
)
from onewindow.errors import DomainError
from onewindow.orgs.models import User


class _Refused(Exception):
    """Rolls the import back after a service refused a row."""


def _content_equal(version: MatterVersion, plan: MatterPlan) -> bool:
    stored = services.matter_content_of(version)
    stored = MatterContent(
        **{n: getattr(stored, n) for n in domain.MATTER_CONTENT_FIELDS if n != "form_schema"},
        form_schema=domain.fields_to_schema(domain.schema_to_fields(stored.form_schema)),
    )
    return stored == plan.content() and services.materials_of(version) == plan.materials


def _current_versions(matter: Matter) -> tuple[MatterVersion | None, MatterVersion | None]:
    versions = list(matter.versions.filter(status__in=[VersionStatus.DRAFT, VersionStatus.PUBLISHED]))
    draft = next((v for v in versions if v.status == VersionStatus.DRAFT), None)
    published = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
    return draft, published


def _write_matter(plan: MatterPlan, *, actor: User | None, publish: bool, report: ImportReport) -> None:
    matter = Matter.objects.filter(code=plan.code).first()
    if matter is None:
        assert plan.department is not None
        version = services.matter_create(
            actor=actor, code=plan.code, department=plan.department, content=plan.content(), materials=plan.materials
        )
        report.created += 1
    else:
        draft, published = _current_versions(matter)
        if draft is None and published is not None and _content_equal(published, plan):
            report.unchanged += 1
            return
        if draft is not None and _content_equal(draft, plan) and not publish:
            report.unchanged += 1
            return
        if draft is None:
            latest = published or matter.versions.order_by("-number").first()
            assert latest is not None
            draft = services.matter_version_draft_from(actor=actor, version=latest)
        version = services.matter_version_update(
            actor=actor, version=draft, content=plan.content(), materials=plan.materials
        )
        report.updated += 1
    if publish:
        services.matter_version_publish(actor=actor, version=version)


def _stage_specs(bundle: BundlePlan) -> list[services.StageSpec]:
    matters = {m.code: m for m in Matter.objects.filter(code__in=_bundle_matter_codes(bundle))}
    return [
        services.StageSpec(
            name=stage.name,
            lead_department=stage.lead_department,
            matters=tuple(matters[code] for code in stage.matter_codes),
        )
        for _, stage in sorted(bundle.stages.items())
        if stage.lead_department is not None
    ]


def _bundle_matter_codes(bundle: BundlePlan) -> set[str]:
    return {code for stage in bundle.stages.values() for code in stage.matter_codes}


def _bundle_equal(version: BundleVersion, plan: BundlePlan, stages: list[services.StageSpec]) -> bool:
    summary: Callable[[list[services.StageSpec]], list[dict[str, Any]]] = services.stages_summary
    return version.name == plan.name and summary(services.stages_of(version)) == summary(stages)


def _write_bundle(plan: BundlePlan, *, actor: User | None, publish: bool, report: ImportReport) -> None:
    stages = _stage_specs(plan)
    bundle = Bundle.objects.filter(code=plan.code).first()
    if bundle is None:
        version = services.bundle_create(actor=actor, code=plan.code, name=plan.name, stages=stages)
        report.created += 1
    else:
        draft = bundle.versions.filter(status=VersionStatus.DRAFT).first()
        published = bundle.versions.filter(status=VersionStatus.PUBLISHED).first()
        if draft is None and published is not None and _bundle_equal(published, plan, stages):
            report.unchanged += 1
            return
        if draft is not None and _bundle_equal(draft, plan, stages) and not publish:
            report.unchanged += 1
            return
        if draft is None:
            latest = published or bundle.versions.order_by("-number").first()
            assert latest is not None
            draft = services.bundle_version_draft_from(actor=actor, version=latest)
        version = services.bundle_version_update(actor=actor, version=draft, name=plan.name, stages=stages)
        report.updated += 1
    if publish:
        services.bundle_version_publish(actor=actor, version=version)


def _write_rows(planner: Planner, *, actor: User | None, publish: bool, report: ImportReport) -> None:
    for plan in planner.matters.values():
        try:
            _write_matter(plan, actor=actor, publish=publish, report=report)
        except DomainError as error:
            report.errors.append(RowError(MATTERS, plan.row.number, "", error.message))
    for bundle in planner.bundles.values():
        try:
            _write_bundle(bundle, actor=actor, publish=publish, report=report)
        except DomainError as error:
            report.errors.append(RowError(BUNDLES, bundle.row.number, "", error.message))
    if report.errors:
        raise _Refused


def catalogue_import(
    *, actor: User | None, sheets: Mapping[str, Sequence[xlsx.Row]], publish: bool = False
) -> ImportReport:
    """Import the catalogue workbook's sheets (`xlsx.read_sheets(file, COLUMNS, …)`). With any bad row,
    nothing changes and every error is reported.

    New matters and bundles are created as drafts, changed ones get a new draft; with `publish`
    each created or changed draft is published right away.
    """
    planner = Planner(sheets)
    planner.plan()
    report = ImportReport(errors=list(planner.reader.errors))
    if report.errors:
        return report
    try:
        with transaction.atomic():
            _write_rows(planner, actor=actor, publish=publish, report=report)
    except _Refused:
        return ImportReport(errors=report.errors)
    return report
