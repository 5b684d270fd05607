"""The permission matrix of the bill's pages and endpoints: the payer, a reviewer of the collecting
department, a reviewer of another collecting department of the bill (sees, may not act), a clerk of the
case's region (sees, may not act), staff of another district (404), anonymous (login / 401)."""

from __future__ import annotations

import pytest
from django.test import Client

from onewindow.cases.tests.factories import department, region
from onewindow.fees.tests.bills import bill_world, case_with_bill
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import staff
from onewindow.web.tests.matrix import Matrix

pytestmark = pytest.mark.django_db
LOGIN = 302


@pytest.fixture
def world():
    case, bill = case_with_bill(bill_world())
    checks = list(bill.checks.select_related("department"))
    users = {
        "anonymous": None,
        "payer": case.applicant.user,
        "collector": staff(Role.REVIEWER, checks[0].department),
        "other_collector": staff(Role.REVIEWER, checks[1].department),
        "region_clerk": staff(Role.CLERK, case.region),
        "other_district": staff(Role.REVIEWER, department(region())),
    }
    return bill, checks[0], users


def check(users, label, expected, call):
    client = Client(enforce_csrf_checks=False)
    checks = Matrix(client, users, label)
    for who, status in expected.items():
        with checks.as_user(who):
            response = call(client)
            assert response.status_code == status, (response.status_code, response.content[:300])
    checks.verify()


def test_the_bill_page_and_endpoint(world):
    bill, _check, users = world
    pages = {"anonymous": LOGIN, "payer": 200, "collector": 200, "other_collector": 200, "region_clerk": 200}
    check(users, "GET /fees/bills/<id>/", pages | {"other_district": 404}, lambda c: c.get(f"/fees/bills/{bill.pk}/"))
    api = pages | {"anonymous": 401, "other_district": 404}
    check(users, "GET /api/fees/bills/<id>", api, lambda c: c.get(f"/api/fees/bills/{bill.pk}"))
    pdf = pages | {"payer": 409, "collector": 409, "other_collector": 409, "region_clerk": 409, "other_district": 404}
    check(users, "GET /fees/bills/<id>/pdf/", pdf, lambda c: c.get(f"/fees/bills/{bill.pk}/pdf/"))


def test_the_check_page_and_seal(world):
    _bill, fee_check, users = world
    pages = {"anonymous": LOGIN, "payer": 200, "collector": 200, "other_collector": 200, "region_clerk": 200}
    check(
        users,
        "GET /fees/checks/<id>/",
        pages | {"other_district": 404},
        lambda c: c.get(f"/fees/checks/{fee_check.pk}/"),
    )
    seal = {"anonymous": 401, "payer": 403, "collector": 200, "other_collector": 403, "region_clerk": 403}
    check(
        users,
        "POST /api/fees/checks/<id>/seal",
        seal | {"other_district": 404},
        lambda c: c.post(f"/api/fees/checks/{fee_check.pk}/seal"),
    )
    line = fee_check.lines.first()
    body = {"due_amount": str(line.due_amount), "reason": ""}
    check(
        users,
        "POST /api/fees/lines/<id>/correct",
        seal | {"other_district": 404},
        lambda c: c.post(f"/api/fees/lines/{line.pk}/correct", body, content_type="application/json"),
    )
    page_seal = {"anonymous": LOGIN, "payer": 403, "collector": 302, "other_collector": 403, "region_clerk": 403}
    check(
        users,
        "POST /fees/checks/<id>/seal/",
        page_seal | {"other_district": 404},
        lambda c: c.post(f"/fees/checks/{fee_check.pk}/seal/"),
    )


def test_the_lists(world):
    _bill, _check, users = world
    work = {"anonymous": LOGIN, "payer": 403, "collector": 200, "other_collector": 200, "region_clerk": 403}
    check(users, "GET /fees/checks/", work | {"other_district": 200}, lambda c: c.get("/fees/checks/"))
    api = work | {"anonymous": 401, "payer": 200, "region_clerk": 200}
    check(users, "GET /api/fees/checks", api | {"other_district": 200}, lambda c: c.get("/api/fees/checks"))
    mine = dict.fromkeys(users, 200) | {"anonymous": LOGIN}
    check(users, "GET /fees/mine/", mine, lambda c: c.get("/fees/mine/"))
    check(users, "GET /api/fees/mine", mine | {"anonymous": 401}, lambda c: c.get("/api/fees/mine"))
