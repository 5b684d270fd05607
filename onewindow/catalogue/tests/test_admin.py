"""The catalogue admin: system admin only, saves through the services, refusals as messages."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from onewindow import xlsx
from onewindow.audit.models import Event
from onewindow.catalogue.domain import FieldKind, FieldSpec, fields_to_schema
from onewindow.catalogue.excel import catalogue_import
from onewindow.catalogue.models import BundleVersion, Material, Matter, MatterVersion, VersionStatus
from onewindow.catalogue.tests.factories import (
    DepartmentFactory,
    MaterialFactory,
    MatterVersionFactory,
    RegionFactory,
    UserFactory,
    system_admin,
)
from onewindow.catalogue.tests.test_excel import make_workbook, sample
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Membership, Organisation, User

pytestmark = pytest.mark.django_db

VERSIONS = "/admin/catalogue/matterversion/"
BUNDLES = "/admin/catalogue/bundleversion/"
IMPORT = "/admin/catalogue/matter/import/"
EXPORT = "/admin/catalogue/matter/export/"


@pytest.fixture
def keeper(client: Client) -> User:
    user = system_admin()
    client.force_login(user)
    return user


@pytest.fixture
def department() -> Organisation:
    return DepartmentFactory.create(code="330100-ZJJ", name="住房和城乡建设局")


def version_post(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "建设工程规划许可证核发",
        "category": "行政许可",
        "legal_basis": "《中华人民共和国城乡规划法》第四十条",
        "statutory_limit_days": "20",
        "promised_limit_days": "5",
        "online_level": "full",
        "max_visits": "0",
        "fee_description": "不收费",
        "conditions": "",
        "location": "",
        "required_signoffs": "1",
        "rectification_days": "20",
        "form_schema": '{"type":"object","properties":{"project_name":{"type":"string","title":"项目名称"}},'
        '"required":["project_name"],"x-order":["project_name"]}',
        "materials-TOTAL_FORMS": "0",
        "materials-INITIAL_FORMS": "0",
        "materials-MIN_NUM_FORMS": "0",
        "materials-MAX_NUM_FORMS": "1000",
    }
    return {**data, **overrides}


def materials(rows: list[dict[str, Any]], initial: int = 0) -> dict[str, Any]:
    data = {"materials-TOTAL_FORMS": str(len(rows)), "materials-INITIAL_FORMS": str(initial)}
    for index, row in enumerate(rows):
        data |= {f"materials-{index}-{key}": value for key, value in row.items()}
    return data


LICENCE = {
    "position": "0",
    "key": "business_licence",
    "name": "营业执照",
    "required": "on",
    "form": "electronic",
    "copies": "1",
}


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.SYSTEM_ADMIN, 200), (Role.SECURITY_ADMIN, 403), (Role.AUDIT_ADMIN, 403), (Role.CLERK, 302)],
)
def test_only_the_system_admin_keeps_the_catalogue(client: Client, role: Role, status: int) -> None:
    user = UserFactory.create()
    Membership.objects.create(user=user, organisation=RegionFactory.create(), role=role)
    client.force_login(user)
    for url in (VERSIONS, BUNDLES, "/admin/catalogue/matter/", IMPORT):
        assert client.get(url).status_code == status, url


def test_an_admin_adds_a_matter_with_materials_through_the_service(client, keeper, department) -> None:
    assert "事项编码" in client.get(f"{VERSIONS}add/").content.decode()
    data = version_post(code="330100-ZJ-001", department=str(department.pk)) | materials([LICENCE])
    response = client.post(f"{VERSIONS}add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    version = MatterVersion.objects.get(matter__code="330100-ZJ-001")
    assert version.status == VersionStatus.DRAFT
    assert [m.key for m in version.materials.all()] == ["business_licence"]
    assert "规划" in version.search_text
    assert Event.objects.filter(stream=f"matter:{version.matter_id}", action="catalogue.matter_draft_created").exists()


def test_a_rule_broken_in_the_admin_is_shown_in_chinese_on_the_form(client, keeper, department) -> None:
    bad_schema = '{"type":"object","properties":{"phone":{"type":"string","title":"电话","pattern":"1[0-"}}}'
    data = version_post(code="X-1", department=str(department.pk), promised_limit_days="30", form_schema=bad_schema)
    response = client.post(f"{VERSIONS}add/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "承诺时限（30 个工作日）不能超过法定时限（20 个工作日）" in html
    assert "“电话”（phone）的格式“1[0-”不是有效的正则表达式" in html
    assert not Matter.objects.exists()


def test_an_admin_edits_a_draft_and_the_edit_is_audited(client, keeper) -> None:
    draft = MatterVersionFactory.create(promised_limit_days=5)
    material = MaterialFactory.create(version=draft, key="business_licence", name="营业执照")
    page = client.get(f"{VERSIONS}{draft.pk}/change/").content.decode()
    assert 'name="name"' in page
    assert "项目名称" in page  # the form fields table
    row = {**LICENCE, "id": str(material.pk), "version": str(draft.pk), "name": "营业执照（副本）"}
    data = version_post(name=draft.name, promised_limit_days="3", form_schema="{}") | materials([row], initial=1)
    response = client.post(f"{VERSIONS}{draft.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert draft.promised_limit_days == 3
    assert Material.objects.get(version=draft).name == "营业执照（副本）"
    event = Event.objects.get(stream=f"matter:{draft.matter_id}", action="catalogue.matter_edited")
    assert event.changes["promised_limit_days"] == [5, 3]
    assert "materials" in event.changes


def test_the_admin_sets_whether_an_overdue_deferred_material_holds_an_approval_back(client, keeper) -> None:
    draft = MatterVersionFactory.create(promised_limit_days=5)
    page = client.get(f"{VERSIONS}{draft.pk}/change/").content.decode()
    assert "容缺材料逾期未补交时不得准予许可" in page
    assert re.search(r'<input[^>]*name="deferral_blocks_decision"[^>]*checked', page)  # the default: it does
    data = version_post(name=draft.name, form_schema="{}")  # the box left unticked
    assert client.post(f"{VERSIONS}{draft.pk}/change/", data).status_code == 302
    draft.refresh_from_db()
    assert draft.deferral_blocks_decision is False
    event = Event.objects.get(stream=f"matter:{draft.matter_id}", action="catalogue.matter_edited")
    assert event.changes["deferral_blocks_decision"] == [True, False]


def test_a_published_version_opens_read_only(client, keeper) -> None:
    published = MatterVersionFactory.create(published=True)
    page = client.get(f"{VERSIONS}{published.pk}/change/")
    assert page.status_code == 200
    assert 'name="name"' not in page.content.decode()
    response = client.post(f"{VERSIONS}{published.pk}/change/", version_post(name="改名"))
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.name != "改名"


def test_the_publish_action_publishes_and_a_refusal_is_a_message(client, keeper) -> None:
    draft = MatterVersionFactory.create()
    response = client.post(VERSIONS, {"action": "publish", "_selected_action": [draft.pk]}, follow=True)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert Event.objects.filter(action="catalogue.matter_published", stream=f"matter:{draft.matter_id}").exists()
    again = client.post(VERSIONS, {"action": "publish", "_selected_action": [draft.pk]}, follow=True)
    assert again.status_code == 200
    assert any("不能修改" in message for message in messages_of(again))


def test_new_draft_from_a_published_version_and_retire(client, keeper) -> None:
    published = MatterVersionFactory.create(published=True)
    MaterialFactory.create(version=published)
    client.post(VERSIONS, {"action": "draft_from", "_selected_action": [published.pk]}, follow=True)
    draft = MatterVersion.objects.get(matter=published.matter, status=VersionStatus.DRAFT)
    assert draft.number == published.number + 1
    assert draft.materials.count() == 1
    response = client.post(VERSIONS, {"action": "retire", "_selected_action": [draft.pk]}, follow=True)
    assert any("只能废止已发布的版本" in message for message in messages_of(response))
    client.post(VERSIONS, {"action": "retire", "_selected_action": [published.pk]}, follow=True)
    published.refresh_from_db()
    assert published.status == VersionStatus.RETIRED
    assert Event.objects.filter(action="catalogue.matter_retired", stream=f"matter:{published.matter_id}").exists()


def test_an_admin_builds_and_publishes_a_bundle(client, keeper, department) -> None:
    schema = fields_to_schema([FieldSpec(key="project_name", label="项目名称", kind=FieldKind.TEXT)])
    first = MatterVersionFactory.create(published=True, form_schema=schema)
    second = MatterVersionFactory.create(form_schema=schema)  # not yet published
    stages = f"立项用地 | {department.code} | {first.matter.code}\n施工许可 | {department.code} | {second.matter.code}"
    data = {"code": "YJS-001", "name": "工程建设一件事", "description": "", "stages_text": stages}
    response = client.post(f"{BUNDLES}add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    bundle = BundleVersion.objects.get(bundle__code="YJS-001")
    assert [s.name for s in bundle.stages.order_by("position")] == ["立项用地", "施工许可"]
    refused = client.post(BUNDLES, {"action": "publish", "_selected_action": [bundle.pk]}, follow=True)
    assert any("没有已发布的版本" in message for message in messages_of(refused))
    client.post(VERSIONS, {"action": "publish", "_selected_action": [second.pk]})
    client.post(BUNDLES, {"action": "publish", "_selected_action": [bundle.pk]})
    bundle.refresh_from_db()
    assert bundle.status == VersionStatus.PUBLISHED
    assert Event.objects.filter(action="catalogue.bundle_published", stream=f"bundle:{bundle.bundle_id}").exists()
    assert client.get(f"{BUNDLES}{bundle.pk}/change/").status_code == 200


def test_a_bad_stage_line_is_shown_on_the_bundle_form(client, keeper) -> None:
    data = {"code": "YJS-2", "name": "一件事", "description": "", "stages_text": "只有名称"}
    response = client.post(f"{BUNDLES}add/", data)
    assert response.status_code == 200
    assert "第1行应为“阶段名称 | 牵头部门编码 | 事项编码”" in response.content.decode()


def upload(workbook: Workbook) -> io.BytesIO:
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "catalogue.xlsx"
    return buffer


def test_the_matter_list_links_import_and_export(client, keeper) -> None:
    html = client.get("/admin/catalogue/matter/").content.decode()
    assert IMPORT in html
    assert EXPORT in html


def test_importing_a_bad_workbook_shows_every_error_and_changes_nothing(client, keeper, department) -> None:
    sheets = sample(department)
    sheets["事项"][0]["承诺时限"] = 99
    sheets["事项"][1]["事项类型"] = "不存在"
    response = client.post(IMPORT, {"file": upload(make_workbook(sheets)), "publish": "on"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-errors"' in html
    assert "承诺时限（99 个工作日）不能超过法定时限" in html
    assert "事项类型“不存在”不在可选范围内" in html
    assert not Matter.objects.exists()


def test_importing_a_good_workbook_shows_the_counts_and_export_downloads_it(client, keeper, department) -> None:
    response = client.post(IMPORT, {"file": upload(make_workbook(sample(department))), "publish": "on"})
    html = response.content.decode()
    assert 'id="import-counts"' in html
    assert "新增：3" in html
    assert MatterVersion.objects.filter(status=VersionStatus.PUBLISHED).count() == 2
    download = client.get(EXPORT)
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(download.content))
    assert workbook["事项"].max_row == 3


def test_a_file_that_is_not_a_workbook_is_refused_politely(client, keeper) -> None:
    junk = io.BytesIO(b"not a workbook")
    junk.name = "catalogue.xlsx"
    response = client.post(IMPORT, {"file": junk})
    assert response.status_code == 200
    assert "无法读取该文件" in response.content.decode()


def test_a_refusal_from_the_service_is_a_message_not_a_500(client, keeper) -> None:
    draft = MatterVersionFactory.create()
    no_copies = {**LICENCE, "copies": "0"}  # the form allows 0; the service refuses it
    data = version_post(name=draft.name, form_schema="{}") | materials([no_copies])
    response = client.post(f"{VERSIONS}{draft.pk}/change/", data, follow=True)
    assert response.status_code == 200
    assert any("份数至少为 1" in message for message in messages_of(response))
    assert not Material.objects.filter(version=draft).exists()
    assert not Event.objects.filter(action="catalogue.matter_edited").exists()


# ---------------------------------------------------------------------------------------------
# Workbooks as files an attacker can shape

FORMULA = '=HYPERLINK("http://evil.example","点击")'
MATTERS_XML = "xl/worksheets/sheet1.xml"  # 事项, the first sheet


def with_matters_xml(workbook: Workbook, edit: Callable[[bytes], bytes]) -> io.BytesIO:
    """The workbook saved, with the XML of its 事项 sheet edited, as an upload."""
    source, edited = zipfile.ZipFile(xlsx.to_file(workbook)), io.BytesIO()
    with zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in source.infolist():
            data = source.read(part.filename)
            archive.writestr(part.filename, edit(data) if part.filename == MATTERS_XML else data)
    edited.seek(0)
    edited.name = "catalogue.xlsx"
    return edited


def test_text_typed_like_a_formula_is_exported_as_the_same_text(client, keeper, department) -> None:
    sheets = sample(department, 事项名称=FORMULA, 办理地点="@SUM(1+1)", 受理条件="-1+1")
    sheets["材料"][0]["材料名称"] = "+营业执照"
    assert catalogue_import(actor=keeper, sheets=xlsx.sheets_of(make_workbook(sheets)), publish=True).ok

    download = client.get(EXPORT)

    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        sheet_xml = [archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert not any(re.search(r"<f[ >]", xml) for xml in sheet_xml)
    workbook = load_workbook(io.BytesIO(download.content))
    header = [cell.value for cell in workbook["事项"][1]]
    matter = {cell_name: cell for cell_name, cell in zip(header, workbook["事项"][2], strict=True)}
    written = [matter["事项名称"], matter["办理地点"], matter["受理条件"], workbook["材料"]["C2"]]
    assert [cell.value for cell in written] == [FORMULA, "@SUM(1+1)", "-1+1", "+营业执照"]
    assert [cell.data_type for cell in written] == ["s"] * 4
    assert (matter["法定时限"].value, matter["法定时限"].data_type) == (20, "n")  # numbers stay numbers


def test_a_workbook_with_malformed_sheet_xml_is_refused_politely(client, keeper, department) -> None:
    broken = with_matters_xml(make_workbook(sample(department)), lambda xml: xml.replace(b"</sheetData>", b"<row><c"))
    response = client.post(IMPORT, {"file": broken})
    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", code="workbook_unreadable")
    assert not Matter.objects.exists()


def test_a_sheet_past_the_row_limit_is_refused_without_reading_the_rest(client, keeper, department, settings) -> None:
    settings.CATALOGUE_IMPORT_MAX_ROWS = 2  # the header and one matter; the sample has two
    broken_after = with_matters_xml(
        make_workbook(sample(department)), lambda xml: xml.replace(b"</sheetData>", b"<row><c")
    )
    response = client.post(IMPORT, {"file": broken_after})
    assert response.context["form"].has_error("__all__", code="workbook_too_many_rows")
    assert "工作表“事项”超过 2 行" in response.content.decode()
    assert not Matter.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, keeper, department, settings) -> None:
    settings.EXCEL_IMPORT_MAX_BYTES = 2048
    response = client.post(IMPORT, {"file": upload(make_workbook(sample(department)))})
    assert response.context["form"].has_error("__all__", code="workbook_too_large")
    assert "不能超过 2 KB" in response.content.decode()
    assert not Matter.objects.exists()
