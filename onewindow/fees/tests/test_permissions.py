"""The permission matrix of the fees pages and endpoints. The policy pages (`/fees/policies/`) are the system
admin's. All others are public (the fee catalogue and an estimate
hold no personal data and store nothing): every user kind gets the same answer, including anonymous
visitors and a browser session posting without a CSRF token (the estimate changes nothing)."""

from __future__ import annotations

import pytest
from django.test import Client

from onewindow.fees.models import FeePolicy
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


def test_the_policy_page_and_its_posts_are_the_system_admins(world):
    """Staff pages: anonymous visitors go to the login; everyone but the system admin gets 403."""
    _w, users = world
    users = {**users, "supervisor": staff(Role.SUPERVISOR, RegionFactory())}
    policy = FeePolicy.objects.get(document_number="云川发改价格〔2024〕9号")
    refused = {"anonymous": 302, "applicant": 403, "clerk": 403, "reviewer": 403, "supervisor": 403}
    check(users, "GET /fees/policies/", refused | {"admin": 200}, lambda c: c.get("/fees/policies/"))
    end = {"valid_to": "2026-06-30", "reason": "到期"}
    check(
        users,
        "POST /fees/policies/<id>/end/",
        refused | {"admin": 302},
        lambda c: c.post(f"/fees/policies/{policy.pk}/end/", end | {"csrfmiddlewaretoken": _csrf(c)}),
    )
    revision = {"from_date": "2026-07-01", "kind": "reduce", "title": "修订", "factor": "0.2", "reason": "降低"}
    revision |= {"items": [item.pk for item in policy.items.all()]}
    check(
        users,
        "POST /fees/policies/<id>/revise/",
        refused | {"admin": 302},
        lambda c: c.post(f"/fees/policies/{policy.pk}/revise/", revision | {"csrfmiddlewaretoken": _csrf(c)}),
    )
    check(users, "GET /fees/policies/<id>/end/", {"admin": 405}, lambda c: c.get(f"/fees/policies/{policy.pk}/end/"))


def test_the_policy_posts_need_a_csrf_token(world):
    _w, users = world
    policy = FeePolicy.objects.get(document_number="云川发改价格〔2024〕9号")
    end = {"valid_to": "2026-06-30", "reason": "到期"}
    check(users, "POST end without token", {"admin": 403}, lambda c: c.post(f"/fees/policies/{policy.pk}/end/", end))


def _csrf(client: Client) -> str:
    client.get("/fees/")
    cookie = client.cookies.get("csrftoken")
    return cookie.value if cookie else ""
