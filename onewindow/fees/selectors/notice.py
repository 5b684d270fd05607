"""The payment notice (缴款通知书) as shown on its page and in its PDF: the lines grouped per collecting
department and account, each with its seal verified against the line's current data, and the bill's
working-day clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from onewindow.cases.domain import remaining_working_days
from onewindow.fees.models import Bill, BillLine, FeeCheck
from onewindow.fees.sealing import line_seal_valid
from onewindow.workdays.domain import WorkCalendar


@dataclass
class NoticeLine:
    line: BillLine
    sealed: bool
    seal_valid: bool


@dataclass
class NoticeGroup:
    department_name: str
    account_name: str
    account_number: str
    check: FeeCheck
    lines: list[NoticeLine] = field(default_factory=list)

    @property
    def due_total(self) -> Decimal:
        return sum((Decimal(row.line.due_amount) for row in self.lines), Decimal(0))


@dataclass
class BillNotice:
    bill: Bill
    groups: list[NoticeGroup]
    remaining_days: int | None  # working days left on the checks' clock (None once issued)

    @property
    def seals_broken(self) -> list[NoticeLine]:
        return [row for group in self.groups for row in group.lines if row.sealed and not row.seal_valid]

    @property
    def all_sealed(self) -> bool:
        return all(row.sealed for group in self.groups for row in group.lines)


def bill_notice(bill: Bill, *, today: dt.date, calendar: WorkCalendar) -> BillNotice:
    lines = bill.lines.select_related("fee_check__department", "bill").order_by(
        "fee_check__department__code", "account_number", "item_code"
    )
    groups: dict[tuple[int, str], NoticeGroup] = {}
    for line in lines:
        key = (line.fee_check_id, line.account_number)
        if key not in groups:
            groups[key] = NoticeGroup(
                department_name=line.fee_check.department.display_name,
                account_name=line.account_name,
                account_number=line.account_number,
                check=line.fee_check,
            )
        sealed = bool(line.sealed_at)
        groups[key].lines.append(NoticeLine(line=line, sealed=sealed, seal_valid=sealed and line_seal_valid(line)))
    remaining = remaining_working_days(today, bill.due_on, calendar) if bill.status == "checking" else None
    return BillNotice(bill=bill, groups=list(groups.values()), remaining_days=remaining)
