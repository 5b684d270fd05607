"""Excel workbooks in and out: the one place the platform reads and writes them (openpyxl).

Writing. `append_row` is how every export writes a row. openpyxl takes text starting with "=" for a
formula (and "#N/A" for an error value), so a project named =HYPERLINK("http://…","点击") would come
out of an export as a live link. Every text cell is stored as a string instead, whatever it starts
with; text a spreadsheet would read as a formula once someone edits the cell (= + - @, tab, CR) also
gets the quote prefix, Excel's hidden leading apostrophe. What the cell shows is unchanged. Numbers,
Decimals and dates stay numbers and dates.

Reading. `read_first_sheet` and `read_sheets` open an uploaded workbook within limits: the file's size
is checked before anything is parsed, and so is the size its parts unpack to (a small zip can unpack
to gigabytes, and openpyxl holds a workbook's shared strings in memory); sheets are streamed
(read-only mode) and reading stops at the first row past the limit. A file that is not a readable
workbook, malformed sheet XML included (read-only mode meets it only while streaming), is one
DomainError with a stable code, never a 500. `rows_of` and `sheets_of` give a workbook built in memory
(the demo's, tests') as the same rows, without limits.

Rows are tuples of cell values; a row's position in the list is its Excel row number - 1. Trailing
empty cells are dropped, so a blank row is `()`, and so are the blank rows after the last filled one.
The limit counts filled rows; blank rows cost time too (and a sheet can claim to go on to row
1,000,000,000), so a sheet is read no further than row BLANK_ROOM × the limit. Columns past
MAX_COLUMNS are not read.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from onewindow.errors import DomainError

__all__ = [
    "Row",
    "Sheet",
    "Source",
    "Workbook",
    "append_row",
    "read_first_sheet",
    "read_sheets",
    "rows_of",
    "sheets_of",
    "to_file",
]

Row = tuple[object, ...]
Sheet = Worksheet
Source = Path | IO[bytes]

MAX_COLUMNS = 200
UNPACKED_RATIO = 10  # a real list unpacks to 3–8 times its size, a compressed bomb to thousands
BLANK_ROOM = 10  # a sheet is read down to row 10 × its row limit (blank rows cost time too)
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


# ---------------------------------------------------------------------------------------------
# Reading


def read_first_sheet(file: Source, *, max_bytes: int, max_rows: int) -> list[Row]:
    """The rows of the workbook's first sheet (DomainError when it cannot be read or is too large)."""
    workbook = _open(file, max_bytes)
    try:
        return _collect(workbook.worksheets[0], max_rows) if workbook.worksheets else []
    finally:
        workbook.close()


def read_sheets(file: Source, names: Collection[str], *, max_bytes: int, max_rows: int) -> dict[str, list[Row]]:
    """The rows of each sheet named in `names` that the workbook has; `max_rows` for each sheet."""
    workbook = _open(file, max_bytes)
    try:
        return {name: _collect(workbook[name], max_rows) for name in names if name in workbook.sheetnames}
    finally:
        workbook.close()


def rows_of(sheet: Worksheet) -> list[Row]:
    """A sheet built in memory (trusted: no limits), as `read_first_sheet` gives an uploaded one."""
    return _collect(sheet, None)


def sheets_of(workbook: Workbook) -> dict[str, list[Row]]:
    """A workbook built in memory (trusted: no limits), as `read_sheets` gives an uploaded one."""
    return {sheet.title: _collect(sheet, None) for sheet in workbook.worksheets}


def _unreadable() -> DomainError:
    return DomainError(_("无法读取该文件，请上传 .xlsx 格式的 Excel 工作簿"), code="workbook_unreadable")


def _too_large(max_bytes: int) -> DomainError:
    size = f"{max_bytes / 2**20:.1f}".removesuffix(".0") + " MB" if max_bytes >= 2**20 else f"{max_bytes // 1024} KB"
    return DomainError(_("文件过大：Excel 工作簿不能超过 %(size)s。") % {"size": size}, code="workbook_too_large")


def _too_many_rows(sheet: str, max_rows: int) -> DomainError:
    message = _("工作表“%(sheet)s”超过 %(rows)s 行，请分成几个文件导入。") % {"sheet": sheet, "rows": max_rows}
    return DomainError(message, code="workbook_too_many_rows")


def _rows_past(sheet: str, last_row: int) -> DomainError:
    message = _("工作表“%(sheet)s”在第 %(row)s 行之后还有行（可能是设了格式的空行），请删除这些行后再导入。")
    return DomainError(message % {"sheet": sheet, "row": last_row}, code="workbook_too_many_rows")


def _open(file: Source, max_bytes: int) -> Any:
    """The workbook in read-only mode, once its file and its unpacked parts are within the limit."""
    if _size(file) > max_bytes:
        raise _too_large(max_bytes)
    try:
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(part.file_size for part in archive.infolist())
        if not isinstance(file, Path):
            file.seek(0)
        if unpacked > max_bytes * UNPACKED_RATIO:
            raise _too_large(max_bytes)
        return load_workbook(file, read_only=True, data_only=True)
    except DomainError:
        raise
    except Exception as error:  # openpyxl and zipfile raise many kinds for a file that is not a workbook
        raise _unreadable() from error


def _size(file: Source) -> int:
    try:
        if isinstance(file, Path):
            return file.stat().st_size
        size = getattr(file, "size", None)  # Django's UploadedFile knows it
        if size is None:
            size = file.seek(0, io.SEEK_END)
            file.seek(0)
        return int(size)
    except OSError as error:
        raise _unreadable() from error


def _values(sheet: Worksheet) -> Iterator[tuple[object, ...]]:
    """The sheet's rows as openpyxl streams them; what the file makes it raise is the unreadable error."""
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # read-only mode trusts the size a file states; some programs state it wrong
    rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    while True:
        try:
            values = next(rows, None)
        except Exception as error:  # malformed XML, a part missing from the archive, a bad CRC…
            raise _unreadable() from error
        if values is None:
            return
        yield values


def _collect(sheet: Worksheet, max_rows: int | None) -> list[Row]:
    rows: list[Row] = []
    blank_run = filled = 0
    last_row = max_rows * BLANK_ROOM if max_rows is not None else None
    for number, values in enumerate(_values(sheet), start=1):
        if last_row is not None and number > last_row:
            raise _rows_past(sheet.title, last_row)
        row = _trimmed(values)
        if not row:
            blank_run += 1
            continue
        filled += 1
        if max_rows is not None and filled > max_rows:
            raise _too_many_rows(sheet.title, max_rows)
        rows.extend([()] * blank_run)
        rows.append(row)
        blank_run = 0
    return rows


def _trimmed(values: tuple[object, ...]) -> Row:
    if values.count(None) == len(values):  # most blank rows, at C speed
        return ()
    end = len(values)
    while end and _blank(values[end - 1]):
        end -= 1
    return tuple(values[:end])


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
