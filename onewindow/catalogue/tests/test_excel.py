"""Importing and exporting the catalogue workbook."""

from __future__ import annotations

from typing import Any

import pytest
from openpyxl import Workbook

from onewindow.audit.models import Event
from onewindow.catalogue.excel import COLUMNS, ImportReport, RowError, catalogue_export, catalogue_import
from onewindow.catalogue.models import Bundle, BundleVersion, Matter, MatterVersion, StageMatter, VersionStatus
from onewindow.catalogue.tests.factories import DepartmentFactory, system_admin
from onewindow.orgs.models import Organisation, User
from onewindow.xlsx import sheets_of

pytestmark = pytest.mark.django_db

PLANNING = "330100-ZJ-001"
CONSTRUCTION = "330100-ZJ-002"


def matter_row(code: str, name: str, department: str, **overrides: Any) -> dict[str, Any]:
    row = {
        "事项编码": code,
        "事项名称": name,
        "实施部门编码": department,
        "事项类型": "行政许可",
        "设定依据": "《中华人民共和国城乡规划法》第四十条",
        "法定时限": 20,
        "承诺时限": "5",
        "网办深度": "全程网办",
        "最多跑动次数": 0,
        "告知承诺": "否",
        "收费": "不收费",
        "受理条件": "",
        "办理地点": "市民中心",
    }
    return {**row, **overrides}


def make_workbook(sheets: dict[str, list[dict[str, Any]]]) -> Workbook:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for name, columns in COLUMNS.items():
        sheet = workbook.create_sheet(name)
        sheet.append(list(columns))
        for row in sheets.get(name, []):
            sheet.append([row.get(column) for column in columns])
    return workbook


@pytest.fixture
def admin() -> User:
    return system_admin()


@pytest.fixture
def department() -> Organisation:
    return DepartmentFactory.create(code="330100-ZJJ", name="住房和城乡建设局")


def sample(department: Organisation, **planning_overrides: Any) -> dict[str, list[dict[str, Any]]]:
    dept = department.code
    return {
        "事项": [
            matter_row(PLANNING, "建设工程规划许可证核发", dept, **planning_overrides),
            matter_row(CONSTRUCTION, "建筑工程施工许可证核发", dept, 法定时限=15, 承诺时限=0, 告知承诺="是"),
        ],
        "材料": [
            {"事项编码": PLANNING, "材料编码": "business_licence", "材料名称": "营业执照", "必要性": "必要",
             "材料形式": "电子", "可容缺": "否", "电子证照类型": "营业执照", "份数": 1},
            {"事项编码": PLANNING, "材料编码": "site_plan", "材料名称": "总平面图", "必要性": "非必要",
             "材料形式": "原件", "可容缺": "是", "份数": "2"},
            {"事项编码": CONSTRUCTION, "材料编码": "business_licence", "材料名称": "营业执照", "必要性": "必要",
             "材料形式": "电子", "可容缺": "否", "电子证照类型": "营业执照"},
        ],
        "表单": [
            {"事项编码": PLANNING, "字段编码": "project_name", "字段名称": "项目名称", "类型": "文本", "必填": "是",
             "最大值": 50},
            {"事项编码": PLANNING, "字段编码": "area", "字段名称": "用地面积", "类型": "数字", "必填": "否",
             "最小值": 0, "最大值": "10000.5"},
            {"事项编码": CONSTRUCTION, "字段编码": "project_name", "字段名称": "项目名称", "类型": "文本",
             "必填": "是", "最大值": 50},
            {"事项编码": CONSTRUCTION, "字段编码": "land_use", "字段名称": "用地性质", "类型": "选择", "必填": "是",
             "选项": "工业、住宅"},
            {"事项编码": CONSTRUCTION, "字段编码": "start_on", "字段名称": "开工日期", "类型": "日期", "必填": "否"},
            {"事项编码": CONSTRUCTION, "字段编码": "phone", "字段名称": "联系电话", "类型": "文本", "必填": "否",
             "格式": r"1\d{10}"},
            {"事项编码": CONSTRUCTION, "字段编码": "state_owned", "字段名称": "国有", "类型": "是否", "必填": "否"},
        ],
        "一件事": [
            {"主题编码": "YJS-001", "主题名称": "工程建设项目审批一件事", "阶段序号": 1, "阶段名称": "工程建设许可",
             "事项编码": PLANNING, "牵头部门编码": dept},
            {"主题编码": "YJS-001", "主题名称": "工程建设项目审批一件事", "阶段序号": 2, "阶段名称": "施工许可",
             "事项编码": CONSTRUCTION, "牵头部门编码": dept},
        ],
    }  # fmt: skip


