"""How a matter is reviewed and checked, kept with its version: the number of sign-offs (会签), the
rectification deadline after a failed post-check (整改期限), and the signed commitment a matter that
allows 告知承诺 asks for. Services, admin, workbook and guide."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.test import Client

from onewindow.audit.models import Event
from onewindow.catalogue import services
from onewindow.catalogue.domain import COMMITMENT_LETTER, MaterialSpec, MatterContent
from onewindow.catalogue.excel import catalogue_export, catalogue_import
from onewindow.catalogue.models import MatterVersion
from onewindow.catalogue.tests.test_excel import CONSTRUCTION, PLANNING, make_workbook, sample
from onewindow.catalogue.tests.test_services import CONTENT, LICENCE
from onewindow.errors import DomainError
from onewindow.xlsx import sheets_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    from onewindow.catalogue.tests.factories import system_admin

    return system_admin()


@pytest.fixture
def department():
    from onewindow.catalogue.tests.factories import DepartmentFactory

    return DepartmentFactory.create(code="330100-ZJJ", name="住房和城乡建设局")


def create(admin, department, *, content: MatterContent, materials=()) -> MatterVersion:
    return services.matter_create(
        actor=admin, code="330100-ZJ-001", department=department, content=content, materials=materials
    )


def keys(version: MatterVersion) -> list[str]:
    return list(version.materials.values_list("key", flat=True))


# --- services ---------------------------------------------------------------------------------------


def test_a_matter_that_allows_commitment_asks_for_the_signed_commitment(admin, department):
    version = create(admin, department, content=replace(CONTENT, commitment_allowed=True), materials=[LICENCE])
    assert keys(version) == ["business_licence", "commitment_letter"]
    letter = version.materials.get(key="commitment_letter")
    assert (letter.name, letter.required, letter.form) == ("告知承诺书", False, "original")


def test_allowing_commitment_later_adds_the_signed_commitment_once(admin, department):
    version = create(admin, department, content=CONTENT, materials=[LICENCE])
    assert keys(version) == ["business_licence"]
    services.matter_version_update(actor=admin, version=version, content=replace(CONTENT, commitment_allowed=True))
    services.matter_version_update(actor=admin, version=version, content=replace(CONTENT, commitment_allowed=True))
    assert keys(version) == ["business_licence", "commitment_letter"]


def test_a_commitment_the_matter_names_itself_is_kept_as_it_is(admin, department):
    own = MaterialSpec(key=COMMITMENT_LETTER.key, name="告知承诺书(加盖公章)", required=True)
    version = create(admin, department, content=replace(CONTENT, commitment_allowed=True), materials=[own])
    assert list(version.materials.values_list("name", "required")) == [("告知承诺书(加盖公章)", True)]


def test_signoffs_and_the_rectification_deadline_are_kept_with_the_version(admin, department):
    content = replace(CONTENT, required_signoffs=3, rectification_days=15)
    version = create(admin, department, content=content)
    assert (version.required_signoffs, version.rectification_days) == (3, 15)
    services.matter_version_publish(actor=admin, version=version)
    draft = services.matter_version_draft_from(actor=admin, version=version)
    assert (draft.required_signoffs, draft.rectification_days) == (3, 15)
    services.matter_version_update(actor=admin, version=draft, content=replace(content, required_signoffs=2))
    [edited] = Event.objects.filter(action="catalogue.matter_edited")
    assert edited.changes["required_signoffs"] == [3, 2]
    assert MatterVersion.objects.get(pk=version.pk).required_signoffs == 3  # the published one never changes


def test_a_version_without_them_needs_no_countersign_and_gives_20_days():
    assert (CONTENT.required_signoffs, CONTENT.rectification_days) == (1, 20)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"required_signoffs": 0}, "matter_required_signoffs_invalid"),
        ({"required_signoffs": 10}, "matter_required_signoffs_invalid"),
        ({"rectification_days": 0}, "matter_rectification_days_invalid"),
    ],
)
def test_signoffs_and_deadline_out_of_range_are_refused(admin, department, changes, code):
    with pytest.raises(DomainError) as refused:
        create(admin, department, content=replace(CONTENT, **changes))
    assert refused.value.code == code
    assert not MatterVersion.objects.exists()


# --- the workbook ---------------------------------------------------------------------------------


def test_the_workbook_carries_signoffs_and_the_deadline(admin, department):
    workbook = make_workbook(sample(department))
    header = [cell.value for cell in workbook["事项"][1]]
    workbook["事项"].cell(row=1, column=len(header) + 1, value="会签人数")
    workbook["事项"].cell(row=1, column=len(header) + 2, value="整改期限")
    workbook["事项"].cell(row=2, column=len(header) + 1, value=2)
    workbook["事项"].cell(row=2, column=len(header) + 2, value=10)
    assert catalogue_import(actor=admin, sheets=sheets_of(workbook), publish=True).ok
    planning = MatterVersion.objects.get(matter__code=PLANNING)
    assert (planning.required_signoffs, planning.rectification_days) == (2, 10)
    construction = MatterVersion.objects.get(matter__code=CONSTRUCTION)  # columns left blank: the defaults
    assert (construction.required_signoffs, construction.rectification_days) == (1, 20)
    assert "commitment_letter" in keys(construction)  # it allows 告知承诺

    exported = catalogue_export()
    row = dict(zip([c.value for c in exported["事项"][1]], [c.value for c in exported["事项"][2]], strict=True))
    assert (row["会签人数"], row["整改期限"]) == (2, 10)
    report = catalogue_import(actor=admin, sheets=sheets_of(exported), publish=True)
    assert (report.updated, report.created) == (0, 0)  # export → import changes nothing


def test_a_workbook_of_the_older_layout_still_imports(admin, department):
    report = catalogue_import(actor=admin, sheets=sheets_of(make_workbook(sample(department))), publish=True)
    assert report.ok and report.created == 3  # two matters and a bundle
    again = catalogue_import(actor=admin, sheets=sheets_of(make_workbook(sample(department))), publish=True)
    assert (again.unchanged, again.updated) == (3, 0)  # the signed commitment the services added is no change


def test_a_bad_signoff_count_is_reported_with_its_row_and_column(admin, department):
    workbook = make_workbook(sample(department))
    width = len([cell.value for cell in workbook["事项"][1]])
    workbook["事项"].cell(row=1, column=width + 1, value="会签人数")
    workbook["事项"].cell(row=2, column=width + 1, value=0)
    report = catalogue_import(actor=admin, sheets=sheets_of(workbook))
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("事项", 2, "会签人数")]
    assert not MatterVersion.objects.exists()


# --- the admin and the guide ----------------------------------------------------------------------


def test_the_admin_edits_signoffs_and_the_deadline(client: Client, admin, department):
    from onewindow.catalogue.tests.test_admin import VERSIONS, materials, version_post

    client.force_login(admin)
    data = version_post(
        code="330100-ZJ-009", department=str(department.pk), required_signoffs="3", rectification_days="0"
    )
    response = client.post(f"{VERSIONS}add/", data | materials([]))
    assert response.status_code == 200
    assert "整改期限应为 1 至 120 个工作日" in response.content.decode()
    data |= {"rectification_days": "30"}
    assert client.post(f"{VERSIONS}add/", data | materials([])).status_code == 302
    version = MatterVersion.objects.get(matter__code="330100-ZJ-009")
    assert (version.required_signoffs, version.rectification_days) == (3, 30)


def test_the_guide_tells_the_commitment_terms_and_the_countersign(client: Client, admin, department):
    content = replace(CONTENT, commitment_allowed=True, required_signoffs=2, rectification_days=15)
    version = create(admin, department, content=content, materials=[LICENCE])
    services.matter_version_publish(actor=admin, version=version)
    html = client.get(f"/catalogue/matters/{version.matter.code}/").content.decode()
    assert "告知承诺书" in html and "15 个工作日内整改" in html
    assert "部门会签（2 人签署）" in html
