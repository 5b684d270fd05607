"""The pure sheet parser: header found under a title row, every bad cell reported with its Excel row
number and column, dates in the forms offices type, no database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onewindow.projects.domain import Level, Phase
from onewindow.projects.excel import layout
from onewindow.projects.excel.parsing import parse_date, parse_sheet
from onewindow.projects.tests.factories import credit_code

HEADER = layout.header([2026, 2027])


def row(**values):
    base = {
        layout.SEQ: 1,
        layout.NAME: "滨江科创园一期",
        layout.CODE: "XM2026-001",
        layout.OWNER: "滨江建设有限公司",
        layout.CREDIT_CODE: credit_code(11),
        layout.DISTRICT: "滨江区",
        layout.INDUSTRY: "先进制造",
        layout.CHAIN: "新能源汽车、集成电路",
        layout.TOTAL: 50000,
        layout.plan_header(2026): 12000.5,
        layout.plan_header(2027): None,
        layout.PHASE: "续建",
        layout.LEVEL: "市级",
        layout.START: dt.datetime(2025, 3, 1),
        layout.FINISH: "2027.12",
        layout.LOCATION: "滨江区江南大道",
        layout.LEADER: "王市长(wangsz)",
        layout.CHIEF_SERVICE: "",
        layout.SECRETARY: "",
        layout.COMMISSIONER: "",
        layout.UNIT: "",
    }
    base |= values
    return [base.get(column) for column in HEADER]


def sheet(*rows, title=True):
    return ([[layout.TITLE], []] if title else []) + [HEADER, *rows]


def test_a_good_row_under_a_title_row_is_read_with_every_field():
    parsed = parse_sheet(sheet(row()))
    assert parsed.errors == []
    (project,) = parsed.rows
    assert project.row == 4
    assert (project.code, project.phase, project.level) == ("XM2026-001", Phase.CONTINUING, Level.CITY)
    assert project.chain_tags == ("新能源汽车", "集成电路")
    assert project.total_investment == Decimal("50000.00")
    assert project.plans == {2026: Decimal("12000.50"), 2027: None}
    assert project.planned_start == dt.date(2025, 3, 1)
    assert project.planned_finish == dt.date(2027, 12, 31)  # a month alone: its last day for the finish
    assert project.team[layout.LEADER] == "王市长(wangsz)"
    assert parsed.years == (2026, 2027)


def test_every_bad_cell_of_every_row_is_reported_with_its_row_number_and_column():
    parsed = parse_sheet(
        sheet(
            row(),
            row(**{layout.CODE: "XM2", layout.CREDIT_CODE: "91330100MA0000011X", layout.TOTAL: -5}),
            row(**{layout.CODE: "XM3", layout.PHASE: "在建", layout.START: "2026-13", layout.NAME: None}),
            row(),  # the same code as the first row
        )
    )
    found = {(e.row, e.column) for e in parsed.errors}
    assert found == {
        (5, layout.CREDIT_CODE),
        (5, layout.TOTAL),
        (6, layout.PHASE),
        (6, layout.START),
        (6, layout.NAME),
        (7, layout.CODE),
    }
    assert [r.row for r in parsed.rows] == [4]
    messages = {(e.row, e.column): e.message for e in parsed.errors}
    assert "校验位" in messages[(5, layout.CREDIT_CODE)]
    assert messages[(5, layout.TOTAL)] == "总投资不能为负数"
    assert "储备、前期、新开工、续建、竣工、投产" in messages[(6, layout.PHASE)]
    assert messages[(7, layout.CODE)] == "项目编码“XM2026-001”与第 4 行重复"


def test_a_finish_before_the_start_is_reported_on_the_finish():
    parsed = parse_sheet(sheet(row(**{layout.START: "2027-01-01", layout.FINISH: "2026-12"}), title=False))
    assert [(e.row, e.column) for e in parsed.errors] == [(2, layout.FINISH)]


def test_a_missing_header_or_missing_columns_are_one_error_each():
    assert parse_sheet([["随便什么"], ["1", "2"]]).errors[0].message.startswith("未找到表头行")
    header = [c for c in HEADER if c not in (layout.TOTAL, layout.LEVEL)]
    (error,) = parse_sheet([header]).errors
    assert (error.row, error.column) == (1, f"{layout.TOTAL}、{layout.LEVEL}")


def test_blank_rows_and_rows_with_only_a_sequence_number_are_skipped():
    blank = [None] * len(HEADER)
    numbered = [7] + [None] * (len(HEADER) - 1)
    assert [r.row for r in parse_sheet(sheet(blank, numbered, row())).rows] == [6]


def test_full_width_parentheses_and_spaces_in_headers_are_accepted():
    header = [h.replace("(", "\uff08").replace(")", "\uff09") for h in HEADER]
    header[header.index(layout.NAME)] = " 项目 名称 "
    parsed = parse_sheet([header, row()])
    assert parsed.errors == []
    assert parsed.years == (2026, 2027)


def test_optional_columns_left_out_are_known_to_be_absent():
    columns = [c for c in HEADER if c not in (layout.LEADER, layout.CHAIN)]
    values = dict(zip(HEADER, row(), strict=True))
    parsed = parse_sheet([columns, [values[c] for c in columns]])
    assert parsed.errors == []
    assert layout.LEADER not in parsed.columns
    assert parsed.rows[0].team == {layout.CHIEF_SERVICE: "", layout.SECRETARY: "", layout.COMMISSIONER: ""}


@pytest.mark.parametrize(
    ("value", "month_end", "expected"),
    [
        ("2026-03-15", False, dt.date(2026, 3, 15)),
        ("2026/3/5", False, dt.date(2026, 3, 5)),
        ("2026.3.5", False, dt.date(2026, 3, 5)),
        ("2026年3月5日", False, dt.date(2026, 3, 5)),
        ("2026年3月", False, dt.date(2026, 3, 1)),
        ("2026-02", True, dt.date(2026, 2, 28)),
        ("2026.11", True, dt.date(2026, 11, 30)),
        (2026.03, False, dt.date(2026, 3, 1)),
        (2026.3, False, dt.date(2026, 3, 1)),
        (46082, False, dt.date(2026, 3, 1)),
    ],
)
def test_dates_in_the_forms_offices_type(value, month_end, expected):
    assert parse_date(value, month_end=month_end) == expected


@pytest.mark.parametrize("value", ["2026-13", "明年三月", "2026-02-30", 2026.1, 2026])
def test_bad_or_ambiguous_dates_are_refused_in_chinese(value):
    with pytest.raises(ValueError, match=r"[日期月]"):
        parse_date(value)
