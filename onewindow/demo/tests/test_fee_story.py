"""The demo's one-bill story: a year of industrial projects paying one bill per charging stage, today's paid
bill with its receipts and today's bill still being checked, all through the services at their days."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.core.management import call_command
from django.test import Client

from onewindow.audit.models import Event
from onewindow.cases.domain import CaseStatus
from onewindow.demo.fee_story import fee_story_load
from onewindow.fees.models import Bill, BillStatus, FeeCheckStatus, Receipt
from onewindow.orgs.models import User


def test_a_year_of_bills_is_paid_and_today_one_bill_is_paid_and_one_is_being_checked(loaded_with_catalogue):
    summary, _out = loaded_with_catalogue
    assert summary.key_projects["一单收费"] == Bill.objects.count() == 12 * 2 + 2 * 2

    history = Bill.objects.exclude(case__applicant__user__username__in=("wujiacheng", "linxiaowen"))
    assert {bill.status for bill in history} == {BillStatus.PAID}
    assert len({bill.opened_on.strftime("%Y-%m") for bill in history}) == 12  # one project a month
    assert {bill.case.status for bill in history} == {CaseStatus.COMPLETED}
    assert len({bill.region_id for bill in history}) == 3  # filed at the city's, 清河区's and 梅岭县's windows
    assert all(bill.paid_at.date() < bill.case.completed_at.date() for bill in history if bill.stage_position == 3)

    weihai = Bill.objects.get(case__applicant__user__username="wujiacheng", stage_position=3)
    assert weihai.status == BillStatus.PAID and weihai.lines.count() == 7 and weihai.checks.count() == 5
    corrected = weihai.lines.get(item_code="SF-NMG")
    assert corrected.correction_reason and corrected.due_amount < corrected.proposed_due_amount
    receipts = Receipt.objects.filter(bill=weihai)
    assert receipts.count() == len(
        {(line.fee_check.department_id, line.account_number) for line in weihai.lines.filter(due_amount__gt=0)}
    )

    checking = Bill.objects.get(case__applicant__user__username="linxiaowen", stage_position=3)
    assert checking.status == BillStatus.CHECKING
    assert Counter(checking.checks.values_list("status", flat=True)) == {
        FeeCheckStatus.SEALED: 2,
        FeeCheckStatus.OPEN: 3,
    }

    client = Client()
    client.force_login(User.objects.get(username="wujiacheng"))
    assert weihai.payment_code in client.get("/fees/mine/").content.decode()
    savings = Client().get("/api/fees/savings").json()  # public: what the policies saved, by month
    by_month = next(table for table in savings["tables"] if table["key"] == "savings_by_month")
    assert len(by_month["rows"]) >= 11 and Decimal(savings["year_relieved_wan"]) > 0
    assert Event.objects.filter(action="fees.bill_paid").count() == Bill.objects.filter(status=BillStatus.PAID).count()
    call_command("audit", "verify")
    assert fee_story_load(today=weihai.opened_on) == 0  # loaded once