def catalogue_events() -> int:
    return Event.objects.filter(action__startswith="catalogue.").count()


def test_importing_with_publish_creates_and_publishes_everything(admin, department) -> None:
    report = catalogue_import(actor=admin, sheets=sheets_of(make_workbook(sample(department))), publish=True)
    assert report == ImportReport(errors=[], created=3, updated=0, unchanged=0)
    planning = MatterVersion.objects.get(matter__code=PLANNING)
    assert planning.status == VersionStatus.PUBLISHED
    assert planning.promised_limit_days == 5
    assert [(m.key, m.required, m.form, m.copies) for m in planning.materials.all()] == [
        ("business_licence", True, "electronic", 1),
        ("site_plan", False, "original", 2),
    ]
    assert planning.form_schema["properties"]["area"] == {
        "title": "用地面积",
        "type": "number",
        "minimum": 0,
        "maximum": 10000.5,
    }
    construction = MatterVersion.objects.get(matter__code=CONSTRUCTION)
    assert construction.is_on_the_spot
    assert construction.commitment_allowed
    assert construction.form_schema["properties"]["land_use"]["enum"] == ["工业", "住宅"]
    bundle = BundleVersion.objects.get(bundle__code="YJS-001")
    assert bundle.status == VersionStatus.PUBLISHED
    assert bundle.stages.count() == 2
    assert all(sm.matter_version is not None for sm in StageMatter.objects.all())
    assert Event.objects.filter(action="catalogue.matter_published").count() == 2
    assert Event.objects.filter(action="catalogue.bundle_published").count() == 1


def test_importing_without_publish_leaves_drafts(admin, department) -> None:
    report = catalogue_import(actor=admin, sheets=sheets_of(make_workbook(sample(department))))
    assert report.created == 3
    assert set(MatterVersion.objects.values_list("status", flat=True)) == {VersionStatus.DRAFT}
    assert BundleVersion.objects.get().status == VersionStatus.DRAFT


def test_reimporting_the_same_workbook_changes_nothing(admin, department) -> None:
    catalogue_import(actor=admin, sheets=sheets_of(make_workbook(sample(department))), publish=True)
    events_before = catalogue_events()
    report = catalogue_import(actor=admin, sheets=sheets_of(make_workbook(sample(department))), publish=True)
    assert report == ImportReport(errors=[], created=0, updated=0, unchanged=3)
    assert MatterVersion.objects.count() == 2
    assert BundleVersion.objects.count() == 1
    assert catalogue_events() == events_before


def test_a_changed_matter_gets_a_new_version(admin, department) -> None:
    catalogue_import(actor=admin, sheets=sheets_of(make_workbook(sample(department))), publish=True)
    changed = make_workbook(sample(department, 承诺时限=3))
    report = catalogue_import(actor=admin, sheets=sheets_of(changed), publish=True)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    versions = MatterVersion.objects.filter(matter__code=PLANNING).order_by("number")
    assert [(v.number, v.status, v.promised_limit_days) for v in versions] == [
        (1, VersionStatus.RETIRED, 5),
        (2, VersionStatus.PUBLISHED, 3),
    ]
    [edited] = Event.objects.filter(action="catalogue.matter_edited")
    assert edited.changes["promised_limit_days"] == [5, 3]


def test_a_changed_matter_without_publish_gets_a_draft_beside_the_published_version(admin, department) -> None:
    catalogue_import(actor=admin, sheets=sheets_of(make_workbook(sample(department))), publish=True)
    catalogue_import(actor=admin, sheets=sheets_of(make_workbook(sample(department, 事项名称="规划许可（新）"))))
    statuses = MatterVersion.objects.filter(matter__code=PLANNING).values_list("number", "status")
    assert sorted(statuses) == [(1, VersionStatus.PUBLISHED), (2, VersionStatus.DRAFT)]
    again = catalogue_import(
        actor=admin, sheets=sheets_of(make_workbook(sample(department, 事项名称="规划许可（新）")))
    )
    assert again.updated == 0
    assert MatterVersion.objects.filter(matter__code=PLANNING).count() == 2


