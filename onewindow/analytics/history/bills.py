"""一单收费 in the history: the bill a charging stage opens, each department's sealed check, the payment and
its receipts, as the fees app writes them (`fees/services/`), with the fees' own builders for the rows, the
events' changes and the timeline's notes.

- `_stage_opened` restates `bill_on_stage_open`: the bill on the stage's day, one check per collecting
  department, its lines under the policies in force that day, `fees.bill_opened` and the case's public row.
- `bill_seal` restates `fee_check_seal`: each line signed with the department's e-seal; the last seal issues
  the bill (`_bill_issue`: its payment code, `fees.bill_issued`, the case's row; the payer's message is not
  written, as the history writes no messages).
- `bill_pay` restates `payment_start` and the simulated provider's signed callback (`payment_callback`): the
  payment, the callback as received, the receipts (SM2-signed), `fees.bill_paid`, the case's row, and the
  stage the bill held goes on (`stage_release`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from onewindow.analytics.history.fee_world import PROVIDER, ChargingStage
from onewindow.analytics.history.plan import Step
from onewindow.analytics.history.review_steps import ReviewSteps
from onewindow.audit.services import AuditEntry
from onewindow.cases.domain import CaseStatus, StageOutcome, TaskStatus, review_outcome
from onewindow.fees import payments
from onewindow.fees.models import (
    Bill,
    BillLine,
    BillStatus,
    FeeCheck,
    FeeCheckStatus,
    Payment,
    PaymentCallback,
    PaymentStatus,
)
from onewindow.fees.payments import Notification
from onewindow.fees.payments.simulated import callback_sign
from onewindow.fees.sealing import line_seal
from onewindow.fees.selectors.bills import payment_awaited
from onewindow.fees.services.checks import bill_issued, bill_issued_note, check_sealed, payment_code_draw
from onewindow.fees.services.opening import BILL_TARGET, bill_lines_new, bill_new, bill_opened, bill_opened_note
from onewindow.fees.services.payments import bill_paid_note, payment_notified, payment_started
from onewindow.fees.services.receipts import receipts_new
from onewindow.orgs.models import Organisation, User


@dataclass
class OpenBill:
    bill: Bill
    charging: ChargingStage
    checks: list[FeeCheck]  # by department id
    lines: list[BillLine]  # by item code


class BillSteps(ReviewSteps):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bills: dict[int, OpenBill] = {}  # by stage

    def _bill_event(
        self, bill: Bill, action: str, actor: User | None, organisation: Organisation | None, changes: dict[str, Any]
    ) -> None:
        entry = AuditEntry(action, BILL_TARGET, bill.pk, actor, organisation, changes)
        self.rows.streams.setdefault(f"fee_bill:{bill.pk}", []).append(entry)

    def _stage_opened(self, at: dt.datetime, stage: int, actor: User | None) -> None:
        charging = self.product.charging.get(stage)
        if charging is None:
            return
        bill = bill_new(self.case, stage, charging.stage, charging.rule, on=self._today(at), calendar=self.calendar)
        bill.id, bill.created_at = self.ids.next(Bill), at
        bill.region, bill.payer = self.case.region, self.applicant  # the rows of this batch, not read back
        checks = {
            pk: FeeCheck(id=self.ids.next(FeeCheck), bill=bill, department=department)
            for pk, department in charging.departments.items()
        }
        lines = bill_lines_new(bill, checks, charging.items, charging.policies)
        for line in lines:
            line.id = self.ids.next(BillLine)
        self.bills[stage] = OpenBill(bill, charging, list(checks.values()), lines)
        self.rows.bills.append(bill)
        self.rows.checks.extend(checks.values())
        self.rows.lines.extend(lines)
        departments = charging.departments
        self._bill_event(bill, "fees.bill_opened", actor, bill.region, bill_opened(bill, departments))
        self._record(at, "fee_bill_opened", actor, None, "", bill_opened_note(bill, departments))

    def _stage_held(self, stage: int) -> str:
        opened = self.bills.get(stage)
        return payment_awaited(opened.bill) if opened is not None else ""

    def bill_seal(self, step: Step) -> None:
        opened = self.bills.get(step.stage)
        if opened is None or opened.bill.status != BillStatus.CHECKING:
            return
        check = opened.checks[step.matter]
        sealer = opened.charging.sealers[check.department_id]
        lines = [line for line in opened.lines if line.fee_check is check]
        for line in lines:
            line_seal(line)
            line.sealed_at = step.at
        check.status, check.sealed_by, check.sealed_at = FeeCheckStatus.SEALED, sealer, step.at
        self._bill_event(opened.bill, "fees.check_sealed", sealer, check.department, check_sealed(check, lines))
        if all(c.status == FeeCheckStatus.SEALED for c in opened.checks):
            self._bill_issue(step.at, opened.bill, sealer)

    def _bill_issue(self, at: dt.datetime, bill: Bill, actor: User) -> None:
        bill.status, bill.issued_at, bill.payment_code = BillStatus.ISSUED, at, payment_code_draw()
        self._bill_event(bill, "fees.bill_issued", actor, bill.region, bill_issued(bill))
        self._record(at, "fee_bill_issued", actor, None, "", bill_issued_note(bill))
        if bill.waits_for_payment and bill.due_total <= 0 and self.case.current_stage == bill.stage_position:
            self._stage_release(at, actor)  # nothing to pay

    def bill_pay(self, step: Step) -> None:
        opened = self.bills.get(step.stage)
        if opened is None or opened.bill.status != BillStatus.ISSUED or opened.bill.due_total <= 0:
            return  # the services refuse it: not issued yet (a late seal), or nothing to pay
        bill, at = opened.bill, step.at
        payment = self._payment_start(bill, at)
        note = self._callback_paid(payment, at)
        bill.status, bill.paid_at = BillStatus.PAID, at
        ordered = sorted(opened.lines, key=lambda line: (line.fee_check.department.code, line.item_code))
        receipts = receipts_new(bill=bill, lines=ordered, payment=payment, at=at)
        self.rows.receipts.extend(receipts)
        changes = payment_notified(payment, note, receipts=[receipt.number for receipt in receipts])
        self._bill_event(bill, "fees.bill_paid", None, bill.region, changes)
        self._record(at, "fee_bill_paid", None, None, "", bill_paid_note(bill, receipts))
        if bill.waits_for_payment and self.case.current_stage == step.stage:
            self._stage_release(at, None)

    def _payment_start(self, bill: Bill, at: dt.datetime) -> Payment:
        """payment_start: a pending payment with its order number, by the payer (the clerk at the window)."""
        order_number = f"{bill.number}-{uuid.uuid4().hex[:10].upper()}"[-64:]
        payment = Payment(
            id=self.ids.next(Payment), bill=bill, provider=PROVIDER, order_number=order_number, amount=bill.due_total
        )
        payment.created_at = at
        self.rows.payments.append(payment)
        self._bill_event(bill, "fees.payment_started", self._clerk_or_user(), bill.region, payment_started(payment))
        return payment

    def _callback_paid(self, payment: Payment, at: dt.datetime) -> Notification:
        """The provider's signed success callback, received and verified: the payment succeeded."""
        signed = callback_sign(order_number=payment.order_number, amount=payment.amount, at=at)
        note = payments.provider_get(PROVIDER).callback_parse(signed.body, signed.headers)
        payment.status, payment.provider_reference = PaymentStatus.SUCCEEDED, note.provider_reference
        payment.paid_at = note.at
        self.rows.callbacks.append(
            PaymentCallback(
                provider=PROVIDER,
                event_id=note.event_id,
                payment=payment,
                body=signed.body.decode("utf-8"),
                signature_valid=True,
                outcome=payments.Outcome.PAID,
                received_at=at,
            )
        )
        return note

    def _stage_release(self, at: dt.datetime, actor: User | None) -> None:
        """stage_release: the join again, as of the stage's last decided task, once its reviews all agreed."""
        stage = [task for task in self.tasks.values() if task.stage == self.case.current_stage]
        statuses = [TaskStatus(task.status) for task in stage]
        if self.case.status != CaseStatus.IN_REVIEW or review_outcome(statuses) is not StageOutcome.ALL_APPROVED:
            return
        self._stage_join(at, max(stage, key=lambda task: (task.decided_at, task.pk)), actor)
