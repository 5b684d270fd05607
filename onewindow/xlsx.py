"""Excel workbooks out: the one place the platform writes them (openpyxl).

Writing. `append_row` is how every export writes a row. openpyxl takes text starting with "=" for a
formula (and "#N/A" for an error value), so a project named =HYPERLINK("http://…","点击") would come
out of an export as a live link. Every text cell is stored as a string instead, whatever it starts
with; text a spreadsheet would read as a formula once someone edits the cell (= + - @, tab, CR) also
gets the quote prefix, Excel's hidden leading apostrophe. What the cell shows is unchanged. Numbers,
Decimals and dates stay numbers and dates.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["Sheet", "Workbook", "append_row", "to_file"]

Sheet = Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)


# ---------------------------------------------------------------------------------------------
# Writing


def append_row(
    sheet: Worksheet, values: Iterable[object], *, bold: bool = False, number_formats: Mapping[int, str] | None = None
) -> None:
    """Append one row; `number_formats` by column number (1-based). Text is written as text."""
    formats = number_formats or {}
    sheet.append([_cell(sheet, value, formats.get(column), bold) for column, value in enumerate(values, start=1)])


def _cell(sheet: Worksheet, value: object, number_format: str | None, bold: bool) -> Cell:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters a workbook cannot hold
    cell = Cell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    if number_format:
        cell.number_format = number_format
    if bold:
        cell.font = BOLD
    return cell


def to_file(workbook: Workbook) -> io.BytesIO:
    """The workbook saved to a file in memory, at its start."""
    file = io.BytesIO()
    workbook.save(file)
    file.seek(0)
    return file
