"""A case withdrawn (撤回) or refused (不予受理) before its bills are paid: they are void (作废). A paid bill
stays paid; its money goes back through refunds. Runs inside the transaction that ended the case, under its
lock (`cases.services.endings`). The fees' writers lock a bill, then its case: here the case is held, so a bill
another writer holds (a payment arriving at this moment) is skipped, not waited for (no deadlock); that payment
then pays a bill of an ended case, and the department refunds it."""

from __future__ import annotations

from onewindow.cases.domain import CaseStatus
from onewindow.cases.services.endings import CaseEnding
from onewindow.fees.models import Bill, BillStatus
from onewindow.fees.services.opening import bill_audit

VOID_ON = frozenset({CaseStatus.WITHDRAWN, CaseStatus.REFUSED})
UNPAID = (BillStatus.CHECKING, BillStatus.ISSUED)


def bills_cancel_on_case_end(ending: CaseEnding) -> None:
    if ending.status not in VOID_ON:
        return
    for bill in (
        Bill.objects.select_for_update(skip_locked=True).filter(case=ending.case, status__in=UNPAID).order_by("pk")
    ):
        was = bill.status
        bill.status = BillStatus.CANCELLED
        bill.save(update_fields=["status"])
        bill_audit(
            bill,
            "fees.bill_cancelled",
            actor=ending.actor,
            organisation=bill.region,
            changes={"number": bill.number, "was": was, "case_status": str(ending.status)},
        )
