"""Pure catalogue rules, tested without a database."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onewindow.catalogue.domain import (
    CatalogueRuleError,
    FieldKind,
    FieldSpec,
    MaterialSpec,
    check_editable,
    check_limits,
    check_schema,
    check_transition,
    field_problem,
    fields_to_schema,
    limits_problems,
    merge_form_schemas,
    merge_materials,
    previous_valid_to,
    schema_to_fields,
    search_words,
    validate_form,
)

PROJECT = FieldSpec(key="project_name", label="项目名称", kind=FieldKind.TEXT, required=True, maximum=50)
AREA = FieldSpec(key="area", label="用地面积", kind=FieldKind.NUMBER, minimum=0, maximum=10000)
START = FieldSpec(key="start_on", label="开工日期", kind=FieldKind.DATE)
USE = FieldSpec(key="land_use", label="用地性质", kind=FieldKind.CHOICE, required=True, options=("工业", "住宅"))
STATE_OWNED = FieldSpec(key="state_owned", label="是否国有", kind=FieldKind.BOOLEAN)
PHONE = FieldSpec(key="phone", label="联系电话", kind=FieldKind.TEXT, pattern=r"1\d{10}")
ALL_FIELDS = [PROJECT, AREA, START, USE, STATE_OWNED, PHONE]
SCHEMA = fields_to_schema(ALL_FIELDS)


# --- schema conversion ---------------------------------------------------------------------


def test_schema_holds_the_json_schema_subset_in_field_order() -> None:
    assert SCHEMA["type"] == "object"
    assert SCHEMA["x-order"] == ["project_name", "area", "start_on", "land_use", "state_owned", "phone"]
    assert SCHEMA["required"] == ["project_name", "land_use"]
    props = SCHEMA["properties"]
    assert props["project_name"] == {"title": "项目名称", "type": "string", "maxLength": 50}
    assert props["area"] == {"title": "用地面积", "type": "number", "minimum": 0, "maximum": 10000}
    assert props["start_on"] == {"title": "开工日期", "type": "string", "format": "date"}
    assert props["land_use"] == {"title": "用地性质", "type": "string", "enum": ["工业", "住宅"]}
    assert props["state_owned"] == {"title": "是否国有", "type": "boolean"}
    assert props["phone"]["pattern"] == r"1\d{10}"


def test_schema_reads_back_to_the_same_fields() -> None:
    assert schema_to_fields(SCHEMA) == ALL_FIELDS


def test_an_empty_form_is_an_empty_schema() -> None:
    assert fields_to_schema([]) == {}
    assert schema_to_fields({}) == []
    assert validate_form({}, {}) == {}


def test_unsupported_json_type_is_refused_naming_the_field() -> None:
    with pytest.raises(CatalogueRuleError, match="“x”") as refused:
        schema_to_fields({"type": "object", "properties": {"x": {"type": "array"}}})
    assert refused.value.code == "form_field_bad_type"


field_specs = st.builds(
    FieldSpec,
    key=st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True),
    label=st.text(min_size=1, max_size=8).filter(str.strip),
    kind=st.sampled_from(list(FieldKind)),
    required=st.booleans(),
).map(
    lambda s: FieldSpec(
        key=s.key,
        label=s.label,
        kind=s.kind,
        required=s.required,
        minimum=1 if s.kind in (FieldKind.TEXT, FieldKind.NUMBER) else None,
        maximum=9 if s.kind in (FieldKind.TEXT, FieldKind.NUMBER) else None,
        options=("甲", "乙") if s.kind == FieldKind.CHOICE else (),
    )
)


@given(st.lists(field_specs, max_size=6, unique_by=lambda s: s.key))
def test_any_valid_field_list_round_trips_through_the_schema(fields: list[FieldSpec]) -> None:
    assert schema_to_fields(fields_to_schema(fields)) == fields
    assert check_schema(fields_to_schema(fields)) == fields


# --- schema validation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (FieldSpec(key="phone", label="电话", kind=FieldKind.TEXT, pattern="1[0-9"), "“电话”（phone）的格式"),
        (
            FieldSpec(key="area", label="面积", kind=FieldKind.NUMBER, minimum=10, maximum=1),
            "“面积”（area）的最小值大于最大值",
        ),
        (FieldSpec(key="use", label="用途", kind=FieldKind.CHOICE), "“用途”（use）是选择类型，必须提供选项"),
        (FieldSpec(key="Bad-Key", label="坏", kind=FieldKind.TEXT), "“Bad-Key”不合规"),
        (FieldSpec(key="name", label=" ", kind=FieldKind.TEXT), "“name”缺少字段名称"),
        (FieldSpec(key="name", label="名称", kind=FieldKind.TEXT, minimum=-1), "长度限制必须是非负整数"),
    ],
)
def test_a_bad_field_definition_gets_a_chinese_message_naming_it(spec: FieldSpec, expected: str) -> None:
    problem = field_problem(spec)
    assert problem is not None
    assert expected in problem


def test_check_schema_refuses_duplicate_and_bad_fields() -> None:
    bad = fields_to_schema([FieldSpec(key="use", label="用途", kind=FieldKind.CHOICE)])
    with pytest.raises(CatalogueRuleError, match="必须提供选项"):
        check_schema(bad)


# --- validate_form --------------------------------------------------------------------------

GOOD: dict[str, Any] = {
    "project_name": "杭州湾新区厂房",
    "area": "1200.5",
    "start_on": "2025-03-01",
    "land_use": "工业",
    "state_owned": True,
    "phone": "13812345678",
}


def test_a_complete_valid_form_has_no_errors() -> None:
    assert validate_form(SCHEMA, GOOD) == {}


def test_optional_fields_may_be_left_blank() -> None:
    assert validate_form(SCHEMA, {"project_name": "厂房", "land_use": "住宅", "area": "", "phone": None}) == {}


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("project_name", "", "请填写项目名称"),
        ("project_name", "   ", "请填写项目名称"),
        ("project_name", 12, "项目名称应为文字"),
        ("project_name", "长" * 51, "项目名称最多 50 个字"),
        ("area", "很大", "用地面积应为数字"),
        ("area", True, "用地面积应为数字"),
        ("area", "NaN", "用地面积应为数字"),
        ("area", -1, "用地面积不能小于 0"),
        ("area", 10000.01, "用地面积不能大于 10000"),
        ("start_on", "2025-02-30", "开工日期不是有效日期"),
        ("start_on", "2025/03/01", "开工日期应为日期，格式如 2024-01-31"),
        ("land_use", "商业", "用地性质应为以下选项之一：工业、住宅"),
        ("state_owned", "yes", "是否国有应选择“是”或“否”"),
        ("phone", "12345", "联系电话格式不正确"),
        ("phone", "138123456789", "联系电话格式不正确"),
    ],
)
def test_each_bad_value_is_reported_on_its_field(key: str, value: object, message: str) -> None:
    assert validate_form(SCHEMA, {**GOOD, key: value}) == {key: message}


def test_every_bad_field_is_reported_at_once() -> None:
    errors = validate_form(SCHEMA, {"area": "x", "phone": "1"})
    assert set(errors) == {"project_name", "land_use", "area", "phone"}


def test_a_key_the_form_does_not_have_is_refused() -> None:
    assert validate_form(SCHEMA, {**GOOD, "salary": 1}) == {"salary": "表单中没有这个字段"}


def test_dates_may_be_given_as_dates_and_numbers_as_numbers() -> None:
    assert validate_form(SCHEMA, {**GOOD, "start_on": dt.date(2025, 3, 1), "area": 0}) == {}


@given(st.integers(min_value=-(10**6), max_value=10**6))
def test_numbers_are_accepted_exactly_within_their_range(value: int) -> None:
    errors = validate_form(SCHEMA, {**GOOD, "area": value})
    assert ("area" in errors) == (not 0 <= value <= 10000)
    errors_as_text = validate_form(SCHEMA, {**GOOD, "area": str(value)})
    assert errors == errors_as_text


@given(st.text(max_size=20))
def test_text_matches_its_pattern_in_full_or_is_refused(value: str) -> None:
    errors = validate_form(SCHEMA, {**GOOD, "phone": value})
    acceptable = not value.strip() or re.fullmatch(r"1\d{10}", value) is not None
    assert ("phone" in errors) == (not acceptable)


@given(st.dates())
def test_every_real_date_in_iso_form_is_accepted(value: dt.date) -> None:
    assert validate_form(SCHEMA, {**GOOD, "start_on": value.isoformat()}) == {}


@given(
    st.dictionaries(st.sampled_from([f.key for f in ALL_FIELDS]), st.none() | st.text() | st.integers() | st.booleans())
)
def test_validate_form_never_crashes_and_only_names_known_fields(values: dict[str, object]) -> None:
    errors = validate_form(SCHEMA, values)
    assert set(errors) <= {f.key for f in ALL_FIELDS}
    assert all(isinstance(message, str) and message for message in errors.values())


# --- bundles --------------------------------------------------------------------------------


def test_merged_form_has_one_field_per_key() -> None:
    planning = fields_to_schema([PROJECT, AREA])
    construction = fields_to_schema([PROJECT, START])
    merged = merge_form_schemas([("规划许可", planning), ("施工许可", construction)])
    assert merged["x-order"] == ["project_name", "area", "start_on"]
    assert merged["required"] == ["project_name"]


def test_two_definitions_of_one_key_are_refused_naming_the_key_and_both_matters() -> None:
    other = FieldSpec(key="project_name", label="工程名称", kind=FieldKind.TEXT, required=True)
    with pytest.raises(CatalogueRuleError) as refused:
        merge_form_schemas([("规划许可", fields_to_schema([PROJECT])), ("施工许可", fields_to_schema([other]))])
    assert refused.value.code == "bundle_form_conflict"
    assert "project_name" in refused.value.message
    assert "规划许可" in refused.value.message
    assert "施工许可" in refused.value.message


def test_shared_material_is_asked_once_required_if_any_matter_requires_it() -> None:
    licence_optional = MaterialSpec(key="business_licence", name="营业执照", required=False, deferrable=True)
    licence_required = MaterialSpec(key="business_licence", name="营业执照副本", required=True, deferrable=True)
    plan = MaterialSpec(key="site_plan", name="总平面图")
    merged = merge_materials([("规划许可", [licence_optional, plan]), ("施工许可", [licence_required])])
    assert [m.key for m in merged] == ["business_licence", "site_plan"]
    licence = merged[0]
    assert licence.required is True
    assert licence.deferrable is True
    assert licence.name == "营业执照"
    assert licence.used_by == ("规划许可", "施工许可")
    assert merged[1].used_by == ("规划许可",)


def test_a_material_deferrable_in_one_matter_only_is_not_deferrable_in_the_bundle() -> None:
    merged = merge_materials(
        [
            ("甲", [MaterialSpec(key="k", name="材料", deferrable=True)]),
            ("乙", [MaterialSpec(key="k", name="材料", deferrable=False)]),
        ]
    )
    assert merged[0].deferrable is False


# --- limits and versions --------------------------------------------------------------------


def test_promised_limit_may_not_exceed_statutory_limit() -> None:
    with pytest.raises(CatalogueRuleError, match="承诺时限") as refused:
        check_limits(statutory_days=5, promised_days=6, max_visits=1)
    assert refused.value.field == "promised_limit_days"
    check_limits(statutory_days=5, promised_days=0, max_visits=0)  # 即办件


@given(st.integers(-3, 30), st.integers(-3, 30), st.integers(-2, 5))
def test_limits_are_valid_exactly_when_the_rules_hold(statutory: int, promised: int, visits: int) -> None:
    problems = limits_problems(statutory_days=statutory, promised_days=promised, max_visits=visits)
    valid = 0 <= promised <= statutory and 0 <= visits <= 2
    assert (not problems) == valid


def test_versions_only_move_forward() -> None:
    check_transition("draft", "published")
    check_transition("published", "retired")
    for current, target in [("published", "draft"), ("retired", "published"), ("draft", "retired")]:
        with pytest.raises(CatalogueRuleError):
            check_transition(current, target)


def test_only_drafts_are_editable() -> None:
    check_editable("draft")
    with pytest.raises(CatalogueRuleError, match="新建草稿"):
        check_editable("published")


def test_the_replaced_version_ends_the_day_before() -> None:
    assert previous_valid_to(dt.date(2025, 3, 1)) == dt.date(2025, 2, 28)


def test_search_words_segment_chinese_for_search() -> None:
    words = search_words("建设工程规划许可证核发")
    assert {"建设", "工程", "建设工程", "规划", "许可证"} <= set(words)
    assert len(words) == len(set(words))
    assert search_words("  ,。") == []
