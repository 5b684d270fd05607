"""The catalogue as an Excel workbook (onewindow.xlsx): import with every bad row reported, and export.

The layout (sheets 事项, 材料, 表单, 一件事; header in row 1) is described in README.md and is the
contract with the demo loader. An import validates everything first and then writes in one
transaction, through the services (so each change is validated and audited); with any bad row
it changes nothing. Re-importing the same workbook changes nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import translation

from onewindow import xlsx
from onewindow.catalogue import domain, services
from onewindow.catalogue.domain import (
    FIELD_KIND_LABELS,
    CatalogueRuleError,
    FieldKind,
    FieldSpec,
    MaterialSpec,
    MatterContent,
)
from onewindow.catalogue.models import (
    Bundle,
    BundleVersion,
    Category,
    MaterialForm,
    Matter,
    MatterVersion,
    OnlineLevel,
    VersionStatus,
)
from onewindow.errors import DomainError
from onewindow.orgs.models import Organisation, User

MATTERS = "事项"
MATERIALS = "材料"
FORMS = "表单"
BUNDLES = "一件事"

COLUMNS: dict[str, tuple[str, ...]] = {
    MATTERS: (
        "事项编码",
        "事项名称",
        "实施部门编码",
        "事项类型",
        "设定依据",
        "法定时限",
        "承诺时限",
        "网办深度",
        "最多跑动次数",
        "告知承诺",
        "收费",
        "受理条件",
        "办理地点",
    ),
    MATERIALS: ("事项编码", "材料编码", "材料名称", "必要性", "材料形式", "可容缺", "电子证照类型", "份数"),
    FORMS: ("事项编码", "字段编码", "字段名称", "类型", "必填", "格式", "最小值", "最大值", "选项"),
    BUNDLES: ("主题编码", "主题名称", "阶段序号", "阶段名称", "事项编码", "牵头部门编码"),
}
# Columns a workbook may leave out (an older layout): blank or missing, the default applies.
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {MATTERS: ("会签人数", "整改期限")}
REVIEW_RULE_COLUMNS = {"required_signoffs": "会签人数", "rectification_days": "整改期限"}

YES, NO = "是", "否"
REQUIRED_LABELS = {"必要": True, "非必要": False}
KINDS = {label: kind for kind, label in FIELD_KIND_LABELS.items()}
OPTION_SEPARATOR = "、"
LIMIT_COLUMNS = {"statutory_limit_days": "法定时限", "promised_limit_days": "承诺时限", "max_visits": "最多跑动次数"}


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


# ---------------------------------------------------------------------------------------------
# Reading cells


@dataclass
class _Row:
    sheet: str
    number: int
    values: dict[str, Any]


class _Reader:
    """Cell parsers that record a RowError and return None when a cell is bad."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []

    def error(self, row: _Row, column: str, message: str) -> None:
        self.errors.append(RowError(row.sheet, row.number, column, message))

    def text(self, row: _Row, column: str, *, required: bool = True) -> str:
        value = row.values.get(column)
        text = "" if value is None else _cell_text(value)
        if required and not text:
            self.error(row, column, f"请填写{column}")
        return text

    def integer(self, row: _Row, column: str, *, default: int | None = None) -> int | None:
        value = row.values.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            if default is None:
                self.error(row, column, f"请填写{column}")
            return default
        number = _as_number(value)
        if number is None or not float(number).is_integer() or number < 0:
            self.error(row, column, f"{column}应为不小于 0 的整数，而不是“{value}”")
            return None
        return int(number)

    def number(self, row: _Row, column: str) -> domain.Number | None:
        value = row.values.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        number = _as_number(value)
        if number is None:
            self.error(row, column, f"{column}应为数字，而不是“{value}”")
        return number

    def boolean(self, row: _Row, column: str) -> bool:
        value = row.values.get(column)
        if value is None or isinstance(value, bool):
            return bool(value)
        text = _cell_text(value)
        if text in (YES, NO, ""):
            return text == YES
        self.error(row, column, f"{column}应填“是”或“否”，而不是“{text}”")
        return False

    def choice(self, row: _Row, column: str, mapping: Mapping[str, Any], *, default: str = "") -> Any:
        text = self.text(row, column, required=not default) or default
        if text and text not in mapping:
            self.error(row, column, f"{column}“{text}”不在可选范围内：{'、'.join(mapping)}")
            return None
        return mapping.get(text)


