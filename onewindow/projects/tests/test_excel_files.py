"""The registry's workbooks as files an attacker can shape: text typed like a formula is exported as
text."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

from onewindow.projects.excel import layout
from onewindow.projects.models import Project
from onewindow.projects.tests.conftest import World

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","点击")'
SHEET = "xl/worksheets/sheet1.xml"


def sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read(SHEET).decode()


def test_text_typed_like_a_formula_is_exported_as_the_same_text(client, world: World) -> None:
    texts = {"name": FORMULA, "location": "@SUM(1+1)*cmd|' /C calc'!A0", "industry": "-2+3", "owner_name": "+86"}
    Project.objects.filter(pk=world.project.pk).update(**texts, chain_tags=["\t=1+1"])
    client.force_login(world.user("city_office"))

    response = client.get("/projects/export.xlsx")

    assert not re.search(r"<f[ >]", sheet_xml(response.content))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[2]]
    row = {name: sheet.cell(row=3, column=header.index(name) + 1) for name in header}
    written = [row[layout.NAME], row[layout.LOCATION], row[layout.INDUSTRY], row[layout.OWNER], row[layout.CHAIN]]
    assert [cell.value for cell in written] == [*texts.values(), "\t=1+1"]
    assert [cell.data_type for cell in written] == ["s"] * 5
    assert (row[layout.TOTAL].data_type, row[layout.SEQ].value) == ("n", 1)  # numbers stay numbers


def test_dates_stay_dates_in_the_export(client, world: World) -> None:
    Project.objects.filter(pk=world.project.pk).update(planned_start=dt.date(2026, 3, 1))
    client.force_login(world.user("city_office"))
    sheet = load_workbook(io.BytesIO(client.get("/projects/export.xlsx").content)).active
    start = sheet.cell(row=3, column=layout.header([2026]).index(layout.START) + 1)
    assert start.is_date and start.value == dt.datetime(2026, 3, 1)
