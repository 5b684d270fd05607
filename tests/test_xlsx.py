"""onewindow.xlsx: text is written as text whatever it starts with, numbers and dates keep their type."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from onewindow import xlsx


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