def _chinese(label: object) -> str:
    """A choice's label as the workbook writes it: in Chinese, whatever language the page speaks."""
    with translation.override("zh-hans"):
        return str(label)


def _chinese_choices(choices: type[OnlineLevel] | type[MaterialForm]) -> dict[str, str]:
    return {_chinese(label): value for value, label in choices.choices}


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _as_number(value: Any) -> domain.Number | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return domain.normalise_number(value) if math.isfinite(value) else None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return domain.normalise_number(number) if math.isfinite(number) else None


def _rows(sheets: Mapping[str, Sequence[xlsx.Row]], sheet: str, reader: _Reader) -> Iterator[_Row]:
    """Data rows of a sheet as {header: value}; a missing sheet or a wrong header is one error."""
    if sheet not in sheets:
        if sheet == MATTERS:
            reader.errors.append(RowError(sheet, 1, "", f"工作簿缺少“{sheet}”工作表"))
        return
    expected = COLUMNS[sheet]
    rows = iter(sheets[sheet])
    header = tuple(_cell_text(v) if v is not None else "" for v in next(rows, ()))
    missing = [c for c in expected if c not in header]
    if missing:
        reader.errors.append(RowError(sheet, 1, "、".join(missing), f"表头缺少列：{'、'.join(missing)}"))
        return
    for number, values in enumerate(rows, start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        yield _Row(sheet, number, {h: v for h, v in zip(header, values, strict=False) if h})


# ---------------------------------------------------------------------------------------------
# The plan: what the workbook says, checked


@dataclass
class _MatterPlan:
    row: _Row
    code: str
    department: Organisation | None
    values: dict[str, Any]
    materials: list[MaterialSpec] = field(default_factory=list)
    fields: list[FieldSpec] = field(default_factory=list)

    def content(self) -> MatterContent:
        return MatterContent(**self.values, form_schema=domain.fields_to_schema(self.fields))


@dataclass
class _StagePlan:
    row: _Row
    name: str
    lead_department: Organisation | None
    matter_codes: list[str] = field(default_factory=list)


@dataclass
class _BundlePlan:
    row: _Row
    code: str
    name: str
    stages: dict[int, _StagePlan] = field(default_factory=dict)


class _Planner:
    def __init__(self, sheets: Mapping[str, Sequence[xlsx.Row]]) -> None:
        self.sheets = sheets
        self.reader = _Reader()
        self.departments = {o.code: o for o in Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT)}
        self.existing_matters = dict(Matter.objects.values_list("code", "department_id"))
        self.matters: dict[str, _MatterPlan] = {}
        self.bundles: dict[str, _BundlePlan] = {}

    def department(self, row: _Row, column: str) -> Organisation | None:
        code = self.reader.text(row, column)
        if code and code not in self.departments:
            self.reader.error(row, column, f"部门编码“{code}”不存在或不是部门")
        return self.departments.get(code)

    def plan(self) -> None:
        for row in _rows(self.sheets, MATTERS, self.reader):
            self.read_matter(row)
        for row in _rows(self.sheets, MATERIALS, self.reader):
            self.read_material(row)
        for row in _rows(self.sheets, FORMS, self.reader):
            self.read_field(row)
        for row in _rows(self.sheets, BUNDLES, self.reader):
            self.read_bundle_row(row)
        for matter in self.matters.values():
            self.check_matter(matter)
        for bundle in self.bundles.values():
            self.check_bundle(bundle)

    # --- matters

    def read_matter(self, row: _Row) -> None:
        r = self.reader
        code = r.text(row, "事项编码")
        values = {
            "name": r.text(row, "事项名称"),
            "category": r.choice(row, "事项类型", {c: c for c in Category.values}),
            "legal_basis": r.text(row, "设定依据"),
            "statutory_limit_days": r.integer(row, "法定时限"),
            "promised_limit_days": r.integer(row, "承诺时限"),
            "online_level": r.choice(row, "网办深度", _chinese_choices(OnlineLevel)),
            "max_visits": r.integer(row, "最多跑动次数"),
            "commitment_allowed": r.boolean(row, "告知承诺"),
            "fee_description": r.text(row, "收费", required=False) or "不收费",
            "conditions": r.text(row, "受理条件", required=False),
            "location": r.text(row, "办理地点", required=False),
            "required_signoffs": r.integer(row, "会签人数", default=1),
            "rectification_days": r.integer(row, "整改期限", default=domain.DEFAULT_RECTIFICATION_DAYS),
        }
        department = self.department(row, "实施部门编码")
        if code in self.matters:
            r.error(row, "事项编码", f"事项编码“{code}”重复（第 {self.matters[code].row.number} 行已有）")
        elif code:
            self.matters[code] = _MatterPlan(row=row, code=code, department=department, values=values)

    def matter_of(self, row: _Row) -> _MatterPlan | None:
        code = self.reader.text(row, "事项编码")
        plan = self.matters.get(code)
        if code and plan is None:
            self.reader.error(row, "事项编码", f"“{MATTERS}”表中没有事项“{code}”")
        return plan

    def read_material(self, row: _Row) -> None:
        r = self.reader
        plan = self.matter_of(row)
        material = MaterialSpec(
            key=r.text(row, "材料编码"),
            name=r.text(row, "材料名称"),
            required=r.choice(row, "必要性", REQUIRED_LABELS, default="必要") is not False,
            form=r.choice(row, "材料形式", _chinese_choices(MaterialForm), default="原件") or MaterialForm.ORIGINAL,
            deferrable=r.boolean(row, "可容缺"),
            certificate_type=r.text(row, "电子证照类型", required=False),
            copies=self.copies(row),
        )
        if plan is None:
            return
        if any(m.key == material.key for m in plan.materials):
            r.error(row, "材料编码", f"事项“{plan.code}”的材料编码“{material.key}”重复")
            return
        plan.materials.append(material)

    def copies(self, row: _Row) -> int:
        copies = self.reader.integer(row, "份数", default=1)
        if copies == 0:
            self.reader.error(row, "份数", "份数至少为 1")
        return copies or 1

    def read_field(self, row: _Row) -> None:
        r = self.reader
        plan = self.matter_of(row)
        kind = r.choice(row, "类型", KINDS)
        options = r.text(row, "选项", required=False)
        spec = FieldSpec(
            key=r.text(row, "字段编码"),
            label=r.text(row, "字段名称"),
            kind=kind or FieldKind.TEXT,
            required=r.boolean(row, "必填"),
            pattern=r.text(row, "格式", required=False),
            minimum=r.number(row, "最小值"),
            maximum=r.number(row, "最大值"),
            options=tuple(o.strip() for o in options.split(OPTION_SEPARATOR) if o.strip()) if options else (),
        )
        problem = domain.field_problem(spec) if kind and spec.key and spec.label else None
        if problem:
            r.error(row, "字段编码", problem)
        if plan is None or problem:
            return
        if any(f.key == spec.key for f in plan.fields):
            r.error(row, "字段编码", f"事项“{plan.code}”的字段编码“{spec.key}”重复")
            return
        plan.fields.append(spec)

    def check_matter(self, plan: _MatterPlan) -> None:
        values = plan.values
        limits = (values["statutory_limit_days"], values["promised_limit_days"], values["max_visits"])
        if None not in limits:
            problems = domain.limits_problems(statutory_days=limits[0], promised_days=limits[1], max_visits=limits[2])
            for name, message in problems.items():
                self.reader.error(plan.row, LIMIT_COLUMNS[name], message)
        rules = {name: values[name] for name in REVIEW_RULE_COLUMNS}
        if None not in rules.values():
            for name, message in domain.review_rule_problems(**rules).items():
                self.reader.error(plan.row, REVIEW_RULE_COLUMNS[name], message)
        plan.materials = domain.with_commitment_letter(plan.materials, commitment_allowed=values["commitment_allowed"])
        existing_department = self.existing_matters.get(plan.code)
        if existing_department and plan.department and existing_department != plan.department.pk:
            self.reader.error(plan.row, "实施部门编码", f"事项“{plan.code}”已存在，实施部门不能通过导入更改")

    # --- bundles

    def read_bundle_row(self, row: _Row) -> None:
        r = self.reader
        code, name = r.text(row, "主题编码"), r.text(row, "主题名称")
        position = r.integer(row, "阶段序号")
        stage_name = r.text(row, "阶段名称")
        lead = self.department(row, "牵头部门编码")
        matter_code = r.text(row, "事项编码")
        if matter_code and matter_code not in self.matters and matter_code not in self.existing_matters:
            r.error(row, "事项编码", f"事项“{matter_code}”既不在“{MATTERS}”表中，也不在目录中")
        if not code or position is None:
            return
        bundle = self.bundles.setdefault(code, _BundlePlan(row=row, code=code, name=name))
        if name != bundle.name:
            r.error(row, "主题名称", f"主题“{code}”的名称与第 {bundle.row.number} 行不一致")
        stage = bundle.stages.setdefault(position, _StagePlan(row=row, name=stage_name, lead_department=lead))
        if stage.name != stage_name or stage.lead_department != lead:
            r.error(row, "阶段名称", f"第{position}阶段的名称或牵头部门与第 {stage.row.number} 行不一致")
        if matter_code in stage.matter_codes:
            r.error(row, "事项编码", f"事项“{matter_code}”在第{position}阶段中重复")
        elif matter_code:
            stage.matter_codes.append(matter_code)

    def check_bundle(self, bundle: _BundlePlan) -> None:
        positions = sorted(bundle.stages)
        if positions != list(range(1, len(positions) + 1)):
            self.reader.error(bundle.row, "阶段序号", f"主题“{bundle.code}”的阶段序号应从 1 起连续编号")
        forms: list[tuple[str, Mapping[str, Any] | None]] = []
        for position in positions:
            for code in bundle.stages[position].matter_codes:
                forms.append(self.form_of(code))
        try:
            domain.merge_form_schemas(forms)
        except CatalogueRuleError as error:
            self.reader.error(bundle.row, "事项编码", f"主题“{bundle.code}”：{error.message}")

    def form_of(self, code: str) -> tuple[str, Mapping[str, Any] | None]:
        plan = self.matters.get(code)
        if plan is not None:
            return plan.values["name"], domain.fields_to_schema(plan.fields)
        current = MatterVersion.objects.filter(matter__code=code).order_by("-number").first()
        return (current.name, current.form_schema) if current else (code, None)


