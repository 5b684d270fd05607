"""Pure catalogue rules: form fields and their JSON-Schema subset, form validation, bundle merging,
time limits, version transitions and the word segmentation shared by indexing and search.

No Django here (an import-linter contract enforces it).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Protocol

import rjieba


class CatalogueRuleError(Exception):
    """A catalogue rule refused something; services turn it into a DomainError."""

    def __init__(self, message: str, *, code: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


# ---------------------------------------------------------------------------------------------
# Search words


def search_words(text: str) -> list[str]:
    """Words of `text` for the search index and for queries (rjieba search mode, deduplicated)."""
    words: list[str] = []
    seen: set[str] = set()
    for token in rjieba.cut_for_search(text or ""):
        word = token.strip().lower()
        if not word or not any(ch.isalnum() for ch in word) or word in seen:
            continue
        seen.add(word)
        words.append(word)
    return words


def matter_search_text(*, name: str, department_name: str, category: str) -> str:
    """What MatterVersion.search_text holds: the words of name, department and category."""
    return " ".join(search_words(f"{name} {department_name} {category}"))


def bundle_search_text(*, name: str, description: str, stage_names: Iterable[str], matter_names: Iterable[str]) -> str:
    """What BundleVersion.search_text holds: the words of its name, description, stages and matters."""
    return " ".join(search_words(" ".join([name, description, *stage_names, *matter_names])))


# ---------------------------------------------------------------------------------------------
# Form fields


class FieldKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    CHOICE = "choice"
    BOOLEAN = "boolean"


FIELD_KIND_LABELS: dict[FieldKind, str] = {
    FieldKind.TEXT: "文本",
    FieldKind.NUMBER: "数字",
    FieldKind.DATE: "日期",
    FieldKind.CHOICE: "选择",
    FieldKind.BOOLEAN: "是否",
}

FIELD_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Number = int | float


@dataclass(frozen=True)
class FieldSpec:
    """One form field. For text, minimum/maximum bound the length; for numbers, the value."""

    key: str
    label: str
    kind: FieldKind
    required: bool = False
    pattern: str = ""
    minimum: Number | None = None
    maximum: Number | None = None
    options: tuple[str, ...] = ()


def normalise_number(value: Number) -> Number:
    """Integral values become ints, so 3.0 and 3 are one definition and JSON stays tidy."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _property(spec: FieldSpec) -> dict[str, Any]:
    prop: dict[str, Any] = {"title": spec.label}
    if spec.kind == FieldKind.NUMBER:
        prop["type"] = "number"
        if spec.minimum is not None:
            prop["minimum"] = normalise_number(spec.minimum)
        if spec.maximum is not None:
            prop["maximum"] = normalise_number(spec.maximum)
    elif spec.kind == FieldKind.BOOLEAN:
        prop["type"] = "boolean"
    elif spec.kind == FieldKind.DATE:
        prop.update(type="string", format="date")
    elif spec.kind == FieldKind.CHOICE:
        prop.update(type="string", enum=list(spec.options))
    else:
        prop["type"] = "string"
        if spec.pattern:
            prop["pattern"] = spec.pattern
        if spec.minimum is not None:
            prop["minLength"] = int(spec.minimum)
        if spec.maximum is not None:
            prop["maxLength"] = int(spec.maximum)
    return prop


def fields_to_schema(fields: Iterable[FieldSpec]) -> dict[str, Any]:
    """The JSON-Schema subset stored in MatterVersion.form_schema. No fields → {}."""
    specs = list(fields)
    if not specs:
        return {}
    return {
        "type": "object",
        "properties": {spec.key: _property(spec) for spec in specs},
        "required": [spec.key for spec in specs if spec.required],
        "x-order": [spec.key for spec in specs],
    }


def _kind_of(key: str, prop: Mapping[str, Any]) -> FieldKind:
    json_type = prop.get("type")
    if json_type in ("number", "integer"):
        return FieldKind.NUMBER
    if json_type == "boolean":
        return FieldKind.BOOLEAN
    if json_type == "string":
        if prop.get("format") == "date":
            return FieldKind.DATE
        if "enum" in prop:
            return FieldKind.CHOICE
        return FieldKind.TEXT
    raise CatalogueRuleError(f"表单字段“{key}”的类型“{json_type}”不受支持", code="form_field_bad_type", field=key)


