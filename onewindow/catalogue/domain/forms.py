"""Form fields and their JSON-Schema subset, validation of submitted values, and a bundle's
unified form (one field per key)."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from onewindow.catalogue.domain.errors import CatalogueRuleError


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
# A bundle's unified form


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