# ---------------------------------------------------------------------------------------------
# Writing the plan


class _Refused(Exception):
    """Rolls the import back after a service refused a row."""


def _content_equal(version: MatterVersion, plan: _MatterPlan) -> bool:
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


def _write_matter(plan: _MatterPlan, *, actor: User | None, publish: bool, report: ImportReport) -> None:
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


def _stage_specs(bundle: _BundlePlan) -> list[services.StageSpec]:
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


def _bundle_matter_codes(bundle: _BundlePlan) -> set[str]:
    return {code for stage in bundle.stages.values() for code in stage.matter_codes}


def _bundle_equal(version: BundleVersion, plan: _BundlePlan, stages: list[services.StageSpec]) -> bool:
    summary: Callable[[list[services.StageSpec]], list[dict[str, Any]]] = services.stages_summary
    return version.name == plan.name and summary(services.stages_of(version)) == summary(stages)


def _write_bundle(plan: _BundlePlan, *, actor: User | None, publish: bool, report: ImportReport) -> None:
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


def _write(planner: _Planner, *, actor: User | None, publish: bool, report: ImportReport) -> None:
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
    planner = _Planner(sheets)
    planner.plan()
    report = ImportReport(errors=list(planner.reader.errors))
    if report.errors:
        return report
    try:
        with transaction.atomic():
            _write(planner, actor=actor, publish=publish, report=report)
    except _Refused:
        return ImportReport(errors=report.errors)
    return report


# ---------------------------------------------------------------------------------------------
# Export


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
        _chinese(OnlineLevel(version.online_level).label),
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
            row = [code, m.key, m.name, "必要" if m.required else "非必要", _chinese(MaterialForm(m.form).label)]
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