def _optional_number(key: str, prop: Mapping[str, Any], name: str) -> Number | None:
    value = prop.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise CatalogueRuleError(f"表单字段“{key}”的{name}不是数字", code="form_field_bad_bound", field=key)
    return normalise_number(value)


def _spec_of(key: str, prop: Any, required: set[str]) -> FieldSpec:
    if not isinstance(prop, Mapping):
        raise CatalogueRuleError(f"表单字段“{key}”的定义不是对象", code="form_schema_malformed", field=key)
    kind = _kind_of(key, prop)
    text = kind == FieldKind.TEXT
    options = prop.get("enum", []) if kind == FieldKind.CHOICE else []
    if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
        raise CatalogueRuleError(f"表单字段“{key}”的选项必须是文字列表", code="form_field_bad_options", field=key)
    return FieldSpec(
        key=key,
        label=str(prop.get("title", "")),
        kind=kind,
        required=key in required,
        pattern=str(prop.get("pattern", "")) if text else "",
        minimum=_optional_number(key, prop, "minLength" if text else "minimum"),
        maximum=_optional_number(key, prop, "maxLength" if text else "maximum"),
        options=tuple(options),
    )


def schema_to_fields(schema: Mapping[str, Any] | None) -> list[FieldSpec]:
    """The fields of a stored schema, in their x-order (then any unlisted keys)."""
    if not schema:
        return []
    properties = schema.get("properties", {})
    if schema.get("type") != "object" or not isinstance(properties, Mapping):
        raise CatalogueRuleError("表单定义格式不正确：应为对象并包含 properties", code="form_schema_malformed")
    order = [k for k in schema.get("x-order", []) if k in properties]
    order += [k for k in properties if k not in order]
    required = set(schema.get("required", []))
    return [_spec_of(key, properties[key], required) for key in order]


def _bound_problem(spec: FieldSpec) -> str | None:
    if spec.kind not in (FieldKind.TEXT, FieldKind.NUMBER):
        return None
    if spec.kind == FieldKind.TEXT:
        for bound in (spec.minimum, spec.maximum):
            if bound is not None and (bound < 0 or not float(bound).is_integer()):
                return f"表单字段“{spec.label}”（{spec.key}）的长度限制必须是非负整数"
    if spec.minimum is not None and spec.maximum is not None and spec.minimum > spec.maximum:
        return f"表单字段“{spec.label}”（{spec.key}）的最小值大于最大值"
    return None


def field_problem(spec: FieldSpec) -> str | None:
    """What is wrong with one field definition, in Chinese and naming the field, or None."""
    if not FIELD_KEY_RE.match(spec.key):
        return f"表单字段编码“{spec.key}”不合规：只能用小写字母、数字和下划线，并以字母开头"
    if not spec.label.strip():
        return f"表单字段“{spec.key}”缺少字段名称"
    if spec.pattern:
        try:
            re.compile(spec.pattern)
        except re.error:
            return f"表单字段“{spec.label}”（{spec.key}）的格式“{spec.pattern}”不是有效的正则表达式"
    if spec.kind == FieldKind.CHOICE:
        options = [o.strip() for o in spec.options]
        if not options or not all(options):
            return f"表单字段“{spec.label}”（{spec.key}）是选择类型，必须提供选项"
        if len(set(options)) != len(options):
            return f"表单字段“{spec.label}”（{spec.key}）的选项有重复"
    return _bound_problem(spec)


def fields_problems(fields: Sequence[FieldSpec]) -> list[str]:
    """Every problem of a list of field definitions (duplicate keys included)."""
    problems = [p for p in (field_problem(spec) for spec in fields) if p]
    seen: set[str] = set()
    for spec in fields:
        if spec.key in seen:
            problems.append(f"表单字段编码“{spec.key}”重复")
        seen.add(spec.key)
    return problems


