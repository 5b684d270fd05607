"""Reading the registry sheet: pure, no database. Rows of cell values in, checked rows and every
error (Excel row number, column, Chinese message) out; the importer resolves names afterwards.

- The header row is the first of the top ten rows holding 项目名称 and 项目编码; rows above it are
  titles. A missing required column is one error on the header row.
- A column left out of the sheet leaves that field of an existing project as it is; a blank cell in
  a column that is there clears it (a blank year column removes that year's plan).
- Dates: date cells, or text 2026-03-15, 2026/3/15, 2026.3.15, 2026年3月15日; a month alone
  (2026-03, 2026.3, 2026年3月) means its first day for 计划开工 and its last day for 计划竣工. A
  number such as 2026.1 is refused: Excel turned 2026.10 into it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from onewindow.orgs.domain import InvalidIdentifier, clean_credit_code
from onewindow.projects.domain import Level, Phase, clean_amount, clean_chain_tags, clean_text
from onewindow.projects.excel import layout

HEADER_SEARCH_ROWS = 10
_DATE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*(?:[-./月]\s*(?:(\d{1,2})\s*日?)?)?$")
EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


def by_position(errors: Iterable[RowError]) -> list[RowError]:
    """Errors by row, then left to right (a header error naming several columns comes first)."""
    return sorted(errors, key=lambda e: (e.row, layout.column_rank(e.column) if e.column else -1))


@dataclass(frozen=True)
class ProjectRow:
    """One checked row. Names (district, people, unit) are still text: the importer resolves them."""

    row: int
    code: str
    name: str
    owner_name: str
    owner_credit_code: str
    district: str
    industry: str
    total_investment: Decimal
    phase: Phase
    level: Level
    chain_tags: tuple[str, ...] = ()
    plans: dict[int, Decimal | None] = field(default_factory=dict)
    planned_start: dt.date | None = None
    planned_finish: dt.date | None = None
    location: str = ""
    team: dict[str, str] = field(default_factory=dict)  # column → text ("" when blank)
    unit: str = ""


@dataclass(frozen=True)
class ParsedSheet:
    rows: list[ProjectRow]
    errors: list[RowError]
    columns: frozenset[str] = frozenset()  # the layout columns present in the sheet
    years: tuple[int, ...] = ()


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return clean_text(value)


class _Cells:
    """One data row's cells by header, recording an error and returning a default when one is bad."""

    def __init__(self, number: int, values: dict[str, Any], errors: list[RowError]) -> None:
        self.number, self.values, self.errors = number, values, errors

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def text(self, column: str, *, required: bool = False) -> str:
        text = cell_text(self.values.get(column))
        if required and not text:
            self.error(column, f"请填写{column}")
        return text

    def amount(self, column: str, *, label: str, required: bool = True) -> Decimal | None:
        value = self.values.get(column)
        if cell_text(value) == "":
            if required:
                self.error(column, f"请填写{label}")
            return None
        try:
            return clean_amount(value, label)
        except ValueError as exc:
            self.error(column, str(exc))
            return None

    def choice(self, column: str, choices: dict[str, Any]) -> Any:
        text = self.text(column, required=True)
        if text and text not in choices:
            self.error(column, f"{column}“{text}”无效，可填：{'、'.join(choices)}")
            return None
        return choices.get(text)

    def date(self, column: str, *, month_end: bool = False) -> dt.date | None:
        value = self.values.get(column)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = cell_text(value)
        if not text:
            return None
        try:
            return parse_date(value, month_end=month_end)
        except ValueError as exc:
            self.error(column, f"{column}{exc}")
            return None


def parse_date(value: object, *, month_end: bool = False) -> dt.date:
    """A date from a cell's text or number; ValueError with the reason in Chinese."""
    if isinstance(value, float) and not value.is_integer():
        text = repr(value)
        if len(text.split(".")[1]) == 1 and text.endswith(".1"):
            raise ValueError(f"“{text}”可能是1月也可能是10月，请填写为 {text[:4]}-01 或 {text[:4]}-10")
        value = f"{text.split('.')[0]}.{text.split('.')[1]}"
    if isinstance(value, int) and 20000 <= value <= 80000:  # a date cell Excel stored as its serial number
        return EXCEL_EPOCH + dt.timedelta(days=value)
    text = cell_text(value)
    match = _DATE.match(text)
    if not match:
        raise ValueError(f"“{text}”不是有效日期，请填写如 2026-03-15 或 2026-03")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"“{text}”的月份无效")
    day = int(match.group(3)) if match.group(3) else (calendar.monthrange(year, month)[1] if month_end else 1)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"“{text}”不是有效日期") from None


