"""The departments' fee checks (收费核定): correcting a line's amount with a reason, confirming and sealing a
check's lines with the department's e-seal; when the last check is sealed, the bill is issued (缴款通知书,
a payment code) in the same transaction.

Each write locks the bill row first (`select_for_update`), then, for the timeline, the case
(`cases.services.locking.case_lock`): bill then case, everywhere in fees. Two clerks on one check: the
second waits for the first and then finds the check sealed (`fees_check_sealed`).
Stream: `fee_bill:<id>`.
"""

from __future__ import annotations

import secrets
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow import clock
from onewindow.cases.services.locking import case_lock
from onewindow.cases.services.review import stage_release
from onewindow.cases.services.transitions import case_record
from onewindow.errors import Conflict, DomainError, InvalidFields, PermissionDenied
from onewindow.fees import domain, selectors
from onewindow.fees.models import Bill, BillLine, BillStatus, FeeCheck, FeeCheckStatus
from onewindow.fees.sealing import line_seal
from onewindow.fees.services.opening import bill_audit
from onewindow.notify.services import notify_send
from onewindow.orgs.models import User

REASON_MAX = 500
AMOUNT_MAX = Decimal("1e13")
PAYMENT_CODE_DIGITS = 20
NOTIFY_TOPIC = "fees.bill_issued"


def _refusal(actor: User, bill: Bill, missing: DomainError) -> DomainError:
    """403 for whoever may see the bill, the 404 of a missing object for anyone else."""
    if selectors.may_see_bill(actor, bill):
        return PermissionDenied(
            _("只有该执收部门的审核人员、部门负责人或牵头协调人可以核定本部门的收费"),
            code="fees_not_collecting_department",
        )
    return missing


def _require_collector(actor: User, check: FeeCheck, missing: DomainError) -> None:
    if not selectors.may_collect(actor, check):
        raise _refusal(actor, check.bill, missing)


def _lock_bill(bill_id: int) -> Bill:
    return Bill.objects.select_for_update().get(pk=bill_id)


def _require_checking(bill: Bill) -> None:
    if bill.status != BillStatus.CHECKING:
        raise Conflict(
            _("该缴款通知书已出具或已作废，不能再核定（当前状态：%(status)s）") % {"status": bill.get_status_display()},
            code="fees_bill_not_checking",
        )


# --- correcting a line ------------------------------------------------------------------------------


