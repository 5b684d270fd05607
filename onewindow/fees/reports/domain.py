"""The maths of the fee reports, pure: no Django, no clock, no I/O.

Reconciliation (对账), per collecting department and account and per day: the bills issued that day (count,
and the amount due on that account's lines), paid that day, refunded that day (refunds of that account's
lines), and outstanding at the day's end (issued on or before it, not paid by its end).

Savings (减免成效): on a line with a policy, what the payer did not pay is `computed − due` (waived, exempted,
subsidised or reduced); the part the government paid is the line's `subsidised_amount`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
TEN_THOUSAND = Decimal(10000)
DISTRICT_LEVELS = frozenset({"district", "county"})

K = TypeVar("K", bound=Hashable)


# --- reconciliation ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    department: int
    number: str


@dataclass(frozen=True)
class LineFact:
    """One line of an issued bill that owes money on an account (days in local time)."""

    account: Account
    bill: int
    due_amount: Decimal
    issued_on: dt.date
    paid_on: dt.date | None


@dataclass(frozen=True)
class RefundFact:
    account: Account
    bill: int
    amount: Decimal
    refunded_on: dt.date


@dataclass
class Tally:
    """Bills (distinct) and money of one kind of event."""

    bills: set[int] = field(default_factory=set)
    amount: Decimal = ZERO

    def add(self, bill: int, amount: Decimal) -> None:
        self.bills.add(bill)
        self.amount += amount

    @property
    def count(self) -> int:
        return len(self.bills)


@dataclass
class Reconciliation:
    issued: Tally = field(default_factory=Tally)
    paid: Tally = field(default_factory=Tally)
    refunded: Tally = field(default_factory=Tally)
    outstanding: Tally = field(default_factory=Tally)

    @property
    def is_empty(self) -> bool:
        return not (self.issued.bills or self.paid.bills or self.refunded.bills or self.outstanding.bills)


def is_outstanding(line: LineFact, day: dt.date) -> bool:
    """Issued on or before `day` and not paid by its end."""
    return line.issued_on <= day and (line.paid_on is None or line.paid_on > day)


def reconcile_days(
    lines: Iterable[LineFact], refunds: Iterable[RefundFact], first: dt.date, last: dt.date
) -> dict[tuple[Account, dt.date], Reconciliation]:
    """Per account and day from `first` to `last`: issued, paid, refunded, outstanding at the day's end.
    Accounts and days where nothing happened and nothing is outstanding are left out."""
    result: dict[tuple[Account, dt.date], Reconciliation] = defaultdict(Reconciliation)
    for line in lines:
        if first <= line.issued_on <= last:
            result[(line.account, line.issued_on)].issued.add(line.bill, line.due_amount)
        if line.paid_on is not None and first <= line.paid_on <= last:
            result[(line.account, line.paid_on)].paid.add(line.bill, line.due_amount)
        for day in _outstanding_days(line, first, last):
            result[(line.account, day)].outstanding.add(line.bill, line.due_amount)
    for refund in refunds:
        if first <= refund.refunded_on <= last:
            result[(refund.account, refund.refunded_on)].refunded.add(refund.bill, refund.amount)
    return {key: value for key, value in result.items() if not value.is_empty}


def _outstanding_days(line: LineFact, first: dt.date, last: dt.date) -> Iterable[dt.date]:
    start = max(line.issued_on, first)
    end = min(line.paid_on - dt.timedelta(days=1) if line.paid_on else last, last)
    return (start + dt.timedelta(days=n) for n in range((end - start).days + 1))


def reconcile_period(
    lines: Iterable[LineFact], refunds: Iterable[RefundFact], first: dt.date, last: dt.date
) -> dict[Account, Reconciliation]:
    """Per account over the whole period: issued, paid and refunded in it, outstanding at its last day's end."""
    result: dict[Account, Reconciliation] = defaultdict(Reconciliation)
    for line in lines:
        totals = result[line.account]
        if first <= line.issued_on <= last:
            totals.issued.add(line.bill, line.due_amount)
        if line.paid_on is not None and first <= line.paid_on <= last:
            totals.paid.add(line.bill, line.due_amount)
        if is_outstanding(line, last):
            totals.outstanding.add(line.bill, line.due_amount)
    for refund in refunds:
        if first <= refund.refunded_on <= last:
            result[refund.account].refunded.add(refund.bill, refund.amount)
    return {key: value for key, value in result.items() if not value.is_empty}


# --- savings ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SavingFact:
    """One line with a policy, of an issued, paid or refunded bill."""

    policy: tuple[str, str]  # (document number, kind)
    payer: int
    industry: str
    district: str
    month: str  # YYYY-MM of the bill's computation date
    bill: int
    computed_amount: Decimal
    due_amount: Decimal
    subsidised_amount: Decimal

    @property
    def relieved_amount(self) -> Decimal:
        return self.computed_amount - self.due_amount


@dataclass
class Savings:
    bills: set[int] = field(default_factory=set)
    computed_amount: Decimal = ZERO
    relieved_amount: Decimal = ZERO
    subsidised_amount: Decimal = ZERO

    @property
    def bill_count(self) -> int:
        return len(self.bills)

    def add(self, fact: SavingFact) -> None:
        self.bills.add(fact.bill)
        self.computed_amount += fact.computed_amount
        self.relieved_amount += fact.relieved_amount
        self.subsidised_amount += fact.subsidised_amount


def savings_by(facts: Iterable[SavingFact], key: Callable[[SavingFact], K]) -> dict[K, Savings]:
    """The savings grouped by `key` (a policy, a month, a district, an enterprise and a policy, …)."""
    result: dict[K, Savings] = defaultdict(Savings)
    for fact in facts:
        result[key(fact)].add(fact)
    return dict(result)


def savings_total(facts: Iterable[SavingFact]) -> Savings:
    total = Savings()
    for fact in facts:
        total.add(fact)
    return total


def in_wan(amount: Decimal) -> Decimal:
    """Yuan as 万元 to two decimals (ROUND_HALF_UP): 38,765,432.10 → 3876.54."""
    return (amount / TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)


# --- periods and places -----------------------------------------------------------------------------------


def month_of(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def month_start(text: str) -> dt.date:
    """`YYYY-MM` → its first day (ValueError when it is not a month)."""
    year, _sep, month = text.partition("-")
    if len(year) != 4 or len(month) != 2 or not (year + month).isdigit():
        raise ValueError(text)
    return dt.date(int(year), int(month), 1)


def months_back(first_of_month: dt.date, count: int) -> dt.date:
    """The first day of the month `count` months before `first_of_month`'s."""
    index = first_of_month.year * 12 + first_of_month.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(first_of_month: dt.date) -> dt.date:
    return months_back(first_of_month, -1) - dt.timedelta(days=1)


def months_between(first: dt.date, last: dt.date) -> int:
    """Months from `first`'s month to `last`'s, both counted."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def district_path(path: str, levels: dict[str, str]) -> str | None:
    """The district or county (区、县) a region lies in (itself if it is one): the deepest ancestor whose level
    is district or county. `levels` maps the paths of the region and its ancestors to their levels."""
    codes = [code for code in path.split("/") if code]
    for n in range(len(codes), 0, -1):
        candidate = "/" + "/".join(codes[:n]) + "/"
        if levels.get(candidate) in DISTRICT_LEVELS:
            return candidate
    return None


def parent_path(path: str) -> str:
    """ "/9901/9901-CZ/" → "/9901/" (a top organisation is its own parent)."""
    codes = [code for code in path.split("/") if code]
    return "/" + "/".join(codes[:-1]) + "/" if len(codes) > 1 else path


def last_code(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]