def check_schema(schema: Mapping[str, Any] | None) -> list[FieldSpec]:
    """The fields of a schema, or CatalogueRuleError with the first problem."""
    fields = schema_to_fields(schema)
    problems = fields_problems(fields)
    if problems:
        raise CatalogueRuleError(problems[0], code="form_schema_invalid")
    return fields


# ---------------------------------------------------------------------------------------------
# Validating submitted values


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_text(spec: FieldSpec, value: object) -> str | None:
    if not isinstance(value, str):
        return f"{spec.label}应为文字"
    if spec.minimum is not None and len(value) < spec.minimum:
        return f"{spec.label}至少 {int(spec.minimum)} 个字"
    if spec.maximum is not None and len(value) > spec.maximum:
        return f"{spec.label}最多 {int(spec.maximum)} 个字"
    if spec.pattern and re.fullmatch(spec.pattern, value) is None:
        return f"{spec.label}格式不正确"
    return None


def _as_decimal(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal | str):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def _check_number(spec: FieldSpec, value: object) -> str | None:
    number = _as_decimal(value)
    if number is None:
        return f"{spec.label}应为数字"
    if spec.minimum is not None and number < Decimal(str(spec.minimum)):
        return f"{spec.label}不能小于 {normalise_number(spec.minimum)}"
    if spec.maximum is not None and number > Decimal(str(spec.maximum)):
        return f"{spec.label}不能大于 {normalise_number(spec.maximum)}"
    return None


def _check_date(spec: FieldSpec, value: object) -> str | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return None
    if isinstance(value, str) and _DATE_RE.match(value):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return f"{spec.label}不是有效日期"
        return None
    return f"{spec.label}应为日期，格式如 2024-01-31"


def _check_choice(spec: FieldSpec, value: object) -> str | None:
    if value not in spec.options:
        return f"{spec.label}应为以下选项之一：{'、'.join(spec.options)}"
    return None


def _check_boolean(spec: FieldSpec, value: object) -> str | None:
    if not isinstance(value, bool):
        return f"{spec.label}应选择“是”或“否”"
    return None


_CHECKS = {
    FieldKind.TEXT: _check_text,
    FieldKind.NUMBER: _check_number,
    FieldKind.DATE: _check_date,
    FieldKind.CHOICE: _check_choice,
    FieldKind.BOOLEAN: _check_boolean,
}


def validate_form(schema: Mapping[str, Any] | None, values: Mapping[str, object]) -> dict[str, str]:
    """Problems of submitted values, field by field: {field key: Chinese message}. {} means valid.

    Blank (None or whitespace) counts as not filled in. Keys the form does not define are refused.
    """
    fields = schema_to_fields(schema)
    errors: dict[str, str] = {}
    for spec in fields:
        value = values.get(spec.key)
        if _is_blank(value):
            if spec.required:
                errors[spec.key] = f"请填写{spec.label}"
            continue
        problem = _CHECKS[spec.kind](spec, value)
        if problem:
            errors[spec.key] = problem
    known = {spec.key for spec in fields}
    for key in values:
        if key not in known:
            errors[key] = "表单中没有这个字段"
    return errors


# ---------------------------------------------------------------------------------------------
# Bundles: one unified form, one list of materials


def merge_form_schemas(forms: Sequence[tuple[str, Mapping[str, Any] | None]]) -> dict[str, Any]:
    """The unified form of a bundle: one field per key, in first-seen order.

    A key defined differently by two matters is refused, naming the key and both matters.
    """
    merged: dict[str, FieldSpec] = {}
    defined_by: dict[str, str] = {}
    for matter_name, schema in forms:
        for spec in schema_to_fields(schema):
            existing = merged.get(spec.key)
            if existing is None:
                merged[spec.key] = spec
                defined_by[spec.key] = matter_name
            elif existing != spec:
                raise CatalogueRuleError(
                    f"表单字段“{spec.key}”在“{defined_by[spec.key]}”和“{matter_name}”中的定义不一致",
                    code="bundle_form_conflict",
                    field=spec.key,
                )
    return fields_to_schema(merged.values())