def _amount(value: object, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        amount = Decimal(-1)
    if not amount.is_finite() or amount < 0 or amount > AMOUNT_MAX:
        message = _("金额应为0至10万亿元之间的数字")
        raise InvalidFields(message, errors={field: message}, code="fees_amount_invalid")
    return domain.to_fen(amount)


def _reason(reason: str, needed: bool) -> str:
    text = (reason or "").strip()
    if needed and not text:
        message = _("更正金额须说明理由")
        raise InvalidFields(message, errors={"reason": message}, code="fees_reason_missing")
    if len(text) > REASON_MAX:
        message = _("理由不能超过500个字")
        raise InvalidFields(message, errors={"reason": message}, code="fees_reason_missing")
    return text


def _amounts(line: BillLine, due_amount: object, computed_amount: object | None) -> tuple[Decimal, Decimal]:
    """(computed, due): a line missing fee materials takes both from the department; others keep computed."""
    due = _amount(due_amount, "due_amount")
    if line.inputs_missing:
        computed = _amount(due if computed_amount is None else computed_amount, "computed_amount")
    else:
        computed = Decimal(line.computed_amount)
        if computed_amount is not None and _amount(computed_amount, "computed_amount") != computed:
            message = _("应收金额按收费标准计算，不能更改；只有缺少收费资料的明细可由部门填写应收金额")
            raise InvalidFields(message, errors={"computed_amount": message}, code="fees_amount_invalid")
    if due > computed:
        message = _("应缴金额不能超过应收金额（%(amount)s元）") % {"amount": computed}
        raise InvalidFields(message, errors={"due_amount": message}, code="fees_amount_invalid")
    return computed, due


@transaction.atomic
def fee_line_correct(
    *, actor: User, line_id: int, due_amount: object, reason: str = "", computed_amount: object | None = None
) -> BillLine:
    """The collecting department sets a line's due amount (a change from the computed one needs a reason).
    A line missing fee materials gets its computed amount from the department too."""
    found = BillLine.objects.select_related("fee_check__department", "bill").filter(pk=line_id).first()
    if found is None:
        raise selectors.line_not_found()
    _require_collector(actor, found.fee_check, selectors.line_not_found())
    bill = _lock_bill(found.bill_id)
    line = BillLine.objects.select_related("fee_check__department").get(pk=line_id)
    if line.sealed_at is not None or line.fee_check.status == FeeCheckStatus.SEALED:
        raise Conflict(_("该明细已签章，金额不能再更改"), code="fees_line_sealed")
    _require_checking(bill)
    computed, due = _amounts(line, due_amount, computed_amount)
    text = _reason(
        reason,
        domain.correction_reason_needed(Decimal(line.proposed_due_amount), due)
        or computed != Decimal(line.computed_amount),
    )
    old = {
        "computed": str(line.computed_amount),
        "due": str(line.due_amount),
        "subsidised": str(line.subsidised_amount),
    }
    line.computed_amount, line.due_amount, line.correction_reason = computed, due, text
    line.subsidised_amount = min(Decimal(line.subsidised_amount), computed - due)
    missing, line.inputs_missing = line.inputs_missing, []
    line.save(
        update_fields=["computed_amount", "due_amount", "subsidised_amount", "correction_reason", "inputs_missing"]
    )
    _totals(bill)
    bill.save(update_fields=["computed_total", "due_total", "subsidised_total"])
    bill_audit(
        bill,
        "fees.line_corrected",
        actor=actor,
        organisation=line.fee_check.department,
        changes={
            "line": line.pk,
            "item": line.item_code,
            "old": old,
            "new": {"computed": str(computed), "due": str(due), "subsidised": str(line.subsidised_amount)},
            "reason": text,
            "inputs_missing": missing,
        },
    )
    return line


def _totals(bill: Bill) -> None:
    lines = list(bill.lines.values_list("computed_amount", "due_amount", "subsidised_amount"))
    bill.computed_total = sum((Decimal(row[0]) for row in lines), Decimal(0))
    bill.due_total = sum((Decimal(row[1]) for row in lines), Decimal(0))
    bill.subsidised_total = sum((Decimal(row[2]) for row in lines), Decimal(0))


# --- sealing a check --------------------------------------------------------------------------------


@transaction.atomic
def fee_check_seal(*, actor: User, check_id: int) -> FeeCheck:
    """The department confirms its lines and seals each with its e-seal; the last seal issues the bill."""
    found = FeeCheck.objects.select_related("department", "bill").filter(pk=check_id).first()
    if found is None:
        raise selectors.check_not_found()
    _require_collector(actor, found, selectors.check_not_found())
    bill = _lock_bill(found.bill_id)
    check = FeeCheck.objects.select_related("department").get(pk=check_id)
    if check.status == FeeCheckStatus.SEALED:
        raise Conflict(_("该收费核定已签章，不能重复签章"), code="fees_check_sealed")
    _require_checking(bill)
    lines = list(check.lines.select_related("bill").order_by("item_code"))
    missing = [line.item_name for line in lines if line.inputs_missing]
    if missing:
        raise InvalidFields(
            _("以下收费项目缺少收费资料，请先填写金额：%(items)s") % {"items": "、".join(missing)},
            errors={"lines": "、".join(missing)},
            code="fees_line_inputs_missing",
        )
    now = clock.now()
    for line in lines:
        line.fee_check = check
        line_seal(line)
        line.sealed_at = now
    BillLine.objects.bulk_update(lines, ["seal_signature", "seal_certificate", "sealed_at"])
    check.status, check.sealed_by, check.sealed_at = FeeCheckStatus.SEALED, actor, now
    check.save(update_fields=["status", "sealed_by", "sealed_at"])
    bill_audit(
        bill,
        "fees.check_sealed",
        actor=actor,
        organisation=check.department,
        changes=check_sealed(check, lines),
    )
    if not bill.checks.exclude(status=FeeCheckStatus.SEALED).exists():
        _bill_issue(bill, actor)
    return check


def check_sealed(check: FeeCheck, lines: list[BillLine]) -> dict[str, object]:
    """The changes of `fees.check_sealed` (its lines by item code)."""
    return {
        "check": check.pk,
        "department": check.department.code,
        "lines": [{"item": line.item_code, "due": str(line.due_amount)} for line in lines],
    }


def payment_code_new() -> str:
    """A payment code not in the table yet."""
    while True:
        code = payment_code_draw()
        if not Bill.objects.filter(payment_code=code).exists():
            return code


def payment_code_draw() -> str:
    """20 random digits (secrets), the first not 0."""
    return str(secrets.randbelow(9) + 1) + "".join(str(secrets.randbelow(10)) for _ in range(PAYMENT_CODE_DIGITS - 1))


def _bill_issue(bill: Bill, actor: User) -> None:
    """Every line sealed: the payment notice is issued (status, time, totals, payment code, timeline)."""
    _totals(bill)
    bill.status, bill.issued_at, bill.payment_code = BillStatus.ISSUED, clock.now(), payment_code_new()
    bill.warning_level = "normal"
    bill.save(
        update_fields=[
            "status",
            "issued_at",
            "payment_code",
            "computed_total",
            "due_total",
            "subsidised_total",
            "warning_level",
        ]
    )
    bill_audit(bill, "fees.bill_issued", actor=actor, organisation=bill.region, changes=bill_issued(bill))
    locked = case_lock(bill.case_id, actor=actor)
    case_record(locked=locked, action="fee_bill_issued", actor=actor, note=bill_issued_note(bill))
    if bill.waits_for_payment and bill.due_total <= 0:  # nothing to pay: the stage it held goes on
        stage_release(case=locked.case, actor=actor)
    _payer_notify(bill)


def bill_issued(bill: Bill) -> dict[str, object]:
    """The changes of `fees.bill_issued`."""
    return {
        "number": bill.number,
        "computed_total": str(bill.computed_total),
        "due_total": str(bill.due_total),
        "subsidised_total": str(bill.subsidised_total),
    }


def bill_issued_note(bill: Bill) -> str:
    return _("缴款通知书%(number)s已出具，应缴合计%(total)s元") % {"number": bill.number, "total": bill.due_total}


def _payer_notify(bill: Bill) -> None:
    """After commit: the payer's account is told the notice is out (one message per bill)."""
    recipient = bill.payer.user
    if recipient is None:
        return
    subject = _("缴款通知书已出具")
    body = _("您的缴款通知书%(number)s已出具，应缴合计%(total)s元，缴款码%(code)s。请登录“我的缴费”查看并缴款。") % {
        "number": bill.number,
        "total": bill.due_total,
        "code": bill.payment_code,
    }
    key = f"fees.bill_issued:{bill.pk}"
    transaction.on_commit(
        lambda: notify_send(recipient=recipient, subject=subject, body=body, topic=NOTIFY_TOPIC, dedupe_key=key)
    )
