"""The plan: what the workbook says, read and checked before anything is written."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from onewindow import xlsx
from onewindow.catalogue import domain
from onewindow.catalogue.domain import (
    CatalogueRuleError,
    FieldKind,
    FieldSpec,
    MaterialSpec,
    MatterContent,
)
from onewindow.catalogue.excel.cells import CellReader, Row, data_rows
from onewindow.catalogue.excel.layout import (
    BUNDLES,
    FORMS,
    KINDS,
    LIMIT_COLUMNS,
    MATERIALS,
    MATTERS,
    OPTION_SEPARATOR,
    REQUIRED_LABELS,
    REVIEW_RULE_COLUMNS,
    chinese_choices,
)
from onewindow.catalogue.models import (
    Category,
    MaterialForm,
    Matter,
    MatterVersion,
    OnlineLevel,
)
from onewindow.orgs.models import Organisation


@dataclass
class MatterPlan:
    row: Row
    code: str
    department: Organisation | None
    values: dict[str, Any]
    materials: list[MaterialSpec] = field(default_factory=list)
    fields: list[FieldSpec] = field(default_factory=list)

    def content(self) -> MatterContent:
        return MatterContent(**self.values, form_schema=domain.fields_to_schema(self.fields))


@dataclass
class StagePlan:
    row: Row
    name: str
    lead_department: Organisation | None
    matter_codes: list[str] = field(default_factory=list)


@dataclass
class BundlePlan:
    row: Row
    code: str
    name: str
    stages: dict[int, StagePlan] = field(default_factory=dict)


class Planner:
    def __init__(self, sheets: Mapping[str, Sequence[xlsx.Row]]) -> None:
        self.sheets = sheets
        self.reader = CellReader()
        self.departments = {o.code: o for o in Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT)}
        self.existing_matters = dict(Matter.objects.values_list("code", "department_id"))
        self.matters: dict[str, MatterPlan] = {}
        self.bundles: dict[str, BundlePlan] = {}

    def department(self, row: Row, column: str) -> Organisation | None:
        code = self.reader.text(row, column)
        if code and code not in self.departments:
            self.reader.error(row, column, f"部门编码“{code}”不存在或不是部门")
        return self.departments.get(code)

    def plan(self) -> None:
        for row in data_rows(self.sheets, MATTERS, self.reader):
            self.read_matter(row)
        for row in data_rows(self.sheets, MATERIALS, self.reader):
            self.read_material(row)
        for row in data_rows(self.sheets, FORMS, self.reader):
            self.read_field(row)
        for row in data_rows(self.sheets, BUNDLES, self.reader):
            self.read_bundle_row(row)
        for matter in self.matters.values():
            self.check_matter(matter)
        for bundle in self.bundles.values():
            self.check_bundle(bundle)

    # --- matters

    def read_matter(self, row: Row) -> None:
        r = self.reader
        code = r.text(row, "事项编码")
        values = {
            "name": r.text(row, "事项名称"),
            "category": r.choice(row, "事项类型", {c: c for c in Category.values}),
            "legal_basis": r.text(row, "设定依据"),
            "statutory_limit_days": r.integer(row, "法定时限"),
            "promised_limit_days": r.integer(row, "承诺时限"),
            "online_level": r.choice(row, "网办深度", chinese_choices(OnlineLevel)),
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
            self.matters[code] = MatterPlan(row=row, code=code, department=department, values=values)

    def matter_of(self, row: Row) -> MatterPlan | None:
        code = self.reader.text(row, "事项编码")
        plan = self.matters.get(code)
        if code and plan is None:
            self.reader.error(row, "事项编码", f"“{MATTERS}”表中没有事项“{code}”")
        return plan

    def read_material(self, row: Row) -> None:
        r = self.reader
        plan = self.matter_of(row)
        material = MaterialSpec(
            key=r.text(row, "材料编码"),
            name=r.text(row, "材料名称"),
            required=r.choice(row, "必要性", REQUIRED_LABELS, default="必要") is not False,
            form=r.choice(row, "材料形式", chinese_choices(MaterialForm), default="原件") or MaterialForm.ORIGINAL,
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

    def copies(self, row: Row) -> int:
        copies = self.reader.integer(row, "份数", default=1)
        if copies == 0:
            self.reader.error(row, "份数", "份数至少为 1")
        return copies or 1

    def read_field(self, row: Row) -> None:
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

    def check_matter(self, plan: MatterPlan) -> None:
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

    def read_bundle_row(self, row: Row) -> None:
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
        bundle = self.bundles.setdefault(code, BundlePlan(row=row, code=code, name=name))
        if name != bundle.name:
            r.error(row, "主题名称", f"主题“{code}”的名称与第 {bundle.row.number} 行不一致")
        stage = bundle.stages.setdefault(position, StagePlan(row=row, name=stage_name, lead_department=lead))
        if stage.name != stage_name or stage.lead_department != lead:
            r.error(row, "阶段名称", f"第{position}阶段的名称或牵头部门与第 {stage.row.number} 行不一致")
        if matter_code in stage.matter_codes:
            r.error(row, "事项编码", f"事项“{matter_code}”在第{position}阶段中重复")
        elif matter_code:
            stage.matter_codes.append(matter_code)

    def check_bundle(self, bundle: BundlePlan) -> None:
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
