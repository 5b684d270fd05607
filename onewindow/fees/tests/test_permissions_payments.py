"""The permission matrix of a bill's money: the pay page and the simulated cashier (the payer and their
agent), the 网上回执 (everyone who sees the bill), the refunds page (staff; refunds by the collecting
department's head), and the API (bearer tokens; the callback endpoint is public and verified by its
signature, CSRF-exempt). Who may not see a bill gets 404, like a missing one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from onewindow.agency.tests.factories import authorisation
from onewindow.api.auth import token_issue
from onewindow.cases.tests.factories import applicant_with_user
from onewindow.fees.models import BillLine, Payment
from onewindow.fees.payments import simulated
from onewindow.fees.services import payment_start
from onewindow.fees.tests.bills import bill_world
from onewindow.fees.tests.paying import Issued, issued_bill, pay
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import RegionFactory, UserFactory, staff
from onewindow.web.tests.matrix import Matrix

pytestmark = pytest.mark.django_db


@dataclass
class World:
    unpaid: Issued
    paid: Issued
    line: BillLine  # a charged line of the paid bill
    order: Payment  # a pending order of the unpaid bill, started by its payer
    users: dict[str, Any]


@pytest.fixture
def world() -> World:
    base = bill_world()
    applicant = applicant_with_user()
    unpaid = issued_bill(base, applicant=applicant)
    paid = issued_bill(base, applicant=applicant)
    pay(paid)
    line = paid.bill.lines.filter(due_amount__gt=0).select_related("fee_check__department").order_by("item_code")[0]
    other_department = next(d for d in base.departments.values() if d.pk != line.fee_check.department_id)
    agent = staff(Role.AGENT, RegionFactory())
    authorisation(agent=agent, applicant=applicant)
    users = {
        "anonymous": None,
        "payer": applicant.user,
        "agent": agent,
        "other_agent": staff(Role.AGENT, RegionFactory()),
        "stranger": UserFactory(),
        "clerk": staff(Role.CLERK, unpaid.case.region),
        "head": staff(Role.DEPARTMENT_HEAD, line.fee_check.department),
        "other_head": staff(Role.DEPARTMENT_HEAD, other_department),
        "outsider": staff(Role.DEPARTMENT_HEAD, RegionFactory()),
    }
    order = payment_start(actor=applicant.user, bill_id=unpaid.bill.pk).payment
    return World(unpaid=unpaid, paid=paid, line=line, order=order, users=users)


def check(users, label, expected, call, *, bearer: bool = False):
    client = Client(enforce_csrf_checks=True)
    checks = Matrix(client, users, label)
    for who, status in expected.items():
        with checks.as_user(who):
            if bearer:
                client.logout()
            user = users[who]
            headers = {"Authorization": f"Bearer {token_issue(user).token}"} if bearer and user else {}
            response = call(client, headers)
            assert response.status_code == status, (response.status_code, response.content[:300])
    checks.verify()


def csrf(client: Client) -> str:
    client.get("/fees/")
    cookie = client.cookies.get("csrftoken")
    return cookie.value if cookie else ""


NOT_SEEING = {"stranger": 404, "other_agent": 404, "outsider": 404}


def test_the_pay_page_is_the_payers_their_agents_and_the_windows_of_the_region(world: World) -> None:
    url = f"/fees/bills/{world.unpaid.bill.pk}/pay/"
    seeing_staff = {"clerk": 200, "head": 403, "other_head": 403}  # the clerk takes it on the window's POS
    expected = {"anonymous": 302, "payer": 200, "agent": 200, **seeing_staff, **NOT_SEEING}
    check(world.users, f"GET {url}", expected, lambda c, h: c.get(url))
    posted = {**expected, "payer": 302, "agent": 302, "clerk": 302}
    check(world.users, f"POST {url}", posted, lambda c, h: c.post(url, {"csrfmiddlewaretoken": csrf(c)}))
    check(world.users, f"POST {url} without token", {"payer": 403}, lambda c, h: c.post(url))


def test_the_simulated_cashier_is_the_payers_their_agents_and_the_windows_of_the_region(world: World) -> None:
    url = f"/fees/pay/simulated/{world.order.order_number}/"
    expected = {"anonymous": 302, "payer": 200, "agent": 200, "clerk": 200, "head": 404, **NOT_SEEING}
    check(world.users, f"GET {url}", expected, lambda c, h: c.get(url))
    data = {"outcome": "succeeded"}
    posted = {**expected, "payer": 302, "agent": 302, "clerk": 302}
    check(world.users, f"POST {url}", posted, lambda c, h: c.post(url, data | {"csrfmiddlewaretoken": csrf(c)}))


def test_the_receipts_page_is_everyone_who_sees_the_bill(world: World) -> None:
    url = f"/fees/bills/{world.paid.bill.pk}/receipts/"
    seeing = dict.fromkeys(("payer", "agent", "clerk", "head", "other_head"), 200)
    check(world.users, f"GET {url}", {"anonymous": 302, **seeing, **NOT_SEEING}, lambda c, h: c.get(url))
    receipt = world.paid.bill.receipts.first()
    pdf = f"/fees/bills/{world.paid.bill.pk}/receipts/{receipt.pk}.pdf"
    check(
        world.users, f"GET {pdf}", {"anonymous": 302, "payer": 200, "clerk": 200, **NOT_SEEING}, lambda c, h: c.get(pdf)
    )


def test_the_refunds_page_is_staffs_and_only_the_collecting_head_refunds(world: World) -> None:
    url = f"/fees/bills/{world.paid.bill.pk}/refunds/"
    seeing = {"payer": 403, "agent": 403, "clerk": 200, "head": 200, "other_head": 200}
    check(world.users, f"GET {url}", {"anonymous": 302, **seeing, **NOT_SEEING}, lambda c, h: c.get(url))
    data = {"line": world.line.pk, "amount": "1.00", "reason": "多缴退还"}
    posted = {"anonymous": 302, "payer": 403, "agent": 403, "clerk": 403, "head": 302, "other_head": 403, **NOT_SEEING}
    check(world.users, f"POST {url}", posted, lambda c, h: c.post(url, data | {"csrfmiddlewaretoken": csrf(c)}))


def test_the_api_with_bearer_tokens(world: World) -> None:
    users = world.users
    start = f"/api/fees/bills/{world.unpaid.bill.pk}/payments"
    expected = {"anonymous": 401, "payer": 201, "agent": 201, "clerk": 201, "head": 403, **NOT_SEEING}
    check(
        users,
        f"POST {start}",
        expected,
        lambda c, h: c.post(start, {}, content_type="application/json", headers=h),
        bearer=True,
    )
    receipts = f"/api/fees/bills/{world.paid.bill.pk}/receipts"
    seeing = dict.fromkeys(("payer", "agent", "clerk", "head", "other_head"), 200)
    check(
        users,
        f"GET {receipts}",
        {"anonymous": 401, **seeing, **NOT_SEEING},
        lambda c, h: c.get(receipts, headers=h),
        bearer=True,
    )
    refund = f"/api/fees/lines/{world.line.pk}/refunds"
    body = {"amount": "1.00", "reason": "多缴退还"}
    refunding = {
        "anonymous": 401,
        "payer": 403,
        "agent": 403,
        "clerk": 403,
        "head": 201,
        "other_head": 403,
        **NOT_SEEING,
    }
    check(
        users,
        f"POST {refund}",
        refunding,
        lambda c, h: c.post(refund, body, content_type="application/json", headers=h),
        bearer=True,
    )


def test_a_browser_session_needs_the_csrf_token_on_the_api(world: World) -> None:
    start = f"/api/fees/bills/{world.unpaid.bill.pk}/payments"
    check(
        world.users,
        f"POST {start} session",
        {"payer": 403},
        lambda c, h: c.post(start, {}, content_type="application/json"),
    )


def test_the_callback_endpoint_is_public_and_verified_by_its_signature(world: World) -> None:
    url = "/api/fees/callbacks/simulated"
    signed = simulated.callback_sign(order_number=world.order.order_number, amount=world.order.amount)
    every = dict.fromkeys(world.users, 200)

    def good(c, h):
        return c.post(url, signed.body, content_type="application/json", headers=signed.headers)

    check(world.users, f"POST {url}", every, good)
    forged = {simulated.SIGNATURE_HEADER: "0" * 64}
    check(
        world.users,
        f"POST {url} forged",
        dict.fromkeys(world.users, 400),
        lambda c, h: c.post(url, signed.body, content_type="application/json", headers=forged),
    )
    check(
        world.users,
        "POST unknown provider",
        {"anonymous": 404},
        lambda c, h: c.post("/api/fees/callbacks/nobank", b"{}", content_type="application/json"),
    )
