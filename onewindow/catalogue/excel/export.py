"""The published catalogue as a workbook, in the import layout (export → import changes nothing)."""

from __future__ import annotations

from typing import Any

from onewindow import xlsx
from onewindow.catalogue import domain
from onewindow.catalogue.domain import (
    FIELD_KIND_LABELS,
    FieldSpec,
)
from onewindow.catalogue.excel.layout import (
    BUNDLES,
    COLUMNS,
    FORMS,
    MATERIALS,
    MATTERS,
    NO,
    OPTION_SEPARATOR,
    OPTIONAL_COLUMNS,
    YES,
    chinese,
)
from onewindow.catalogue.models import (
    BundleVersion,
    MaterialForm,
    MatterVersion,
    OnlineLevel,
    VersionStatus,
)


def _yes_no(value: bool) -> str:
    return YES if value else NO


def _matter_row(version: MatterVersion) -> list[Any]:
    return [
        version.matter.code,
        version.name,
        version.matter.department.code,
        version.category,
        version.legal_basis,
        version.statutory_limit_days,
        version.promised_limit_days,
        chinese(OnlineLevel(version.online_level).label),
        version.max_visits,
        _yes_no(version.commitment_allowed),
        version.fee_description,
        version.conditions,
        version.location,
        version.required_signoffs,
        version.rectification_days,
    ]


def _field_row(code: str, spec: FieldSpec) -> list[Any]:
    return [
        code,
        spec.key,
        spec.label,
        FIELD_KIND_LABELS[spec.kind],
        _yes_no(spec.required),
        spec.pattern or None,
        spec.minimum,
        spec.maximum,
        OPTION_SEPARATOR.join(spec.options) or None,
    ]


def _export_matters(workbook: xlsx.Workbook) -> None:
    sheets = {name: _sheet(workbook, name) for name in (MATTERS, MATERIALS, FORMS)}
    versions = (
        MatterVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("matter__department")
        .prefetch_related("materials")
        .order_by("matter__code")
    )
    for version in versions:
        code = version.matter.code
        xlsx.append_row(sheets[MATTERS], _matter_row(version))
        for m in version.materials.all():
            row = [code, m.key, m.name, "必要" if m.required else "非必要", chinese(MaterialForm(m.form).label)]
            xlsx.append_row(sheets[MATERIALS], [*row, _yes_no(m.deferrable), m.certificate_type or None, m.copies])
        for spec in domain.schema_to_fields(version.form_schema):
            xlsx.append_row(sheets[FORMS], _field_row(code, spec))


def _export_bundles(workbook: xlsx.Workbook) -> None:
    sheet = _sheet(workbook, BUNDLES)
    versions = BundleVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related("bundle")
    for version in versions.order_by("bundle__code"):
        for stage in version.stages.select_related("lead_department").order_by("position"):
            for stage_matter in stage.stage_matters.select_related("matter").order_by("pk"):
                xlsx.append_row(
                    sheet,
                    [
                        version.bundle.code,
                        version.name,
                        stage.position,
                        stage.name,
                        stage_matter.matter.code,
                        stage.lead_department.code,
                    ],
                )


def _sheet(workbook: xlsx.Workbook, name: str) -> xlsx.Sheet:
    sheet = workbook[name] if name in workbook.sheetnames else workbook.create_sheet(name)
    return sheet


def catalogue_export() -> xlsx.Workbook:
    """The current published catalogue, in the import layout (export → import changes nothing)."""
    workbook = xlsx.Workbook()
    first = workbook.active
    assert first is not None
    first.title = MATTERS
    for name, columns in COLUMNS.items():
        xlsx.append_row(_sheet(workbook, name), [*columns, *OPTIONAL_COLUMNS.get(name, ())])
    _export_matters(workbook)
    _export_bundles(workbook)
    return workbook
