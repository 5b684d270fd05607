"""Bills in the states the fee reports read, for the reports' tests.

The services that seal, issue, pay and refund a bill are other increments of issue 16: here the states are
written straight through the ORM (status, issue and payment times, a successful `Payment`, `Refund` rows,
the payer, region, industry, computation date). Real bills and lines come from `tests.bills`
(`bill_world()`, `case_with_bill()`): Weihai's seven fees, five collecting departments, the industrial
policy set (two subsidised, two waived lines)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from onewindow.fees.models import Bill, BillLine, BillStatus, Payment, PaymentStatus, Refund
from onewindow.fees.tests.bills import BillWorld, bill_world, case_with_bill
from onewindow.orgs.models import Applicant, Organisation, User
from onewindow.orgs.tests.factories import DepartmentFactory, UserFactory, valid_credit_code

FINANCE_CODE = "9901-CZ"  # settings.FEES_FINANCE_DEPARTMENT_CODE's default
SECOND_ACCOUNT = "3701 0000 9999 0000 002"
_numbers = itertools.count(1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """A local (Asia/Shanghai) time on `day`."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def line(bill: Bill, item_name: str) -> BillLine:
    return bill.lines.get(item_name=item_name)


def bill_issued(bill: Bill, on: dt.date, *, hour: int = 10) -> Bill:
    bill.status = BillStatus.ISSUED
    bill.issued_at = at(on, hour)
    bill.save(update_fields=["status", "issued_at"])
    return bill


def bill_paid(bill: Bill, on: dt.date, *, hour: int = 15) -> Payment:
    bill.status = BillStatus.PAID
    bill.paid_at = at(on, hour)
    bill.save(update_fields=["status", "paid_at"])
    n = next(_numbers)
    return Payment.objects.create(
        bill=bill,
        provider="simulated",
        order_number=f"PAY-{bill.pk}-{n}",
        amount=bill.due_total,
        status=PaymentStatus.SUCCEEDED,
        paid_at=bill.paid_at,
    )


def line_refunded(bill_line: BillLine, amount: Decimal, on: dt.date, *, by: User | None = None) -> Refund:
    bill = bill_line.bill
    payment = bill.payments.get(status=PaymentStatus.SUCCEEDED)
    refund = Refund.objects.create(
        bill=bill,
        line=bill_line,
        payment=payment,
        number=f"TK-{bill.pk}-{next(_numbers)}",
        amount=amount,
        reason="多缴退还",
        refunded_by=by or UserFactory(),
    )
    Refund.objects.filter(pk=refund.pk).update(refunded_at=at(on, 11))  # refunded_at is auto_now_add
    bill.refunded_total += amount
    bill.save(update_fields=["refunded_total"])
    return refund


def enterprise(name: str, body: str = "91110000600037341") -> Applicant:
    return Applicant.objects.create(kind=Applicant.Kind.ENTERPRISE, name=name, id_number=valid_credit_code(body))


def bill_set(bill: Bill, **fields: object) -> Bill:
    """Change the bill's payer, region, industry or computation date (as if opened elsewhere or earlier)."""
    for name, value in fields.items():
        setattr(bill, name, value)
    bill.save(update_fields=list(fields))
    return bill


@dataclass
class ReportWorld:
    world: BillWorld
    home: Organisation  # the bills' district
    finance: Organisation  # the finance bureau (财政局) of the home district

    @property
    def departments(self) -> dict[str, Organisation]:
        return self.world.departments

    def new_bill(self, **form: object) -> Bill:
        _case, bill = case_with_bill(self.world, **form)
        return bill


def report_world() -> ReportWorld:
    """Weihai's seven fees on a fresh bundle in a fresh district, with that district's finance bureau."""
    world = bill_world()
    home = world.departments["9901-ZJ"].parent
    assert home is not None
    finance = DepartmentFactory(code=FINANCE_CODE, name="财政局", parent=home)
    return ReportWorld(world, home, finance)
