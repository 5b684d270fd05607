"""The permission matrix of the analysis pages, their exports and the API: leaders, supervisors and system
admins read their subtree's figures; every other role is refused (403), anonymous visitors go to the login
(401 on the API); a region or department of another district is 404 like a missing one (no existence leak)."""

from __future__ import annotations

import pytest
from django.test import Client

from onewindow.cases.tests.factories import department, region
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import UserFactory, staff
from onewindow.web.tests.matrix import Matrix

pytestmark = pytest.mark.django_db
PAGES = ["/analytics/", "/analytics/demand/", "/analytics/operations/", "/analytics/demand/export/"]
APIS = ["/api/analytics/demand", "/api/analytics/operations"]
ALLOWED = ("leader", "supervisor", "admin", "other_leader")
REFUSED = ("applicant", "clerk", "reviewer", "head", "coordinator", "project_office", "agent", "audit_admin")


@pytest.fixture
def world():
    home, other = region(), region()
    dept, other_dept = department(home), department(other)
    users = {
        "anonymous": None,
        "applicant": UserFactory(),
        "clerk": staff(Role.CLERK, home),
        "reviewer": staff(Role.REVIEWER, dept),
        "head": staff(Role.DEPARTMENT_HEAD, dept),
        "coordinator": staff(Role.LEAD_COORDINATOR, dept),
        "project_office": staff(Role.PROJECT_OFFICE, home),
        "agent": staff(Role.AGENT, home),
        "audit_admin": staff(Role.AUDIT_ADMIN, home),
        "leader": staff(Role.LEADER, home),
        "supervisor": staff(Role.SUPERVISOR, home),
        "admin": staff(Role.SYSTEM_ADMIN, home),
        "other_leader": staff(Role.LEADER, other),
    }
    return home, dept, other, other_dept, users


def check(users, label, expected, path):
    client = Client(enforce_csrf_checks=True)
    checks = Matrix(client, users, label)
    for who, status in expected.items():
        with checks.as_user(who):
            response = client.get(path)
            assert response.status_code == status, (response.status_code, response.content[:300])
    checks.verify()


@pytest.mark.parametrize("path", PAGES + APIS)
def test_only_leaders_supervisors_and_system_admins_read_the_analysis(world, path):
    *_orgs, users = world
    anonymous = 401 if path.startswith("/api/") else 302
    expected = {"anonymous": anonymous} | dict.fromkeys(REFUSED, 403) | dict.fromkeys(ALLOWED, 200)
    check(users, f"GET {path}", expected, path)


@pytest.mark.parametrize("path", PAGES + APIS)
def test_a_region_or_department_of_another_district_is_not_found(world, path):
    home, dept, other, other_dept, users = world
    for query in (f"region={other.pk}", f"department={other_dept.pk}", "region=999999"):
        check(
            users,
            f"GET {path}?{query}",
            {"leader": 404, "other_leader": 200 if "999999" not in query else 404},
            f"{path}?{query}",
        )
    check(
        users, f"GET {path}?department={dept.pk}", {"leader": 200, "other_leader": 404}, f"{path}?department={dept.pk}"
    )
    check(users, f"GET {path}?region={home.pk}", {"supervisor": 200, "admin": 200}, f"{path}?region={home.pk}")


def test_the_menu_entry_is_shown_to_the_analysts_only(world):
    *_orgs, users = world
    for who, shown in [("leader", True), ("supervisor", True), ("admin", True), ("clerk", False), ("reviewer", False)]:
        client = Client()
        client.force_login(users[who])
        page = client.get("/workdays/").content.decode()
        assert ('href="/analytics/"' in page) is shown, who
