"""The permission matrix of the fees pages and endpoints. All are public (the fee catalogue and an estimate
hold no personal data and store nothing): every user kind gets the same answer, including anonymous
visitors and a browser session posting without a CSRF token (the estimate changes nothing)."""

from __future__ import annotations

import pytest
from django.test import Client

from onewindow.fees.tests.factories import fee_world
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import RegionFactory, UserFactory, staff
from onewindow.web.tests.matrix import Matrix

pytestmark = pytest.mark.django_db
EVERYONE = ("anonymous", "applicant", "clerk", "reviewer", "admin")


@pytest.fixture
def world():
    w = fee_world()
    region = RegionFactory()
    users = {
        "anonymous": None,
        "applicant": UserFactory(),
        "clerk": staff(Role.CLERK, region),
        "reviewer": staff(Role.REVIEWER, w.departments["9901-ZJ"]),
        "admin": staff(Role.SYSTEM_ADMIN, region),
    }
    return w, users


def check(users, label, expected, call):
    client = Client(enforce_csrf_checks=True)
    checks = Matrix(client, users, label)
    for who, status in expected.items():
        with checks.as_user(who):
            response = call(client)
            assert response.status_code == status, (response.status_code, response.content[:300])
    checks.verify()


def test_the_catalogue_page_and_endpoint_are_public(world):
    _w, users = world
    check(users, "GET /fees/", dict.fromkeys(EVERYONE, 200), lambda c: c.get("/fees/"))
    check(users, "GET /api/fees/catalogue", dict.fromkeys(EVERYONE, 200), lambda c: c.get("/api/fees/catalogue"))


def test_the_estimate_page_and_endpoint_are_public(world):
    w, users = world
    query = f"?stage={w.weihai_stage.pk}&floor_area=100&air_defence_area_unbuilt=0&contract_value=1000000"
    check(users, "GET /fees/estimate/", dict.fromkeys(EVERYONE, 200), lambda c: c.get("/fees/estimate/" + query))
    body = {"stage_id": w.weihai_stage.pk, "floor_area": 1, "air_defence_area_unbuilt": 0, "contract_value": 1}
    check(
        users,
        "POST /api/fees/estimate",
        dict.fromkeys(EVERYONE, 200),
        lambda c: c.post("/api/fees/estimate", body, content_type="application/json"),
    )


def test_the_admin_lists_are_read_only_for_the_system_admin(world):
    """Only the three administrators may log in to the admin (a supervisor is sent to the login)."""
    _w, users = world
    users = {**users, "supervisor": staff(Role.SUPERVISOR, RegionFactory())}
    for path in ("/admin/fees/feeitem/", "/admin/fees/feepolicy/", "/admin/fees/feeattachment/"):
        expected = {"anonymous": 302, "applicant": 302, "clerk": 302, "admin": 200, "supervisor": 302}
        check(users, f"GET {path}", expected, lambda c, path=path: c.get(path))
    check(users, "add fee item", {"admin": 403}, lambda c: c.get("/admin/fees/feeitem/add/"))
