"""The permission matrix of the fee reports. The reconciliation: a collecting department's staff (their own
accounts), the finance bureau, leaders, supervisors and the system admin (the subtree); a department out of
scope is 404; anyone else 403 (anonymous: the login, or 401 from the API). The public savings totals:
everyone. The savings list with enterprise names: the finance bureau, leaders and the system admin."""

from __future__ import annotations

import pytest
from django.test import Client

from onewindow.api.auth import token_issue
from onewindow.fees.tests.reporting import report_world
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation
from onewindow.orgs.tests.factories import DepartmentFactory, RegionFactory, UserFactory, staff
from onewindow.web.tests.matrix import Matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    rw = report_world()
    elsewhere = RegionFactory(level=Organisation.Level.DISTRICT)
    users = {
        "anonymous": None,
        "applicant": UserFactory(),
        "clerk": staff(Role.CLERK, rw.home),
        "collecting": staff(Role.REVIEWER, rw.departments["9901-ZJ"]),
        "finance": staff(Role.REVIEWER, rw.finance),
        "leader": staff(Role.LEADER, rw.home),
        "supervisor": staff(Role.SUPERVISOR, rw.home),
        "admin": staff(Role.SYSTEM_ADMIN, rw.home),
        "other_district": staff(Role.REVIEWER, DepartmentFactory(parent=elsewhere)),
    }
    return rw, users


def check(users, label, expected, call):
    client = Client(enforce_csrf_checks=True)
    checks = Matrix(client, users, label)
    for who, status in expected.items():
        with checks.as_user(who):
            response = call(client)
            assert response.status_code == status, (response.status_code, response.content[:300])
    checks.verify()


READERS = dict.fromkeys(("collecting", "finance", "leader", "supervisor", "admin", "other_district"), 200)
REFUSED = {"applicant": 403, "clerk": 403}


def test_the_reconciliation_is_for_collecting_departments_finance_leaders_supervisors_and_admins(world):
    _rw, users = world
    for path in ("/fees/reconciliation/", "/fees/reconciliation/export/"):
        expected = {"anonymous": 302, **REFUSED, **READERS}
        check(users, f"GET {path}", expected, lambda c, path=path: c.get(path))
    expected = {"anonymous": 401, **REFUSED, **READERS}
    check(users, "GET /api/fees/reconciliation", expected, lambda c: c.get("/api/fees/reconciliation"))


def test_a_department_out_of_scope_is_not_found(world):
    rw, users = world
    housing, wages = rw.departments["9901-ZJ"].pk, rw.departments["9901-RS"].pk
    expected = {"collecting": 200, "finance": 200, "leader": 200, "admin": 200, "other_district": 404}
    for path in (f"/fees/reconciliation/?department={housing}", f"/api/fees/reconciliation?department={housing}"):
        check(users, f"GET {path}", expected, lambda c, path=path: c.get(path))
    path = f"/fees/reconciliation/export/?department={wages}"
    check(users, f"GET {path}", {"collecting": 404, "finance": 200}, lambda c: c.get(path))


def test_the_savings_totals_are_public(world):
    _rw, users = world
    for path in ("/fees/savings/", "/fees/savings/export/", "/api/fees/savings"):
        check(users, f"GET {path}", dict.fromkeys(users, 200), lambda c, path=path: c.get(path))


def test_the_savings_list_is_the_finance_bureaus_leaders_and_admins(world):
    _rw, users = world
    allowed = {"finance": 200, "leader": 200, "admin": 200}
    refused = dict.fromkeys(("applicant", "clerk", "collecting", "supervisor", "other_district"), 403)
    for path in ("/fees/savings/list/", "/fees/savings/list/export/"):
        check(users, f"GET {path}", {"anonymous": 302, **refused, **allowed}, lambda c, path=path: c.get(path))
    expected = {"anonymous": 401, **refused, **allowed}
    check(users, "GET /api/fees/savings/list", expected, lambda c: c.get("/api/fees/savings/list"))


def test_an_app_client_reads_the_reconciliation_with_a_bearer_token(world):
    rw, users = world
    token = token_issue(users["finance"]).token
    client = Client(enforce_csrf_checks=True)
    response = client.get("/api/fees/reconciliation", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert rw.departments["9901-ZJ"].pk in [d["id"] for d in response.json()["departments"]]
    refused = client.get("/api/fees/savings/list", HTTP_AUTHORIZATION=f"Bearer {token_issue(users['clerk']).token}")
    assert refused.status_code == 403