def _header_index(rows: Sequence[Sequence[object]]) -> int | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = {layout.normalise_header(value) for value in row}
        if layout.NAME in names and layout.CODE in names:
            return index
    return None


def _is_blank(values: dict[str, Any]) -> bool:
    return all(cell_text(v) == "" for key, v in values.items() if key != layout.SEQ)


def _row(cells: _Cells, columns: frozenset[str], years: tuple[int, ...]) -> ProjectRow | None:
    before = len(cells.errors)
    credit_code = cells.text(layout.CREDIT_CODE, required=True)
    if credit_code:
        try:
            credit_code = clean_credit_code(credit_code)
        except InvalidIdentifier as exc:
            cells.error(layout.CREDIT_CODE, str(exc))
    total = cells.amount(layout.TOTAL, label="总投资")
    plans = {year: cells.amount(layout.plan_header(year), label=f"{year}年计划投资", required=False) for year in years}
    phase, level = cells.choice(layout.PHASE, layout.PHASES), cells.choice(layout.LEVEL, layout.LEVELS)
    start, finish = cells.date(layout.START), cells.date(layout.FINISH, month_end=True)
    if start and finish and finish < start:
        cells.error(layout.FINISH, "计划竣工日期不能早于计划开工日期")
    row = ProjectRow(
        row=cells.number,
        code=cells.text(layout.CODE, required=True),
        name=cells.text(layout.NAME, required=True),
        owner_name=cells.text(layout.OWNER, required=True),
        owner_credit_code=credit_code,
        district=cells.text(layout.DISTRICT, required=True),
        industry=cells.text(layout.INDUSTRY, required=True),
        total_investment=total or Decimal(0),
        phase=phase or Phase.RESERVE,
        level=level or Level.DISTRICT,
        chain_tags=tuple(clean_chain_tags(layout.TAG_SPLIT.split(cells.text(layout.CHAIN)))),
        plans=plans,
        planned_start=start,
        planned_finish=finish,
        location=cells.text(layout.LOCATION),
        team={column: cells.text(column) for column in layout.TEAM_COLUMNS if column in columns},
        unit=cells.text(layout.UNIT),
    )
    return row if len(cells.errors) == before else None


def parse_sheet(rows: Iterable[Sequence[object]]) -> ParsedSheet:
    """Every project row of the sheet, checked; rows with an error are left out and reported."""
    table = [tuple(row) for row in rows]
    header_at = _header_index(table)
    if header_at is None:
        return ParsedSheet([], [RowError(1, "", "未找到表头行：表头须含“项目名称”和“项目编码”两列")])
    header = [layout.normalise_header(value) for value in table[header_at]]
    missing = [column for column in layout.REQUIRED if column not in header]
    if missing:
        return ParsedSheet([], [RowError(header_at + 1, "、".join(missing), f"表头缺少列：{'、'.join(missing)}")])
    years = tuple(sorted({y for name in header if (y := layout.plan_year(name)) is not None}))
    columns = frozenset(name for name in header if name)
    parsed: list[ProjectRow] = []
    errors: list[RowError] = []
    first_row_of: dict[str, int] = {}
    for number, values in enumerate(table[header_at + 1 :], start=header_at + 2):
        cells = _Cells(number, {name: v for name, v in zip(header, values, strict=False) if name}, errors)
        if _is_blank(cells.values):
            continue
        row = _row(cells, columns, years)
        if row is None:
            continue
        if row.code in first_row_of:
            errors.append(RowError(number, layout.CODE, f"项目编码“{row.code}”与第 {first_row_of[row.code]} 行重复"))
            continue
        first_row_of[row.code] = number
        parsed.append(row)
    return ParsedSheet(parsed, by_position(errors), columns, years)
