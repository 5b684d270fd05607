"""一单收费 end to end in a real browser (Debian's Chromium through Playwright), every step of the payer a page.

The enterprise applies online for the bundle on a phone (390 px) with the fee materials in the form → a clerk
accepts (the service) → one collecting department's reviewer corrects a line with a reason and seals on the
check page (an office screen), the other departments seal through the service → the bill appears under 我的缴费
with its total and payment code → the enterprise pays through the simulated cashier → the 网上回执 lists one
receipt per department and account. Each page is kept as a screenshot in test-artifacts/.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from onewindow.cases.models import Case
from onewindow.cases.services.intake import case_accept
from onewindow.cases.tests.factories import PDF_BYTES, applicant_with_user, clerk_for
from onewindow.fees.models import Bill, BillLine, BillStatus, FeeCheck
from onewindow.fees.services import fee_check_seal
from onewindow.fees.tests.bills import bill_world
from onewindow.orgs.domain import Role
from onewindow.orgs.models import User
from onewindow.orgs.tests.factories import staff
from onewindow.web.tests.browser import ARTIFACTS, PHONE, Sessions

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_test_settings"),
]

OFFICE = {"width": 1366, "height": 900}


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"fees-bill-{name}.png"), full_page=True)


def _fits_the_phone(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def _apply(page: Any, code: str) -> None:
    """The bundle's unified form with the fee materials, every required material as a PDF."""
    page.goto(f"/cases/apply/bundle/{code}/")
    page.fill("#id_f-project_name", "滨江科创园一期")
    page.fill("#id_f-floor_area", "12000")
    page.fill("#id_f-air_defence_area_unbuilt", "300")
    page.fill("#id_f-contract_value", "36000000")
    page.fill("#id_f-industry", "制造业")
    for key in ("business_licence", "drawing_1", "drawing_2", "drawing_3", "drawing_4"):
        box = page.locator(f"#id_m-{key}")
        box.set_input_files({"name": "材料.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES})
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url("**/receipt/")


def _correct_and_seal(page: Any, bill: Bill, check: FeeCheck, line: BillLine, due: Decimal) -> None:
    page.goto("/fees/checks/")
    _shot(page, "checks")
    page.get_by_role("link", name=bill.number).first.click()
    page.wait_for_url(f"**/fees/checks/{check.pk}/")
    row = page.locator("tr", has_text=line.item_name)
    row.get_by_label("应缴金额").fill(str(due))
    row.get_by_label("更正理由").fill("项目已按规定预缴部分款项")
    row.get_by_role("button", name="更正").click()
    assert "金额已更正" in page.locator(".alert-success").inner_text()
    assert "项目已按规定预缴部分款项" in page.locator("tr", has_text=line.item_name).inner_text()
    _shot(page, "check")
    page.get_by_role("button", name="确认并签章").click()
    assert "已确认并签章" in page.locator(".alert-success").inner_text()
    assert "已核定签章" in page.locator(".ow-fees-check-status").inner_text()
    page.get_by_role("link", name="返回收费核定列表").click()  # the way back to the work list
    page.wait_for_url("**/fees/checks/")


def _pay(page: Any, bill: Bill) -> None:
    page.goto("/fees/mine/")
    card = page.locator(".ow-fees-mine-bill", has_text=bill.number)
    assert "待缴款" in card.inner_text()
    assert card.locator(".ow-fees-mine-total").inner_text() == str(bill.due_total)
    assert card.locator(".ow-fees-mine-code").inner_text() == bill.payment_code
    _fits_the_phone(page)
    _shot(page, "mine")
    card.click()
    page.wait_for_url(f"**/fees/bills/{bill.pk}/")
    assert page.locator(".ow-fees-due-total").inner_text() == str(bill.due_total)
    assert page.locator(".ow-fees-payment-code").inner_text() == bill.payment_code
    assert page.locator(".ow-fees-seal-ok").count() == bill.lines.count()
    assert "项目已按规定预缴部分款项" in page.locator(".ow-fees-correction").inner_text()  # the payer sees why
    _fits_the_phone(page)
    _shot(page, "notice")
    page.get_by_role("link", name="去缴款").click()
    page.wait_for_url(f"**/fees/bills/{bill.pk}/pay/")
    _fits_the_phone(page)
    _shot(page, "pay")
    page.get_by_role("button", name="去缴款").click()
    page.wait_for_url("**/fees/pay/simulated/**")
    assert page.locator(".ow-fees-pay-amount").inner_text() == str(bill.due_total)
    _fits_the_phone(page)
    _shot(page, "cashier")
    page.get_by_role("button", name="模拟支付成功").click()
    page.wait_for_url(f"**/fees/bills/{bill.pk}/receipts/")


def _staff_pages(sessions: Sessions, bill: Bill, head: User, leader: User) -> None:
    """What the collecting department's head and the leader see once the bill is paid (screenshots only)."""
    page = sessions.page(head)
    page.goto(f"/fees/bills/{bill.pk}/")
    assert "已缴款" in page.locator(".ow-fees-bill-status").inner_text()
    _shot(page, "notice-staff")
    page.get_by_role("link", name="支付与退款").click()
    _shot(page, "refunds")
    page = sessions.page(leader)
    for path, name in (("/fees/reconciliation/", "reconciliation"), ("/fees/savings/list/", "savings-list")):
        page.goto(path)
        _shot(page, name)


def test_an_enterprise_pays_seven_departments_fees_with_one_bill(live_server: Any, browser: Any) -> None:
    world = bill_world()
    enterprise = applicant_with_user().user
    assert enterprise is not None
    phone, office = Sessions(browser, live_server.url, viewport=PHONE), Sessions(browser, live_server.url, OFFICE)

    _apply(phone.page(enterprise), world.bundle_version.bundle.code)
    case = Case.objects.get(applicant__user=enterprise)
    case_accept(actor=clerk_for(case.region), case=case)
    bill = Bill.objects.get(case=case)
    assert bill.status == BillStatus.CHECKING and bill.inputs  # the form's fee materials reached the bill

    line = bill.lines.filter(due_amount__gt=0).select_related("fee_check__department").order_by("item_code").first()
    assert line is not None
    check, due = line.fee_check, line.due_amount - Decimal("100.00")
    _correct_and_seal(office.page(staff(Role.REVIEWER, check.department)), bill, check, line, due)
    for other in bill.checks.exclude(pk=check.pk).select_related("department"):
        fee_check_seal(actor=staff(Role.REVIEWER, other.department), check_id=other.pk)
    bill.refresh_from_db()
    assert bill.status == BillStatus.ISSUED and bill.payment_code
    assert bill.lines.get(pk=line.pk).due_amount == due

    page = phone.page(enterprise)
    _pay(page, bill)
    accounts = set(bill.lines.filter(due_amount__gt=0).values_list("fee_check__department", "account_number"))
    assert "缴款成功" in page.locator(".alert-success").inner_text()
    assert page.locator(".ow-fees-receipt").count() == len(accounts) > 1
    assert page.locator(".ow-fees-receipt-ok").count() == len(accounts)
    _fits_the_phone(page)
    _shot(page, "receipts")
    page.goto("/fees/savings/")
    _fits_the_phone(page)
    _shot(page, "savings")

    home = check.department.parent
    assert home is not None
    _staff_pages(office, bill, staff(Role.DEPARTMENT_HEAD, check.department), staff(Role.LEADER, home))
    phone.close()
    office.close()