class MaterialLike(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def required(self) -> bool: ...
    @property
    def form(self) -> str: ...
    @property
    def deferrable(self) -> bool: ...
    @property
    def certificate_type(self) -> str: ...
    @property
    def copies(self) -> int: ...


@dataclass(frozen=True)
class MergedMaterial:
    """A material asked for once in a bundle, with the matters that use it."""

    key: str
    name: str
    required: bool
    form: str
    deferrable: bool
    certificate_type: str
    copies: int
    used_by: tuple[str, ...] = field(default=())


def _merge_one(current: MergedMaterial, material: MaterialLike, matter_name: str) -> MergedMaterial:
    return MergedMaterial(
        key=current.key,
        name=current.name,
        required=current.required or material.required,
        form=current.form,
        # Deferrable only if every matter allows deferring it.
        deferrable=current.deferrable and material.deferrable,
        certificate_type=current.certificate_type or material.certificate_type,
        copies=max(current.copies, material.copies),
        used_by=current.used_by if matter_name in current.used_by else (*current.used_by, matter_name),
    )


def merge_materials(materials: Sequence[tuple[str, Iterable[MaterialLike]]]) -> list[MergedMaterial]:
    """Materials of a bundle, deduplicated by key: a shared one is submitted once.

    Required if any matter requires it; the first matter's name and form are kept.
    """
    merged: dict[str, MergedMaterial] = {}
    for matter_name, items in materials:
        for material in items:
            current = merged.get(material.key)
            if current is None:
                merged[material.key] = MergedMaterial(
                    key=material.key,
                    name=material.name,
                    required=material.required,
                    form=material.form,
                    deferrable=material.deferrable,
                    certificate_type=material.certificate_type,
                    copies=material.copies,
                    used_by=(matter_name,),
                )
            else:
                merged[material.key] = _merge_one(current, material, matter_name)
    return list(merged.values())


# ---------------------------------------------------------------------------------------------
# Limits and versions

MAX_VISITS = 2


def limits_problems(*, statutory_days: int, promised_days: int, max_visits: int) -> dict[str, str]:
    """Problems with a matter's limits: {field name: Chinese message}."""
    problems: dict[str, str] = {}
    if statutory_days < 0:
        problems["statutory_limit_days"] = "法定时限不能为负数"
    if promised_days < 0:
        problems["promised_limit_days"] = "承诺时限不能为负数"
    elif promised_days > statutory_days >= 0:
        problems["promised_limit_days"] = (
            f"承诺时限（{promised_days} 个工作日）不能超过法定时限（{statutory_days} 个工作日）"
        )
    if not 0 <= max_visits <= MAX_VISITS:
        problems["max_visits"] = "最多跑动次数只能是 0、1 或 2"
    return problems


def check_limits(*, statutory_days: int, promised_days: int, max_visits: int) -> None:
    problems = limits_problems(statutory_days=statutory_days, promised_days=promised_days, max_visits=max_visits)
    for name, message in problems.items():
        raise CatalogueRuleError(message, code=f"matter_{name}_invalid", field=name)


MAX_SIGNOFFS = 9
DEFAULT_RECTIFICATION_DAYS = 20  # 告知承诺: working days to rectify after a failed post-check
MAX_RECTIFICATION_DAYS = 120


def review_rule_problems(*, required_signoffs: int, rectification_days: int) -> dict[str, str]:
    """Problems with how a matter is reviewed and checked: {field name: Chinese message}."""
    problems: dict[str, str] = {}
    if not 1 <= required_signoffs <= MAX_SIGNOFFS:
        problems["required_signoffs"] = f"会签人数应为 1 至 {MAX_SIGNOFFS} 人（1 表示无需会签）"
    if not 1 <= rectification_days <= MAX_RECTIFICATION_DAYS:
        problems["rectification_days"] = f"整改期限应为 1 至 {MAX_RECTIFICATION_DAYS} 个工作日"
    return problems


def check_review_rules(*, required_signoffs: int, rectification_days: int) -> None:
    problems = review_rule_problems(required_signoffs=required_signoffs, rectification_days=rectification_days)
    for name, message in problems.items():
        raise CatalogueRuleError(message, code=f"matter_{name}_invalid", field=name)


class Status(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


# draft → published → retired; nothing else.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.PUBLISHED}),
    Status.PUBLISHED: frozenset({Status.RETIRED}),
    Status.RETIRED: frozenset(),
}

STATUS_LABELS = {Status.DRAFT: "草稿", Status.PUBLISHED: "已发布", Status.RETIRED: "已废止"}


def check_transition(current: str, target: str) -> None:
    if Status(target) not in TRANSITIONS[Status(current)]:
        raise CatalogueRuleError(
            f"{STATUS_LABELS[Status(current)]}状态的版本不能改为{STATUS_LABELS[Status(target)]}",
            code=f"version_not_{current}_to_{target}",
        )


def check_editable(status: str) -> None:
    """Only a draft changes; a published or retired version is what cases were filed under."""
    if status != Status.DRAFT:
        raise CatalogueRuleError(
            f"{STATUS_LABELS[Status(status)]}的版本不能修改，请基于此版本新建草稿", code="version_not_editable"
        )


def previous_valid_to(new_valid_from: dt.date) -> dt.date:
    """The version before ends the day before its successor starts."""
    return new_valid_from - dt.timedelta(days=1)


# ---------------------------------------------------------------------------------------------
# What a matter version says, as plain data (the services and the Excel import compare these)


@dataclass(frozen=True)
class MaterialSpec:
    key: str
    name: str
    required: bool = True
    form: str = "original"
    deferrable: bool = False
    certificate_type: str = ""
    copies: int = 1


@dataclass(frozen=True)
class MatterContent:
    """Everything a matter version says, apart from its materials."""

    name: str
    category: str
    legal_basis: str
    statutory_limit_days: int
    promised_limit_days: int
    online_level: str
    max_visits: int
    commitment_allowed: bool = False
    deferral_blocks_decision: bool = True
    fee_description: str = "不收费"
    conditions: str = ""
    location: str = ""
    form_schema: Mapping[str, Any] = field(default_factory=dict)
    required_signoffs: int = 1
    rectification_days: int = DEFAULT_RECTIFICATION_DAYS


MATTER_CONTENT_FIELDS = (
    "name",
    "category",
    "legal_basis",
    "statutory_limit_days",
    "promised_limit_days",
    "online_level",
    "max_visits",
    "commitment_allowed",
    "deferral_blocks_decision",
    "fee_description",
    "conditions",
    "location",
    "form_schema",
    "required_signoffs",
    "rectification_days",
)


def content_changes(old: MatterContent, new: MatterContent) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that differ."""
    return {
        name: [getattr(old, name), getattr(new, name)]
        for name in MATTER_CONTENT_FIELDS
        if getattr(old, name) != getattr(new, name)
    }


# 告知承诺: the applicant's signed commitment. Not needed for ordinary acceptance; approval on
# commitment is refused while the case has no file for it (cases.services.intake).
COMMITMENT_LETTER = MaterialSpec(key="commitment_letter", name="告知承诺书", required=False, form="original")


def with_commitment_letter(materials: Sequence[MaterialSpec], *, commitment_allowed: bool) -> list[MaterialSpec]:
    """The materials of a matter version: one that allows 告知承诺 lists the commitment letter (added
    at the end unless a material with its key is there)."""
    listed = list(materials)
    if commitment_allowed and all(m.key != COMMITMENT_LETTER.key for m in listed):
        listed.append(COMMITMENT_LETTER)
    return listed


def materials_problems(materials: Sequence[MaterialSpec]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for material in materials:
        if not material.key.strip():
            problems.append(f"材料“{material.name}”缺少材料编码")
        elif material.key in seen:
            problems.append(f"材料编码“{material.key}”在同一事项中重复")
        if not material.name.strip():
            problems.append(f"材料“{material.key}”缺少材料名称")
        if material.copies < 1:
            problems.append(f"材料“{material.name}”的份数至少为 1")
        seen.add(material.key)
    return problems
