"""The payment API as an app uses it: start with a bearer token, the provider's callback (public), the
receipts with their signatures' checks; a wrong amount is refused with its code."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from onewindow.api.auth import token_issue
from onewindow.fees.models import Bill, BillStatus, PaymentCallback
from onewindow.fees.payments import simulated
from onewindow.fees.tests.paying import issued_bill

pytestmark = pytest.mark.django_db
CALLBACK = "/api/fees/callbacks/simulated"


def test_an_app_pays_a_bill_and_reads_its_receipts() -> None:
    issued = issued_bill()
    client = Client(enforce_csrf_checks=True)
    auth = {"Authorization": f"Bearer {token_issue(issued.payer).token}"}

    started = client.post(
        f"/api/fees/bills/{issued.bill.pk}/payments", {}, content_type="application/json", headers=auth
    )
    assert started.status_code == 201, started.content
    order = started.json()
    assert Decimal(order["amount"]) == issued.bill.due_total and order["pay_url"].endswith("/")

    wrong = simulated.callback_sign(order_number=order["order_number"], amount=Decimal(order["amount"]) + 1)
    refused = client.post(CALLBACK, wrong.body, content_type="application/json", headers=wrong.headers)
    assert refused.status_code == 422 and refused.json()["code"] == "fees_callback_amount_mismatch"

    signed = simulated.callback_sign(order_number=order["order_number"], amount=order["amount"])
    for _ in range(2):
        answered = client.post(CALLBACK, signed.body, content_type="application/json", headers=signed.headers)
        assert answered.status_code == 200 and answered.json()["code"] == "SUCCESS"
    assert Bill.objects.get(pk=issued.bill.pk).status == BillStatus.PAID
    assert PaymentCallback.objects.filter(signature_valid=True).count() == 2  # the wrong amount and the success

    receipts = client.get(f"/api/fees/bills/{issued.bill.pk}/receipts", headers=auth).json()
    assert receipts["status"] == "paid" and receipts["receipts"]
    assert all(receipt["signature_valid"] for receipt in receipts["receipts"])
    assert sum(Decimal(r["amount"]) for r in receipts["receipts"]) == issued.bill.due_total


def test_a_bad_signature_answers_400_with_its_code() -> None:
    signed = simulated.callback_sign(order_number="X", amount="1.00")
    response = Client().post(
        CALLBACK, signed.body, content_type="application/json", headers={"X-Simulated-Signature": "bad"}
    )
    assert response.status_code == 400 and response.json()["code"] == "fees_callback_signature_invalid"
