"""Reading cells: typed values from the rows of a sheet, a RowError for each bad one."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from onewindow import xlsx
from onewindow.catalogue import domain
from onewindow.catalogue.excel.layout import (
    COLUMNS,
    MATTERS,
    NO,
    YES,
    RowError,
)


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, Any]


class CellReader:
    """Cell parsers that record a RowError and return None when a cell is bad."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []

    def error(self, row: Row, column: str, message: str) -> None:
        self.errors.append(RowError(row.sheet, row.number, column, message))

    def text(self, row: Row, column: str, *, required: bool = True) -> str:
        value = row.values.get(column)
        text = "" if value is None else cell_text(value)
        if required and not text:
            self.error(row, column, f"请填写{column}")
        return text

    def integer(self, row: Row, column: str, *, default: int | None = None) -> int | None:
        value = row.values.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            if default is None:
                self.error(row, column, f"请填写{column}")
            return default
        number = as_number(value)
        if number is None or not float(number).is_integer() or number < 0:
            self.error(row, column, f"{column}应为不小于 0 的整数，而不是“{value}”")
            return None
        return int(number)

    def number(self, row: Row, column: str) -> domain.Number | None:
        value = row.values.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        number = as_number(value)
        if number is None:
            self.error(row, column, f"{column}应为数字，而不是“{value}”")
        return number

    def boolean(self, row: Row, column: str) -> bool:
        value = row.values.get(column)
        if value is None or isinstance(value, bool):
            return bool(value)
        text = cell_text(value)
        if text in (YES, NO, ""):
            return text == YES
        self.error(row, column, f"{column}应填“是”或“否”，而不是“{text}”")
        return False

    def choice(self, row: Row, column: str, mapping: Mapping[str, Any], *, default: str = "") -> Any:
        text = self.text(row, column, required=not default) or default
        if text and text not in mapping:
            self.error(row, column, f"{column}“{text}”不在可选范围内：{'、'.join(mapping)}")
            return None
        return mapping.get(text)


def cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def as_number(value: Any) -> domain.Number | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return domain.normalise_number(value) if math.isfinite(value) else None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return domain.normalise_number(number) if math.isfinite(number) else None


def data_rows(sheets: Mapping[str, Sequence[xlsx.Row]], sheet: str, reader: CellReader) -> Iterator[Row]:
    """Data rows of a sheet as {header: value}; a missing sheet or a wrong header is one error."""
    if sheet not in sheets:
        if sheet == MATTERS:
            reader.errors.append(RowError(sheet, 1, "", f"工作簿缺少“{sheet}”工作表"))
        return
    expected = COLUMNS[sheet]
    rows = iter(sheets[sheet])
    header = tuple(cell_text(v) if v is not None else "" for v in next(rows, ()))
    missing = [c for c in expected if c not in header]
    if missing:
        reader.errors.append(RowError(sheet, 1, "、".join(missing), f"表头缺少列：{'、'.join(missing)}"))
        return
    for number, values in enumerate(rows, start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        yield Row(sheet, number, {h: v for h, v in zip(header, values, strict=False) if h})
