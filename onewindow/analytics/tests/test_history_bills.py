"""一单收费 in the written history: a bundle whose stage 1 charges Weihai's seven fees and waits for payment,
stage 2 the service fees. The bills are written as the fees app writes them: opened with the stage, each
department's check sealed (the seals verify), issued, paid through the simulated provider's signed callback with
SM2-signed receipts, and the stage held until paid; the fees' own pages read them and the chains verify."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from onewindow import clock
from onewindow.analytics.history import world as history_world
from onewindow.analytics.history.write import history_write
from onewindow.analytics.tests.history_district import staff_district
from onewindow.cases.domain import remaining_working_days, warning_level
from onewindow.cases.models import Case, Task, TimelineEntry
from onewindow.cases.tests.factories import reviewer_for
from onewindow.fees.models import Bill, BillStatus, FeeCheckStatus, Payment, PaymentStatus
from onewindow.fees.payments import provider_get
from onewindow.fees.payments.simulated import SIGNATURE_HEADER, signature
from onewindow.fees.sealing import line_seal_valid
from onewindow.fees.tests.bills import bill_world
from onewindow.workdays.selectors import work_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def written(module_db):
    world = bill_world(position=1, waits_for_payment=True)
    clerk = staff_district(world.stage.lead_department.parent, world.bundle_version, [])
    for department in world.departments.values():
        reviewer_for(department)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(history_world, "INVESTMENT_WEIGHT", 4.0)  # the bundle is the only thing applied for
        history_write(150, seed=6)
    return world, clerk


def test_each_bill_is_sealed_issued_and_paid_as_the_fees_app_does_it(written) -> None:
    bills = Bill.objects.prefetch_related("checks", "lines__fee_check__department", "receipts", "payments")
    paid = [bill for bill in bills if bill.status == BillStatus.PAID]
    assert len(paid) >= 10 and {bill.stage_position for bill in paid} == {1, 2}
    for bill in paid:
        assert all(check.status == FeeCheckStatus.SEALED and check.sealed_by_id for check in bill.checks.all())
        assert all(line_seal_valid(line) for line in bill.lines.all())
        assert bill.issued_at <= bill.paid_at and bill.payment_code and bill.due_total > 0
        (payment,) = bill.payments.all()
        assert payment.status == PaymentStatus.SUCCEEDED and payment.amount == bill.due_total
        callback = payment.callbacks.get()
        body = callback.body.encode()
        note = provider_get("simulated").callback_parse(body, {SIGNATURE_HEADER: signature(body)})
        assert note.order_number == payment.order_number and note.amount == bill.due_total
        assert sum((receipt.amount for receipt in bill.receipts.all()), Decimal(0)) == bill.due_total
        lines = bill.lines.all()
        assert bill.due_total == sum((line.due_amount for line in lines), Decimal(0))


def test_the_bills_still_in_their_checks_carry_the_warning_level_of_their_clock(written) -> None:
    today, calendar = clock.today(), work_calendar()
    checking = Bill.objects.filter(status=BillStatus.CHECKING)
    assert checking.exists()
    for bill in checking:
        expected = warning_level(remaining_working_days(today, bill.due_on, calendar), bill.limit_days)
        assert bill.warning_level == str(expected)


def test_the_stage_waits_for_its_bill_and_goes_on_once_paid(written) -> None:
    held = 0
    for bill in Bill.objects.filter(stage_position=1).select_related("case"):
        next_stage = Task.objects.filter(case=bill.case, stage=2).order_by("started_on").first()
        if next_stage is not None:
            assert bill.status == BillStatus.PAID and next_stage.started_on >= bill.paid_at.date()
        if TimelineEntry.objects.filter(case=bill.case, action="stage_held").exists():
            held += 1
            assert bill.status != BillStatus.PAID or next_stage is not None
    assert held > 0


def test_the_fees_pages_read_the_history_bills_and_the_chains_verify(written) -> None:
    _world, clerk = written
    bill = Bill.objects.filter(status=BillStatus.PAID).order_by("pk").first()
    assert bill is not None
    client = Client()
    client.force_login(clerk)
    html = client.get(f"/fees/bills/{bill.pk}/receipts/").content.decode()
    assert html.count("签名有效") == bill.receipts.count() > 0 and "签名无效" not in html
    case = Case.objects.get(pk=bill.case_id)
    actions = list(case.timeline.order_by("pk").values_list("action", flat=True))
    assert actions.index("fee_bill_opened") < actions.index("fee_bill_issued") < actions.index("fee_bill_paid")
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "未发现断链" in out.getvalue()
    assert Payment.objects.count() == Bill.objects.filter(status=BillStatus.PAID).count()
