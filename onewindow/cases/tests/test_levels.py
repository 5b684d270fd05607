"""市区/县乡审批一体化: a resident applies at a township window for a matter a district department
decides. The case is received at the township (its region, its number, its clerk) and reviewed by the
district department, each on their own console; nobody in another district sees it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from onewindow.cases import selectors
from onewindow.cases.models import Case
from onewindow.cases.services import intake, review
from onewindow.cases.tests import factories as f
from onewindow.errors import NotFound, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.tests.factories import staff, valid_resident_id

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@dataclass
class Levels:
    """A city with two districts; district A's township files for A's civil-affairs bureau."""

    city: Organisation
    district: Organisation
    township: Organisation
    civil_affairs: Organisation
    township_clerk: User
    reviewer: User
    supervisor: User
    city_supervisor: User
    other_clerk: User
    other_reviewer: User
    other_supervisor: User


@pytest.fixture
def levels() -> Levels:
    city = f.region(level=Organisation.Level.CITY)
    district, other_district = f.region(parent=city), f.region(parent=city, level=Organisation.Level.COUNTY)
    township = f.region(parent=district, level=Organisation.Level.STREET)
    other_township = f.region(parent=other_district, level=Organisation.Level.TOWNSHIP)
    civil_affairs = f.department(district)
    return Levels(
        city=city,
        district=district,
        township=township,
        civil_affairs=civil_affairs,
        township_clerk=f.clerk_for(township),
        reviewer=f.reviewer_for(civil_affairs),
        supervisor=staff(Role.SUPERVISOR, district),
        city_supervisor=staff(Role.SUPERVISOR, city),
        other_clerk=f.clerk_for(other_township),
        other_reviewer=f.reviewer_for(f.department(other_district)),
        other_supervisor=staff(Role.SUPERVISOR, other_district),
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def filed_at_the_township(levels: Levels) -> Case:
    version = f.published_matter(department=levels.civil_affairs, name="最低生活保障审核确认")
    return intake.case_submit_at_window(
        actor=levels.township_clerk,
        applicant=intake.WindowApplicant(kind="person", name="郑秀英", id_number=valid_resident_id()),
        matter_version=version,
        form_data=f.form_values(),
        files=f.required_files(version),
    )


def test_township_clerk_files_and_accepts_the_district_reviewer_approves_on_their_consoles(levels):
    version = f.published_matter(department=levels.civil_affairs, name="最低生活保障审核确认")
    clerk, reviewer = client_for(levels.township_clerk), client_for(levels.reviewer)
    posted = {"matter": str(version.pk), "applicant_kind": "person", "applicant_name": "郑秀英"}
    posted |= {"id_number": valid_resident_id(), "field:project_name": "低保申请", "field:floor_area": "1"}
    posted |= {f"material:{key}": upload for key, upload in f.required_files(version).items()}

    assert clerk.post("/cases/window/new/", posted).status_code == 302
    case = Case.objects.get()
    assert (case.region, case.submitted_by, case.channel) == (levels.township, levels.township_clerk, "window")
    assert case.number.startswith(f"{levels.township.code}-")
    assert case.number in clerk.get("/cases/intake/").content.decode()

    assert clerk.post(f"/cases/{case.pk}/intake/accept/").status_code == 302
    task = case.tasks.get()
    assert task.department == levels.civil_affairs
    assert case.number in reviewer.get("/cases/tasks/").content.decode()

    assert reviewer.post(f"/cases/tasks/{task.pk}/approve/", {"opinion": "经入户调查，符合条件。"}).status_code == 302
    case.refresh_from_db()
    assert case.status == "completed"
    assert case.matters.get().result == "approved"
    assert "已办结" in clerk.get(f"/cases/{case.pk}/").content.decode()
    received = clerk.get("/cases/received/").content.decode()
    assert case.number in received and "已办结" in received


def test_only_the_township_its_district_and_the_city_see_the_case_anyone_else_gets_not_found(levels):
    case = filed_at_the_township(levels)
    intake.case_accept(actor=levels.township_clerk, case=case)
    task = case.tasks.get()

    for user in (levels.township_clerk, levels.reviewer, levels.supervisor, levels.city_supervisor):
        assert selectors.case_get_for_user(user=user, case_id=case.pk) == case
        assert client_for(user).get(f"/cases/{case.pk}/").status_code == 200
    for user in (levels.other_clerk, levels.other_reviewer, levels.other_supervisor):
        assert client_for(user).get(f"/cases/{case.pk}/").status_code == 404
        assert not selectors.cases_for_staff(user).filter(pk=case.pk).exists()
    assert client_for(levels.other_reviewer).get(f"/cases/tasks/{task.pk}/").status_code == 404
    assert client_for(levels.other_reviewer).post(f"/cases/tasks/{task.pk}/approve/").status_code == 404


def test_the_lists_each_level_works_from(levels):
    case = filed_at_the_township(levels)
    assert list(selectors.intake_queue(user=levels.township_clerk)) == [case]
    assert not selectors.intake_queue(user=levels.other_clerk).exists()
    intake.case_accept(actor=levels.township_clerk, case=case)

    assert [t.case_id for t in selectors.tasks_todo(user=levels.reviewer)] == [case.pk]
    assert not selectors.tasks_todo(user=levels.other_reviewer).exists()
    assert list(selectors.cases_for_staff(levels.township_clerk)) == [case]
    assert list(selectors.cases_received(user=levels.township_clerk)) == [case]
    assert not selectors.cases_received(user=levels.other_clerk).exists()
    assert list(selectors.supervision_board(user=levels.supervisor).cases) == [case]
    assert not selectors.supervision_board(user=levels.other_supervisor).cases.exists()


def test_the_township_clerk_receives_but_does_not_decide_and_another_district_cannot_accept(levels):
    case = filed_at_the_township(levels)
    with pytest.raises(NotFound):
        intake.case_accept(actor=levels.other_clerk, case=case)
    intake.case_accept(actor=levels.township_clerk, case=case)
    task = case.tasks.get()

    with pytest.raises(PermissionDenied):
        review.task_approve(actor=levels.township_clerk, task=task)
    with pytest.raises(NotFound):
        review.task_approve(actor=levels.other_reviewer, task=task)
    task.refresh_from_db()
    assert task.status == "open"


# --- the supervision board rolls the levels up -----------------------------------------------------


def filed_by(clerk: User, department: Organisation) -> Case:
    version = f.published_matter(department=department)
    return intake.case_submit_at_window(
        actor=clerk,
        applicant=intake.WindowApplicant(kind="person", name="秦小满", id_number=valid_resident_id(sequence="456")),
        matter_version=version,
        form_data=f.form_values(),
        files=f.required_files(version),
    )


def rows_of(rollup: selectors.LevelRollup) -> list[tuple[str, bool, int]]:
    return [(row.region.code, row.is_own, row.total) for row in rollup.rows]


def test_the_city_sees_districts_with_their_townships_and_a_district_sees_its_townships(levels):
    filed_at_the_township(levels)  # received at district A's township
    filed_by(f.clerk_for(levels.district), levels.civil_affairs)  # received at district A itself
    other = filed_by(levels.other_clerk, f.department(levels.other_clerk.memberships.get().organisation.parent))
    other_district = other.region.parent

    city = selectors.supervision_by_region(user=levels.city_supervisor)
    assert rows_of(city) == [
        (levels.city.code, True, 0),
        (levels.district.code, False, 2),
        (other_district.code, False, 1),
    ]
    assert [(level.label, level.count) for level in city.by_level] == [("区", 1), ("乡镇", 1), ("街道", 1)]
    district = selectors.supervision_by_region(user=levels.supervisor)
    assert rows_of(district) == [(levels.district.code, True, 1), (levels.township.code, False, 1)]
    assert rows_of(selectors.supervision_by_region(user=levels.other_supervisor))[0] == (other_district.code, True, 0)


def test_the_city_narrows_to_a_district_and_nobody_reads_a_region_outside_their_scope(levels):
    filed_at_the_township(levels)
    narrowed = selectors.supervision_by_region(user=levels.city_supervisor, organisation=levels.district)
    assert rows_of(narrowed) == [(levels.district.code, True, 0), (levels.township.code, False, 1)]
    assert narrowed.rows[1].normal == 1 and narrowed.rows[1].red == 0
    with pytest.raises(NotFound):
        selectors.supervision_by_region(user=levels.other_supervisor, organisation=levels.district)
    with pytest.raises(PermissionDenied):
        selectors.supervision_by_region(user=levels.township_clerk)


def test_the_board_page_shows_the_roll_up_and_a_district_row_narrows_it(levels):
    filed_at_the_township(levels)
    page = client_for(levels.city_supervisor).get("/cases/supervision/").content.decode()
    assert "分级在办办件" in page and f"?organisation={levels.district.code}" in page
    narrowed = client_for(levels.city_supervisor).get(f"/cases/supervision/?organisation={levels.district.code}")
    assert levels.township.name in narrowed.content.decode()
    outside = client_for(levels.other_supervisor).get(f"/cases/supervision/?organisation={levels.district.code}")
    assert outside.status_code == 200 and levels.township.name not in outside.content.decode()


def test_the_api_gives_the_roll_up_and_refuses_a_region_outside_the_scope_in_chinese(levels):
    filed_at_the_township(levels)
    api = client_for(levels.city_supervisor)

    body = api.get("/api/cases/supervision/levels", {"organisation": levels.district.code}).json()
    assert [(row["region"]["code"], row["region"]["level"], row["is_own"]) for row in body["rows"]] == [
        (levels.district.code, "district", True),
        (levels.township.code, "street", False),
    ]
    assert body["rows"][1]["case_counts"] == {"normal": 1, "yellow": 0, "red": 0, "total": 1}
    assert body["by_level"] == [{"level": "street", "label": "街道", "count": 1}]
    outside = client_for(levels.other_supervisor).get(
        "/api/cases/supervision/levels", {"organisation": levels.district.code}
    )
    assert (outside.status_code, outside.json()["code"]) == (404, "organisation_not_in_scope")
    unknown = api.get("/api/cases/supervision/levels", {"organisation": "nowhere"})
    assert (unknown.status_code, unknown.json()["code"]) == (422, "invalid_filters")
    assert "未找到" in str(unknown.json()["errors"])


def test_the_roll_up_reads_in_a_fixed_number_of_queries_however_many_regions(levels, django_assert_num_queries):
    filed_at_the_township(levels)
    for _ in range(3):
        f.region(parent=levels.district, level=Organisation.Level.TOWNSHIP)
    supervisor = User.objects.get(pk=levels.city_supervisor.pk)  # roles not read yet
    # the memberships, the region checked within the scope, its subtree's ids, the open cases counted, the children
    with django_assert_num_queries(5):
        rollup = selectors.supervision_by_region(user=supervisor, organisation=levels.district)
    assert len(rollup.rows) == 5
