"""onewindow.xlsx: text is written as text whatever it starts with, numbers and dates keep their
type; uploads are read as rows numbered like Excel's, within the limits, broken files refused."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from onewindow import xlsx
from onewindow.errors import DomainError

LIMITS = {"max_bytes": 1024 * 1024, "max_rows": 100}


def saved_and_read_back(*rows: list[object]) -> tuple[str, list[list[object]]]:
    """The sheet's XML and its cells (value, data type, quote prefix) after a save."""
    book = Workbook()
    for row in rows:
        xlsx.append_row(book.active, row)
    content = xlsx.to_file(book).getvalue()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    sheet = load_workbook(io.BytesIO(content)).active
    return xml, [[(c.value, c.data_type, c.quotePrefix) for c in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize(
    "text", ["=1+1", '=HYPERLINK("http://evil.example","点击")', "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_text_starting_like_a_formula_is_written_as_text(text: str) -> None:
    xml, cells = saved_and_read_back([text])
    assert not re.search(r"<f[ >]", xml)
    assert cells == [[(text, "s", True)]]


def test_error_names_and_plain_text_are_text_too() -> None:
    _, cells = saved_and_read_back(["#N/A", "云川市", "a=b"])
    assert cells == [[("#N/A", "s", False), ("云川市", "s", False), ("a=b", "s", False)]]


def test_numbers_and_dates_keep_their_type() -> None:
    _, cells = saved_and_read_back(
        [1, Decimal("2.50"), 3.5, True, dt.date(2026, 3, 15), dt.datetime(2026, 3, 15, 9, 30)]
    )
    assert [(value, kind) for value, kind, _ in cells[0]] == [
        (1, "n"),
        (2.5, "n"),
        (3.5, "n"),
        (True, "b"),
        (dt.datetime(2026, 3, 15), "d"),
        (dt.datetime(2026, 3, 15, 9, 30), "d"),
    ]


def test_control_characters_a_workbook_cannot_hold_are_left_out() -> None:
    _, cells = saved_and_read_back(["响铃\x07项目"])
    assert cells[0][0][0] == "响铃项目"


def test_rows_keep_excel_numbering_without_trailing_blanks() -> None:
    book = Workbook()
    sheet = book.active
    sheet["B2"], sheet["A4"], sheet["C4"] = "标题", 1, None
    sheet["A9"].number_format = "0.00"  # an empty, formatted cell below the data
    assert xlsx.read_first_sheet(xlsx.to_file(book), **LIMITS) == [(), (None, "标题"), (), (1,)]


def test_rows_past_a_wrongly_stated_sheet_size_are_read() -> None:
    book = Workbook()
    for number in range(1, 6):
        book.active.append([number])
    original = xlsx.to_file(book)
    with zipfile.ZipFile(original) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', sheet)
    edited = io.BytesIO()
    with zipfile.ZipFile(edited, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert xlsx.read_first_sheet(edited, **LIMITS) == [(1,), (2,), (3,), (4,), (5,)]


def test_only_the_named_sheets_are_read() -> None:
    book = Workbook()
    book.active.title = "说明"
    book.create_sheet("事项").append(["事项编码"])
    assert xlsx.read_sheets(xlsx.to_file(book), ["事项", "材料"], **LIMITS) == {"事项": [("事项编码",)]}


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "workbook_unreadable"),
        (b"PK\x03\x04 not a zip", "workbook_unreadable"),
        (b"x" * 2048, "workbook_too_large"),
    ],
    ids=["empty", "broken zip", "too large"],
)
def test_a_file_that_is_not_a_workbook_or_too_large_is_one_error(content: bytes, code: str) -> None:
    with pytest.raises(DomainError) as refused:
        xlsx.read_first_sheet(io.BytesIO(content), max_bytes=1024, max_rows=10)
    assert refused.value.code == code


def test_a_missing_file_is_unreadable(tmp_path) -> None:
    with pytest.raises(DomainError) as refused:
        xlsx.read_first_sheet(tmp_path / "missing.xlsx", **LIMITS)
    assert refused.value.code == "workbook_unreadable"


def test_uploaded_workbooks_are_parsed_with_defusedxml():
    """openpyxl guards its XML parser against entity expansion only when defusedxml is installed."""
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML
