"""The demo catalogue as an in-memory Excel workbook, in the layout administrators import.

Sheets and header rows (row 1), one record per row from row 2:
事项 (matters), 材料 (materials), 表单 (form fields), 一件事 (bundles: one row per matter of a stage).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from onewindow import xlsx
from onewindow.demo.data import BUNDLES, FIELDS, LOCAL_MATTERS, MATERIALS, MATTERS
from onewindow.demo.data.schema import BundleSpec, FieldSpec, MaterialSpec, MatterSpec

Cell = str | int | None

MATTER_HEADERS = (
    "事项编码", "事项名称", "实施部门编码", "事项类型", "设定依据", "法定时限", "承诺时限",
    "网办深度", "最多跑动次数", "告知承诺", "收费", "受理条件", "办理地点",
)  # fmt: skip
MATERIAL_HEADERS = ("事项编码", "材料编码", "材料名称", "必要性", "材料形式", "可容缺", "电子证照类型", "份数")
FIELD_HEADERS = ("事项编码", "字段编码", "字段名称", "类型", "必填", "格式", "最小值", "最大值", "选项")
BUNDLE_HEADERS = ("主题编码", "主题名称", "阶段序号", "阶段名称", "事项编码", "牵头部门编码")

SHEETS: dict[str, tuple[str, ...]] = {
    "事项": MATTER_HEADERS,
    "材料": MATERIAL_HEADERS,
    "表单": FIELD_HEADERS,
    "一件事": BUNDLE_HEADERS,
}


def yes_no(value: bool) -> str:
    return "是" if value else "否"


def matter_row(matter: MatterSpec) -> tuple[Cell, ...]:
    return (
        matter.code, matter.name, matter.department, matter.category, matter.legal_basis,
        matter.statutory_days, matter.promised_days, matter.online_level, matter.max_visits,
        yes_no(matter.commitment), matter.fee, matter.conditions, matter.location,
    )  # fmt: skip


def material_row(matter_code: str, key: str, material: MaterialSpec) -> tuple[Cell, ...]:
    return (
        matter_code, key, material.name, "必要" if material.required else "非必要", material.form,
        yes_no(material.deferrable), material.certificate_type or None, material.copies,
    )  # fmt: skip


def field_row(matter_code: str, key: str, field: FieldSpec) -> tuple[Cell, ...]:
    return (
        matter_code, key, field.label, field.type, yes_no(field.required), field.pattern or None,
        field.minimum, field.maximum, "、".join(field.options) or None,
    )  # fmt: skip


def bundle_rows(bundle: BundleSpec) -> Iterable[tuple[Cell, ...]]:
    for number, stage in enumerate(bundle.stages, start=1):
        for matter_code in stage.matters:
            yield (bundle.code, bundle.name, number, stage.name, matter_code, stage.lead_department)


def catalogue_workbook(
    matters: Sequence[MatterSpec] = (*MATTERS, *LOCAL_MATTERS), bundles: Sequence[BundleSpec] = BUNDLES
) -> xlsx.Workbook:
    """A new workbook holding `matters` (with their materials and fields) and `bundles`."""
    workbook = xlsx.Workbook()
    workbook.remove(workbook.active)
    sheets = {title: workbook.create_sheet(title) for title in SHEETS}
    for title, headers in SHEETS.items():
        xlsx.append_row(sheets[title], headers)
    for matter in matters:
        xlsx.append_row(sheets["事项"], matter_row(matter))
        for key in matter.materials:
            xlsx.append_row(sheets["材料"], material_row(matter.code, key, MATERIALS[key]))
        for key in matter.fields:
            xlsx.append_row(sheets["表单"], field_row(matter.code, key, FIELDS[key]))
    for bundle in bundles:
        for row in bundle_rows(bundle):
            xlsx.append_row(sheets["一件事"], row)
    return workbook
