"""The permission matrix of the reform pages, their exports and the API: leaders, supervisors and system admins of
the reform's region read it; every other role is refused (403), anonymous visitors go to the login (401 on the
API); another district's leader sees an empty list and a 404 for the reform, like a missing one. Recording (the
page's form and `POST /api/analytics/reforms`) is for system admins only: other analysts 403, another district's
system admin 404 for our region."""

from __future__ import annotations

import pytest
from django.test import Client

from onewindow.analytics.models import Reform
from onewindow.analytics.reforms.services import ReformInput, reform_record
from onewindow.analytics.tests.test_permissions_figures import ALLOWED, REFUSED, check
from onewindow.analytics.tests.test_permissions_figures import world as figures_world
from onewindow.api.auth import token_issue
from onewindow.cases.tests.factories import published_matter
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import staff
from onewindow.web.tests.matrix import Matrix

pytestmark = pytest.mark.django_db
world = figures_world


@pytest.fixture
def reform(world) -> Reform:
    home, dept, *_rest, users = world
    matter = published_matter(department=dept)
    data = ReformInput(
        title="减材料改革",
        document_number="文号1",
        effective_on="2026-04-01",
        organisation_id=home.pk,
        matter_ids=[matter.matter_id],
    )
    return reform_record(actor=users["admin"], data=data)


def paths(reform: Reform) -> list[str]:
    pk = reform.pk
    return [
        f"/analytics/reforms/{pk}/",
        f"/analytics/reforms/{pk}/export/",
        f"/analytics/reforms/{pk}/cases/",
        f"/analytics/reforms/{pk}/cases/export/?side=after",
        f"/api/analytics/reforms/{pk}",
        f"/api/analytics/reforms/{pk}/cases",
    ]


@pytest.mark.parametrize("path", ["/analytics/reforms/", "/analytics/reforms/export/", "/api/analytics/reforms"])
def test_only_analysts_read_the_list(world, reform, path):
    *_orgs, users = world
    anonymous = 401 if path.startswith("/api/") else 302
    expected = {"anonymous": anonymous} | dict.fromkeys(REFUSED, 403) | dict.fromkeys(ALLOWED, 200)
    check(users, f"GET {path}", expected, path)


def test_another_districts_leader_lists_none_of_ours(world, reform):
    *_orgs, users = world
    client = Client()
    for who, count in [("leader", 1), ("other_leader", 0)]:
        client.force_login(users[who])
        assert len(client.get("/api/analytics/reforms").json()["reforms"]) == count, who


@pytest.mark.parametrize("index", range(6))
def test_a_reform_is_read_by_its_regions_analysts_and_not_found_elsewhere(world, reform, index):
    *_orgs, users = world
    path = paths(reform)[index]
    anonymous = 401 if path.startswith("/api/") else 302
    expected = {"anonymous": anonymous, "other_leader": 404} | dict.fromkeys(REFUSED, 403)
    expected |= dict.fromkeys(("leader", "supervisor", "admin"), 200)
    check(users, f"GET {path}", expected, path)
    missing = path.replace(f"/{reform.pk}", "/999999")
    check(users, f"GET {missing}", {"leader": 404, "admin": 404}, missing)


def test_a_foreign_filter_or_subject_is_not_found(world, reform):
    _home, _dept, other, other_dept, users = world
    base = f"/analytics/reforms/{reform.pk}/"
    for query in (f"region={other.pk}", f"department={other_dept.pk}"):
        check(users, f"GET {base}?{query}", {"leader": 404}, f"{base}?{query}")
    cases = f"{base}cases/?subject=bundle-999999"
    check(users, f"GET {cases}", {"leader": 404}, cases)


def _form(home_pk: int, matter_pk: int, number: str) -> dict[str, object]:
    return {
        "title": "新改革",
        "document_number": number,
        "effective_on": "2026-04-01",
        "organisation": home_pk,
        "matters": [matter_pk],
    }


def test_only_a_system_admin_records_from_the_page(world, reform, client):
    home, _dept, other, _other_dept, users = world
    users = dict(users) | {"other_admin": staff(Role.SYSTEM_ADMIN, other)}
    matter = reform.matters.get()
    expected = {"anonymous": 302, "other_admin": 404, "admin": 302} | dict.fromkeys(REFUSED, 403)
    expected |= dict.fromkeys(("leader", "supervisor", "other_leader"), 403)
    checks = Matrix(client, users, "POST /analytics/reforms/")
    for who, status in expected.items():
        with checks.as_user(who):
            response = client.post("/analytics/reforms/", _form(home.pk, matter.pk, f"文号-{who}"))
            assert response.status_code == status
            assert Reform.objects.filter(document_number=f"文号-{who}").exists() == (who == "admin")
    checks.verify()


def test_only_a_system_admin_records_through_the_api(world, reform):
    home, _dept, other, _other_dept, users = world
    users = dict(users) | {"other_admin": staff(Role.SYSTEM_ADMIN, other)}
    matter = reform.matters.get()
    expected = {"anonymous": 401, "other_admin": 404, "admin": 201} | dict.fromkeys(REFUSED, 403)
    expected |= dict.fromkeys(("leader", "supervisor", "other_leader"), 403)
    client = Client()
    checks = Matrix(client, users, "POST /api/analytics/reforms")
    for who, status in expected.items():
        with checks.as_user(who):
            user = users[who]
            headers = {"Authorization": f"Bearer {token_issue(user).token}"} if user is not None else {}
            client.cookies.clear()  # the bearer token alone
            body = _form(home.pk, matter.pk, f"文号-{who}")
            response = client.post("/api/analytics/reforms", body, content_type="application/json", headers=headers)
            assert response.status_code == status, response.content
    checks.verify()
