"""The payer's way through the pages: the bill's pay button, the simulated cashier, the 网上回执 with every
receipt's signature checked; the department head's refund form."""

from __future__ import annotations

import pytest
from django.test import Client

from onewindow.fees.models import Bill, BillStatus, Receipt
from onewindow.fees.tests.paying import issued_bill, pay
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import staff

pytestmark = pytest.mark.django_db


def test_the_payer_pays_on_the_simulated_cashier_and_sees_every_receipt() -> None:
    issued = issued_bill()
    client = Client()
    client.force_login(issued.payer)

    page = client.get(f"/fees/bills/{issued.bill.pk}/pay/")
    assert page.status_code == 200 and "去缴款" in page.content.decode()
    to_cashier = client.post(f"/fees/bills/{issued.bill.pk}/pay/")
    assert to_cashier.status_code == 302 and to_cashier.url.startswith("/fees/pay/simulated/")
    cashier = client.get(to_cashier.url).content.decode()
    assert "模拟支付成功" in cashier and "模拟支付失败" in cashier

    failed = client.post(to_cashier.url, {"outcome": "failed"})
    assert failed.url == f"/fees/bills/{issued.bill.pk}/pay/"
    assert Bill.objects.get(pk=issued.bill.pk).status == BillStatus.ISSUED
    paid = client.post(to_cashier.url, {"outcome": "succeeded"}, follow=True)

    html = paid.content.decode()
    assert Bill.objects.get(pk=issued.bill.pk).status == BillStatus.PAID
    receipts = Receipt.objects.filter(bill=issued.bill)
    assert receipts and all(receipt.number in html for receipt in receipts)
    assert html.count("签名有效") == receipts.count() and "签名无效" not in html


def test_a_receipt_changed_by_hand_shows_as_invalid() -> None:
    issued = issued_bill()
    pay(issued)
    receipt = Receipt.objects.filter(bill=issued.bill).first()
    Receipt.objects.filter(pk=receipt.pk).update(amount=receipt.amount + 1)
    client = Client()
    client.force_login(issued.payer)
    assert "签名无效" in client.get(f"/fees/bills/{issued.bill.pk}/receipts/").content.decode()


def test_the_head_refunds_on_the_refunds_page_and_too_much_is_refused_beside_the_form() -> None:
    issued = issued_bill()
    pay(issued)
    line = issued.bill.lines.filter(due_amount__gt=0).select_related("fee_check__department").first()
    client = Client()
    client.force_login(staff(Role.DEPARTMENT_HEAD, line.fee_check.department))
    url = f"/fees/bills/{issued.bill.pk}/refunds/"

    assert "退款理由" in client.get(url).content.decode()
    too_much = client.post(url, {"line": line.pk, "amount": str(line.due_amount + 1), "reason": "多退"})
    assert too_much.status_code == 422 and "可退" in too_much.content.decode()
    done = client.post(url, {"line": line.pk, "amount": "1.00", "reason": "多缴退还"})
    assert done.status_code == 302
    assert Bill.objects.get(pk=issued.bill.pk).refunded_total == 1


def test_a_receipt_downloads_as_a_pdf_for_who_sees_the_bill_only() -> None:
    issued = issued_bill()
    pay(issued)
    receipt = Receipt.objects.filter(bill=issued.bill).first()
    url = f"/fees/bills/{issued.bill.pk}/receipts/{receipt.pk}.pdf"
    client = Client()
    client.force_login(issued.payer)
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    other = issued_bill(issued.world, applicant=issued.case.applicant)
    assert client.get(f"/fees/bills/{other.bill.pk}/receipts/{receipt.pk}.pdf").status_code == 404
