"""Excel import and export against the database: names resolved in the office's regions, every error
of every row reported at once with nothing imported, re-imports that change nothing, updates by
项目编码, and export → import round trips. Also the page and the management command."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from onewindow import xlsx
from onewindow.audit.models import Event
from onewindow.orgs.tests.factories import DepartmentFactory, UserFactory
from onewindow.projects.domain import Phase, TeamRole
from onewindow.projects.excel import layout
from onewindow.projects.excel.exporter import projects_export
from onewindow.projects.excel.importer import projects_import, read_registry_file
from onewindow.projects.models import AnnualPlan, PhaseChange, Project, TeamMember
from onewindow.projects.selectors import project_list
from onewindow.projects.tests.conftest import World
from onewindow.projects.tests.factories import credit_code, plan

pytestmark = pytest.mark.django_db
HEADER = layout.header([2026, 2027])


def values(world: World, n: int, **overrides) -> list[object]:
    row = {
        layout.SEQ: n,
        layout.NAME: f"导入项目{n}",
        layout.CODE: f"IMP-{n:03d}",
        layout.OWNER: f"导入建设有限公司{n}",
        layout.CREDIT_CODE: credit_code(500 + n),
        layout.DISTRICT: world.east.name,
        layout.INDUSTRY: "新材料",
        layout.CHAIN: "新材料、碳纤维",
        layout.TOTAL: 10000 + n,
        layout.plan_header(2026): 3000,
        layout.plan_header(2027): None,
        layout.PHASE: "前期",
        layout.LEVEL: "区级",
        layout.START: "2026-05",
        layout.FINISH: dt.date(2027, 12, 31),
        layout.LOCATION: "东区工业园",
        layout.LEADER: world.user("leader_holding").username,
        layout.CHIEF_SERVICE: "",
        layout.SECRETARY: "",
        layout.COMMISSIONER: "",
        layout.UNIT: "",
    }
    row |= overrides
    return [row.get(column) for column in HEADER]


def workbook(*rows: list[object], header: list[str] = HEADER) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.append(["2026年重点项目计划表"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    return book


def first_sheet(book: Workbook) -> list[xlsx.Row]:
    return xlsx.rows_of(book.active)


def reread(book: Workbook) -> list[xlsx.Row]:
    """The workbook saved and read back the way an upload is."""
    return read_registry_file(xlsx.to_file(book))


def test_new_projects_are_registered_with_plans_and_team(world: World) -> None:
    office = world.user("district_office")
    report = projects_import(actor=office, rows=first_sheet(workbook(values(world, 1), values(world, 2))))

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    project = Project.objects.get(code="IMP-001")
    assert (project.district, project.phase, project.level) == (world.east, Phase.PREPARATION, "district")
    assert project.chain_tags == ["新材料", "碳纤维"]
    assert (project.planned_start, project.planned_finish) == (dt.date(2026, 5, 1), dt.date(2027, 12, 31))
    assert list(project.annual_plans.values_list("year", "planned_investment")) == [(2026, Decimal("3000.00"))]
    assert project.team.get(role=TeamRole.LEADER).user == world.user("leader_holding")
    assert Event.objects.filter(stream=f"project:{project.pk}", action="projects.project_created").count() == 1


def test_bad_rows_are_all_reported_with_row_numbers_and_nothing_is_imported(world: World) -> None:
    book = workbook(
        values(world, 1),
        values(world, 2, **{layout.DISTRICT: world.west.name, layout.LEADER: "查无此人"}),
        values(world, 3, **{layout.CREDIT_CODE: "123", layout.TOTAL: "-1"}),
        values(world, 4, **{layout.CODE: world.project.code, layout.PHASE: "储备"}),
    )
    report = projects_import(actor=world.user("district_office"), rows=first_sheet(book))

    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [
        (4, layout.DISTRICT),
        (4, layout.LEADER),
        (5, layout.CREDIT_CODE),
        (5, layout.TOTAL),
        (6, layout.PHASE),  # 续建 cannot go back two phases to 储备
    ]
    assert "不在您的管理范围内" in report.errors[0].message
    assert report.errors[1].message == "未找到用户“查无此人”"
    assert Project.objects.count() == 1
    assert not Event.objects.filter(stream__startswith="project:").exists()


def test_an_error_found_while_writing_rolls_back_the_rows_already_written(world: World) -> None:
    # A project code longer than 40 characters passes the parser and is refused only by the service
    # while writing: the row written before it must be undone too.
    long_code = "X" * 41
    report = projects_import(
        actor=world.user("district_office"),
        rows=first_sheet(workbook(values(world, 1), values(world, 2, **{layout.CODE: long_code}))),
    )
    assert [(e.row, e.column) for e in report.errors] == [(4, layout.CODE)]
    assert not Project.objects.filter(code="IMP-001").exists()


def test_importing_the_same_workbook_again_changes_nothing(world: World) -> None:
    office = world.user("district_office")
    book = workbook(values(world, 1), values(world, 2))
    projects_import(actor=office, rows=first_sheet(book))
    count = Event.objects.count()

    again = projects_import(actor=office, rows=reread(book))
    assert again.ok
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Event.objects.count() == count


def test_a_known_code_updates_the_project_and_records_the_phase_change(world: World) -> None:
    office = world.user("district_office")
    projects_import(actor=office, rows=first_sheet(workbook(values(world, 1))))
    changed = values(
        world, 1, **{layout.PHASE: "新开工", layout.TOTAL: 12345, layout.plan_header(2026): None, layout.LEADER: ""}
    )
    report = projects_import(actor=office, rows=first_sheet(workbook(changed)))

    assert (report.created, report.updated) == (0, 1)
    project = Project.objects.get(code="IMP-001")
    assert (project.phase, project.total_investment) == (Phase.NEW_START, Decimal("12345.00"))
    assert not project.annual_plans.exists()  # a blank year cell removes that year's plan
    assert not project.team.exists()
    change = PhaseChange.objects.get(project=project)
    assert (change.reason, change.changed_by) == ("Excel 导入", office)


def test_columns_left_out_keep_what_the_project_has(world: World) -> None:
    office = world.user("district_office")
    projects_import(actor=office, rows=first_sheet(workbook(values(world, 1))))
    short = [c for c in HEADER if c not in (layout.LEADER, layout.CHAIN, layout.plan_header(2026))]
    full = dict(zip(HEADER, values(world, 1, **{layout.NAME: "改名后的项目"}), strict=True))
    report = projects_import(actor=office, rows=first_sheet(workbook([full[c] for c in short], header=short)))

    assert report.updated == 1
    project = Project.objects.get(code="IMP-001")
    assert project.name == "改名后的项目"
    assert project.chain_tags == ["新材料", "碳纤维"]
    assert project.annual_plans.count() == 1
    assert project.team.filter(role=TeamRole.LEADER).exists()


def test_an_office_cannot_change_a_project_outside_its_regions(world: World) -> None:
    row = values(world, 1, **{layout.CODE: world.project.code, layout.DISTRICT: world.west.name})
    report = projects_import(actor=world.user("other_office"), rows=first_sheet(workbook(row)))
    assert [(e.row, e.column) for e in report.errors] == [(3, layout.CODE)]


def test_export_then_import_round_trips_without_a_change(world: World) -> None:
    office = world.user("city_office")
    unit = DepartmentFactory(parent=world.east, name="住房和城乡建设局")
    chief = UserFactory(name="张三")
    TeamMember.objects.create(project=world.project, role=TeamRole.CHIEF_SERVICE, user=chief)
    world.project.responsible_unit = unit
    world.project.save()
    plan(world.project, 2026, "1500.25")
    plan(world.project, 2025, "900")
    projects_import(actor=office, rows=first_sheet(workbook(values(world, 1), values(world, 2))))
    count = Event.objects.count()

    exported = projects_export(project_list(office), today=dt.date(2026, 6, 1))
    sheet = exported.active
    header = [cell.value for cell in sheet[2]]
    assert header == layout.header([2025, 2026])
    (first,) = [[c.value for c in row] for row in sheet.iter_rows(min_row=3) if row[2].value == world.project.code]
    assert first[header.index(layout.CHIEF_SERVICE)] == f"张三({chief.username})"
    assert first[header.index(layout.TOTAL)] == Decimal("50000.00")
    assert isinstance(first[header.index(layout.plan_header(2026))], Decimal)

    report = projects_import(actor=office, rows=reread(exported))
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert Event.objects.count() == count
    assert AnnualPlan.objects.filter(project=world.project).count() == 2


def test_the_import_page_reports_every_error_and_the_export_follows_the_filters(client, world: World) -> None:
    client.force_login(world.user("district_office"))
    buffer = io.BytesIO()
    workbook(values(world, 1, **{layout.TOTAL: "很多"}), values(world, 2, **{layout.PHASE: "?"})).save(buffer)
    upload = SimpleUploadedFile("projects.xlsx", buffer.getvalue())
    response = client.post("/projects/import/", {"file": upload})
    assert response.status_code == 422
    page = response.content.decode()
    assert "总投资应为数字" in page and "建设阶段“?”无效" in page
    assert not Project.objects.filter(code__startswith="IMP-").exists()

    response = client.get(f"/projects/export.xlsx?q={world.project.code}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[2] for row in sheet.iter_rows(min_row=3, values_only=True)] == [world.project.code]


def test_a_large_workbook_is_imported_by_a_job_whose_panel_says_what_came_of_it(client, world: World, settings) -> None:
    settings.PROJECTS_IMPORT_BACKGROUND_ROWS = 1  # more rows than this: a worker imports it
    client.force_login(world.user("district_office"))
    buffer = io.BytesIO()
    workbook(values(world, 1), values(world, 2)).save(buffer)
    response = client.post("/projects/import/", {"file": SimpleUploadedFile("projects.xlsx", buffer.getvalue())})
    assert response.status_code == 302 and response["Location"].startswith("/projects/import/?job=")
    assert "导入完成：新增 2 个项目，更新 0 个，未变 0 个" in client.get(response["Location"]).content.decode()
    assert Project.objects.filter(code__startswith="IMP-").count() == 2

    buffer = io.BytesIO()
    workbook(values(world, 3, **{layout.TOTAL: "很多"}), values(world, 4, **{layout.PHASE: "?"})).save(buffer)
    response = client.post("/projects/import/", {"file": SimpleUploadedFile("projects.xlsx", buffer.getvalue())})
    page = client.get(response["Location"]).content.decode()
    assert "发现 2 处错误，未导入任何数据" in page and "第 3 行 总投资（万元）：总投资应为数字" in page
    assert not Project.objects.filter(code__in=["IMP-003", "IMP-004"]).exists()
    assert not list((settings.MEDIA_ROOT / "jobs" / "imports").iterdir())  # the uploads are gone


def test_the_page_refuses_a_file_that_is_not_a_workbook(client, world: World) -> None:
    client.force_login(world.user("district_office"))
    upload = SimpleUploadedFile("projects.xlsx", b"not a workbook")
    response = client.post("/projects/import/", {"file": upload})
    assert response.status_code == 422
    assert "无法读取该文件" in response.content.decode()


def test_the_command_imports_for_an_office_member_and_exits_1_on_bad_rows(world: World, tmp_path, capsys) -> None:
    office = world.user("district_office")
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    workbook(values(world, 1)).save(good)
    workbook(values(world, 2, **{layout.LEVEL: "省级"})).save(bad)

    call_command("projects", "import", str(good), "--user", office.username)
    assert "新增 1" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_:
        call_command("projects", "import", str(bad), "--user", office.username)
    assert exit_.value.code == 1
    assert "第 3 行 项目级别" in capsys.readouterr().err
    assert not Project.objects.filter(code="IMP-002").exists()


def test_control_characters_a_workbook_cannot_hold_are_left_out_of_the_export(world: World) -> None:
    Project.objects.filter(pk=world.project.pk).update(name="响铃\x07项目")
    exported = projects_export(project_list(world.user("city_office")), today=dt.date(2026, 6, 1))
    names = [row[1] for row in exported.active.iter_rows(min_row=3, values_only=True)]
    assert names == ["响铃项目"]
