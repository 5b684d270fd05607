"""The bill's pages: the departments' work list and check page, the payment notice (page and PDF), the
payer's list; the API with a bearer token."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.test import Client

from onewindow.api.auth import token_issue
from onewindow.fees.models import BillLine, BillStatus, FeeCheckStatus
from onewindow.fees.services import fee_check_seal
from onewindow.fees.tests.bills import bill_world, case_with_bill
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import staff

pytestmark = pytest.mark.django_db


def issued_bill():
    case, bill = case_with_bill(bill_world())
    for check in bill.checks.select_related("department"):
        fee_check_seal(actor=staff(Role.REVIEWER, check.department), check_id=check.pk)
    bill.refresh_from_db()
    assert bill.status == BillStatus.ISSUED
    return case, bill


def test_a_reviewer_sees_the_check_in_the_work_list_corrects_and_seals_it(client: Client):
    _case, bill = case_with_bill(bill_world())
    check = bill.checks.select_related("department").first()
    client.force_login(staff(Role.REVIEWER, check.department))

    listing = client.get("/fees/checks/")
    assert listing.status_code == 200 and bill.number in listing.content.decode()
    page = client.get(f"/fees/checks/{check.pk}/")
    assert "确认并签章" in page.content.decode()

    line = check.lines.filter(due_amount__gt=0).first() or check.lines.first()
    refused = client.post(
        f"/fees/checks/{check.pk}/lines/{line.pk}/correct/", {"due_amount": "0", "reason": ""}, follow=True
    )
    assert "更正金额须说明理由" in refused.content.decode() or line.due_amount == 0
    client.post(f"/fees/checks/{check.pk}/seal/")
    check.refresh_from_db()
    assert check.status == FeeCheckStatus.SEALED


def test_the_payer_sees_the_notice_with_its_payment_code_and_verified_seals():
    case, bill = issued_bill()
    client = Client()
    client.force_login(case.applicant.user)

    mine = client.get("/fees/mine/")
    assert bill.number in mine.content.decode()
    page = client.get(f"/fees/bills/{bill.pk}/").content.decode()
    assert bill.payment_code in page and "签章有效" in page and "签章无效" not in page


def test_a_line_changed_in_the_database_after_sealing_shows_the_seal_broken():
    case, bill = issued_bill()
    line = bill.lines.filter(due_amount__gt=0).first()
    BillLine.objects.filter(pk=line.pk).update(due_amount=0)
    client = Client()
    client.force_login(case.applicant.user)

    page = client.get(f"/fees/bills/{bill.pk}/").content.decode()
    assert "签章无效" in page and "电子签章验证未通过" in page


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_notice_pdf_shows_the_payment_code(tmp_path):
    case, bill = issued_bill()
    client = Client()
    client.force_login(case.applicant.user)

    response = client.get(f"/fees/bills/{bill.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603,S607
    assert bill.payment_code in text and "缴款通知书" in text


def test_the_pdf_waits_for_the_bill_to_be_issued():
    case, bill = case_with_bill(bill_world())
    client = Client()
    client.force_login(case.applicant.user)
    assert client.get(f"/fees/bills/{bill.pk}/pdf/").status_code == 409


def test_the_api_with_a_bearer_token_seals_a_check_and_reads_the_bill():
    case, bill = case_with_bill(bill_world())
    check = bill.checks.select_related("department").first()
    reviewer = staff(Role.REVIEWER, check.department)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(reviewer).token}"}
    client = Client(enforce_csrf_checks=True)

    listed = client.get("/api/fees/checks", **headers).json()
    assert [row["id"] for row in listed] == [check.pk]
    sealed = client.post(f"/api/fees/checks/{check.pk}/seal", **headers)
    assert sealed.status_code == 200 and sealed.json()["status"] == "sealed"
    again = client.post(f"/api/fees/checks/{check.pk}/seal", **headers)
    assert again.status_code == 409 and again.json()["code"] == "fees_check_sealed"
    detail = client.get(f"/api/fees/bills/{bill.pk}", **headers).json()
    assert all(line["seal_valid"] for line in detail["lines"] if line["check_id"] == check.pk)

    payer = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(case.applicant.user).token}"}
    assert [row["number"] for row in client.get("/api/fees/mine", **payer).json()] == [bill.number]


def test_the_case_page_links_to_its_bill_for_the_applicant_and_the_region_staff():
    case, bill = case_with_bill(bill_world())
    for user in (case.applicant.user, staff(Role.CLERK, case.region)):
        client = Client()
        client.force_login(user)
        page = client.get(f"/cases/{case.pk}/")
        assert page.status_code == 200 and f"/fees/bills/{bill.pk}/" in page.content.decode()
