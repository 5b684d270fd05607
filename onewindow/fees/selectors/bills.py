"""Reads of bills."""

from __future__ import annotations

from django.utils.translation import gettext as _

from onewindow.cases.models import Case
from onewindow.fees.models import Bill, BillStatus


def stage_waits_for_payment(case: Case, stage: int) -> str:
    """Why a case's stage may not end yet because of its bill ("" when it may): a stage gate of cases."""
    bill = Bill.objects.filter(case=case, stage_position=stage, waits_for_payment=True).first()
    if bill is None or bill.status in (BillStatus.PAID, BillStatus.REFUNDED, BillStatus.CANCELLED):
        return ""
    return _("第%(stage)s阶段待缴费：缴款通知书%(number)s缴清后进入下一步。") % {"stage": stage, "number": bill.number}