def test_every_bad_row_is_reported_and_nothing_changes(admin, department) -> None:
    sheets = sample(department)
    sheets["事项"].append(matter_row("330100-ZJ-003", "坏事项", "NO-SUCH-DEPT", 事项类型="行政审批"))
    sheets["事项"].append(matter_row("330100-ZJ-004", "时限倒挂", department.code, 法定时限=3, 承诺时限=5))
    sheets["事项"].append(matter_row(PLANNING, "重复", department.code))
    sheets["事项"].append(matter_row("330100-ZJ-005", "跑三次", department.code, 最多跑动次数=3, 告知承诺="也许"))
    sheets["材料"].append({"事项编码": "NOPE", "材料编码": "x", "材料名称": "某材料"})
    sheets["材料"].append({"事项编码": PLANNING, "材料编码": "y", "材料名称": "某材料", "材料形式": "扫描件"})
    sheets["材料"].append({"事项编码": PLANNING, "材料编码": "z", "材料名称": "某材料", "份数": 0})
    sheets["表单"].append({"事项编码": PLANNING, "字段编码": "f", "字段名称": "字段", "类型": "附件"})
    sheets["表单"].append({"事项编码": PLANNING, "字段编码": "g", "字段名称": "字段", "类型": "选择"})
    sheets["表单"].append({"事项编码": PLANNING, "字段编码": "h", "字段名称": "字段", "类型": "文本", "格式": "[a-"})
    report = catalogue_import(actor=admin, sheets=sheets_of(make_workbook(sheets)), publish=True)
    found = {(e.sheet, e.row, e.column) for e in report.errors}
    assert {
        ("事项", 4, "实施部门编码"),
        ("事项", 4, "事项类型"),
        ("事项", 5, "承诺时限"),
        ("事项", 6, "事项编码"),
        ("事项", 7, "最多跑动次数"),
        ("事项", 7, "告知承诺"),
        ("材料", 5, "事项编码"),
        ("材料", 6, "材料形式"),
        ("材料", 7, "份数"),
        ("表单", 9, "类型"),
        ("表单", 10, "字段编码"),
        ("表单", 11, "字段编码"),
    } <= found
    assert all(e.message for e in report.errors)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert not Matter.objects.exists()
    assert catalogue_events() == 0


def test_a_bundle_whose_matters_define_a_field_differently_is_reported(admin, department) -> None:
    sheets = sample(department)
    sheets["表单"][2]["字段名称"] = "工程名称"  # construction's project_name now differs from planning's
    report = catalogue_import(actor=admin, sheets=sheets_of(make_workbook(sheets)), publish=True)
    [error] = report.errors
    assert error.sheet == "一件事"
    assert "project_name" in error.message
    assert not Bundle.objects.exists()
    assert not Matter.objects.exists()


def test_a_bundle_naming_an_unknown_matter_is_reported(admin, department) -> None:
    sheets = sample(department)
    sheets["一件事"][1]["事项编码"] = "330100-ZJ-999"
    sheets["一件事"][1]["阶段序号"] = 3
    report = catalogue_import(actor=admin, sheets=sheets_of(make_workbook(sheets)))
    assert RowError("一件事", 3, "事项编码", "事项“330100-ZJ-999”既不在“事项”表中，也不在目录中") in report.errors
    assert any(e.column == "阶段序号" for e in report.errors)


def test_a_missing_header_column_is_reported() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "事项"
    sheet.append(["事项编码", "事项名称"])
    report = catalogue_import(actor=None, sheets=sheets_of(workbook))
    [error] = report.errors
    assert error.row == 1
    assert "实施部门编码" in error.message


def test_blank_rows_are_skipped(admin, department) -> None:
    workbook = make_workbook(sample(department))
    workbook["事项"].append([None] * len(COLUMNS["事项"]))
    workbook["事项"].append(["  "] + [None] * (len(COLUMNS["事项"]) - 1))
    assert catalogue_import(actor=admin, sheets=sheets_of(workbook)).errors == []


def test_export_then_import_changes_nothing(admin, department) -> None:
    catalogue_import(actor=admin, sheets=sheets_of(make_workbook(sample(department))), publish=True)
    events_before = catalogue_events()
    exported = catalogue_export()
    assert exported.sheetnames == ["事项", "材料", "表单", "一件事"]
    assert exported["事项"].max_row == 3
    assert exported["表单"].max_row == 8
    report = catalogue_import(actor=admin, sheets=sheets_of(exported), publish=True)
    assert report == ImportReport(errors=[], created=0, updated=0, unchanged=3)
    assert catalogue_events() == events_before


def test_export_writes_only_published_versions(admin, department) -> None:
    catalogue_import(actor=admin, sheets=sheets_of(make_workbook(sample(department))))
    exported = catalogue_export()
    assert exported["事项"].max_row == 1
    assert exported["一件事"].max_row == 1
