"""The registry's workbooks as files an attacker can shape: text typed like a formula is exported as
text, and an upload that is broken, too large or too long is refused with a message (page and
command), before anything is imported and without reading more of it than the limit."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from onewindow import xlsx
from onewindow.errors import DomainError
from onewindow.projects.excel import layout
from onewindow.projects.excel.importer import read_registry_file
from onewindow.projects.models import Project
from onewindow.projects.tests.conftest import World
from onewindow.projects.tests.test_excel import values, workbook

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","点击")'
SHEET = "xl/worksheets/sheet1.xml"


def sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read(SHEET).decode()


def with_sheet_xml(book: Workbook, edit: Callable[[bytes], bytes]) -> bytes:
    """The workbook saved, with its first sheet's XML edited."""
    source, edited = zipfile.ZipFile(xlsx.to_file(book)), io.BytesIO()
    with zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in source.infolist():
            data = source.read(part.filename)
            archive.writestr(part.filename, edit(data) if part.filename == SHEET else data)
    return edited.getvalue()


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("projects.xlsx", content)


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


def test_the_page_refuses_a_workbook_with_malformed_sheet_xml(client, world: World) -> None:
    content = with_sheet_xml(workbook(values(world, 1)), lambda xml: xml.replace(b"</sheetData>", b"<row><c"))
    client.force_login(world.user("district_office"))

    response = client.post("/projects/import/", {"file": upload(content)})

    assert response.status_code == 422
    assert response.context["form"].has_error("__all__", code="workbook_unreadable")
    assert "无法读取该文件" in response.content.decode()
    assert not Project.objects.filter(code="IMP-001").exists()


def test_the_command_refuses_a_workbook_with_malformed_sheet_xml(world: World, tmp_path) -> None:
    file = tmp_path / "broken.xlsx"
    file.write_bytes(with_sheet_xml(workbook(values(world, 1)), lambda xml: xml[: len(xml) // 2]))

    with pytest.raises(CommandError, match="无法读取该文件") as refused:
        call_command("projects", "import", str(file), "--user", world.user("district_office").username)
    assert refused.value.returncode == 2
    assert not Project.objects.filter(code="IMP-001").exists()


def test_a_list_past_the_row_limit_is_refused_without_reading_the_rest(client, world: World, settings) -> None:
    settings.PROJECTS_IMPORT_MAX_ROWS = 4  # the title, the header and two projects
    # Past the fifth filled row the sheet is broken: reading on would make the file unreadable.
    book = workbook(*(values(world, n) for n in (1, 2, 3)))
    content = with_sheet_xml(book, lambda xml: xml.replace(b"</sheetData>", b"<row><c"))
    client.force_login(world.user("district_office"))

    response = client.post("/projects/import/", {"file": upload(content)})

    assert response.status_code == 422
    assert response.context["form"].has_error("__all__", code="workbook_too_many_rows")
    assert "超过 4 行" in response.content.decode()
    assert not Project.objects.filter(code__startswith="IMP-").exists()


def test_blank_rows_do_not_count_against_the_row_limit(world: World, settings) -> None:
    settings.PROJECTS_IMPORT_MAX_ROWS = 3  # the sheet is read down to row 30
    book = workbook(values(world, 1))
    book.active.cell(row=30, column=1).number_format = "0.00"  # formatted, empty rows below the list

    assert len(read_registry_file(xlsx.to_file(book))) == 3


def test_a_sheet_going_on_far_past_the_row_limit_is_refused_without_reading_that_far(world: World, settings) -> None:
    settings.PROJECTS_IMPORT_MAX_ROWS = 3  # the sheet is read down to row 30
    far = b'<row r="1000000"><c r="A1000000" s="0"/></row></sheetData>'  # one empty cell, a million rows down
    content = with_sheet_xml(workbook(values(world, 1)), lambda xml: xml.replace(b"</sheetData>", far))

    with pytest.raises(DomainError, match="在第 30 行之后还有行") as refused:
        read_registry_file(io.BytesIO(content))
    assert refused.value.code == "workbook_too_many_rows"


def test_a_file_over_the_size_limit_is_refused_before_it_is_opened(client, world: World, settings) -> None:
    settings.EXCEL_IMPORT_MAX_BYTES = 1024
    client.force_login(world.user("district_office"))

    response = client.post("/projects/import/", {"file": upload(b"x" * 1025)})  # not even a workbook

    assert response.status_code == 422
    assert response.context["form"].has_error("__all__", code="workbook_too_large")
    assert "不能超过 1 KB" in response.content.decode()


def test_a_small_file_that_unpacks_to_a_huge_one_is_refused(world: World, settings) -> None:
    settings.EXCEL_IMPORT_MAX_BYTES = 20_000
    book = workbook(*(values(world, n, **{layout.LOCATION: "东" * 30_000}) for n in range(1, 10)))
    file = xlsx.to_file(book)
    assert len(file.getvalue()) < 20_000

    with pytest.raises(DomainError) as refused:
        read_registry_file(file)
    assert refused.value.code == "workbook_too_large"


def test_the_command_refuses_a_file_over_the_size_limit(world: World, tmp_path, settings) -> None:
    settings.EXCEL_IMPORT_MAX_BYTES = 1024
    file = tmp_path / "big.xlsx"
    workbook(*(values(world, n) for n in range(1, 40))).save(file)

    with pytest.raises(CommandError, match=re.escape("不能超过 1 KB")):
        call_command("projects", "import", str(file), "--user", world.user("district_office").username)
    assert not Project.objects.filter(code__startswith="IMP-").exists()
