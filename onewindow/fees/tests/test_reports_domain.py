"""The reports' maths without a database: reconciliation per account and day, savings, months, places."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onewindow.fees.reports.domain import (
    Account,
    LineFact,
    RefundFact,
    SavingFact,
    district_path,
    in_wan,
    last_code,
    month_end,
    month_start,
    months_back,
    months_between,
    parent_path,
    reconcile_days,
    reconcile_period,
    savings_by,
    savings_total,
)

D = dt.date(2026, 11, 10)
DAY = dt.timedelta(days=1)
MAIN, OTHER = Account(1, "A-1"), Account(2, "B-2")


def test_a_day_counts_issued_paid_refunded_and_outstanding_per_account():
    lines = [
        LineFact(MAIN, bill=1, due_amount=Decimal("100.00"), issued_on=D - DAY, paid_on=D),
        LineFact(MAIN, bill=2, due_amount=Decimal("40.00"), issued_on=D, paid_on=None),
        LineFact(MAIN, bill=2, due_amount=Decimal("10.00"), issued_on=D, paid_on=None),  # a second line, one bill
        LineFact(OTHER, bill=2, due_amount=Decimal("7.50"), issued_on=D, paid_on=None),
    ]
    refunds = [RefundFact(MAIN, bill=3, amount=Decimal("5.00"), refunded_on=D)]
    days = reconcile_days(lines, refunds, D - DAY, D)
    main = days[(MAIN, D)]
    assert (main.issued.count, main.issued.amount) == (1, Decimal("50.00"))
    assert (main.paid.count, main.paid.amount) == (1, Decimal("100.00"))
    assert (main.refunded.count, main.refunded.amount) == (1, Decimal("5.00"))
    assert (main.outstanding.count, main.outstanding.amount) == (1, Decimal("50.00"))
    before = days[(MAIN, D - DAY)]
    assert (before.issued.count, before.outstanding.count, before.paid.count) == (1, 1, 0)
    assert days[(OTHER, D)].outstanding.amount == Decimal("7.50")
    assert (OTHER, D - DAY) not in days  # nothing happened, nothing outstanding


def test_a_bill_paid_the_day_it_was_issued_is_never_outstanding():
    lines = [LineFact(MAIN, bill=1, due_amount=Decimal("9.99"), issued_on=D, paid_on=D)]
    day = reconcile_days(lines, [], D, D)[(MAIN, D)]
    assert (day.issued.count, day.paid.count, day.outstanding.count) == (1, 1, 0)


def test_a_bill_issued_before_the_period_is_outstanding_on_each_day_until_paid():
    lines = [LineFact(MAIN, bill=1, due_amount=Decimal("1.00"), issued_on=D - 10 * DAY, paid_on=D + DAY)]
    days = reconcile_days(lines, [], D - DAY, D + DAY)
    assert [days[(MAIN, d)].outstanding.count for d in (D - DAY, D)] == [1, 1]
    assert days[(MAIN, D + DAY)].outstanding.count == 0
    assert days[(MAIN, D + DAY)].paid.count == 1
    assert days[(MAIN, D - DAY)].issued.count == 0


def test_the_period_sums_its_days_and_keeps_what_is_outstanding_at_its_end():
    lines = [
        LineFact(MAIN, bill=1, due_amount=Decimal("100.00"), issued_on=D - DAY, paid_on=D),
        LineFact(MAIN, bill=2, due_amount=Decimal("40.00"), issued_on=D, paid_on=None),
        LineFact(MAIN, bill=3, due_amount=Decimal("3.00"), issued_on=D - 5 * DAY, paid_on=D - DAY),
    ]
    refunds = [
        RefundFact(MAIN, bill=1, amount=Decimal("5.00"), refunded_on=D),
        RefundFact(MAIN, 1, Decimal(1), D + DAY),
    ]
    total = reconcile_period(lines, refunds, D - DAY, D)[MAIN]
    assert (total.issued.count, total.issued.amount) == (2, Decimal("140.00"))
    assert (total.paid.count, total.paid.amount) == (2, Decimal("103.00"))
    assert (total.refunded.count, total.refunded.amount) == (1, Decimal("5.00"))
    assert (total.outstanding.count, total.outstanding.amount) == (1, Decimal("40.00"))


def fact(policy: str, **kw: object) -> SavingFact:
    values: dict[str, object] = {
        "policy": (policy, "waive"),
        "payer": 1,
        "industry": "制造业",
        "district": "清河区",
        "month": "2026-11",
        "bill": 1,
        "computed_amount": Decimal("100.00"),
        "due_amount": Decimal("0.00"),
        "subsidised_amount": Decimal("0.00"),
    }
    return SavingFact(**(values | kw))  # type: ignore[arg-type]


def test_savings_are_what_payers_did_not_pay_with_the_governments_part():
    facts = [
        fact("云川财综〔2024〕3号", subsidised_amount=Decimal("100.00")),
        fact("云川政发〔2024〕12号", bill=2, month="2026-10"),
        fact("云川政发〔2024〕12号", bill=2, computed_amount=Decimal("80.00"), due_amount=Decimal("40.00")),  # halved
    ]
    by_policy = savings_by(facts, lambda f: f.policy[0])
    assert by_policy["云川财综〔2024〕3号"].relieved_amount == Decimal("100.00")
    assert by_policy["云川财综〔2024〕3号"].subsidised_amount == Decimal("100.00")
    waived = by_policy["云川政发〔2024〕12号"]
    assert (waived.bill_count, waived.relieved_amount, waived.subsidised_amount) == (1, Decimal("140.00"), 0)
    by_month = savings_by(facts, lambda f: f.month)
    assert by_month["2026-11"].relieved_amount == Decimal("140.00")
    assert by_month["2026-11"].bill_count == 2
    assert savings_total(facts).relieved_amount == Decimal("240.00")


@pytest.mark.parametrize(
    ("yuan", "wan"),
    [("38765432.10", "3876.54"), ("50", "0.01"), ("49.99", "0.00"), ("0", "0.00"), ("3834000", "383.40")],
)
def test_the_headline_is_in_wan_yuan_to_two_decimals(yuan, wan):
    assert in_wan(Decimal(yuan)) == Decimal(wan)


def test_months():
    assert month_start("2026-02") == dt.date(2026, 2, 1)
    for bad in ("2026-2", "202602", "2026-13", "abcd-ef", "2026-02-01"):
        with pytest.raises(ValueError):
            month_start(bad)
    assert months_back(dt.date(2026, 12, 1), 11) == dt.date(2026, 1, 1)
    assert months_back(dt.date(2026, 1, 1), 1) == dt.date(2025, 12, 1)
    assert month_end(dt.date(2024, 2, 1)) == dt.date(2024, 2, 29)
    assert month_end(dt.date(2026, 12, 1)) == dt.date(2026, 12, 31)
    assert months_between(dt.date(2025, 12, 1), dt.date(2026, 11, 30)) == 12


def test_the_district_of_a_region_is_its_district_or_county_ancestor():
    levels = {"/9901/": "city", "/9901/990121/": "county", "/9901/990121/990121001/": "township"}
    assert district_path("/9901/990121/990121001/", levels) == "/9901/990121/"
    assert district_path("/9901/990121/", levels) == "/9901/990121/"
    assert district_path("/9901/", levels) is None  # the city itself lies in no district


def test_a_finance_bureau_reads_its_parents_subtree():
    assert parent_path("/9901/9901-CZ/") == "/9901/"
    assert parent_path("/9901/") == "/9901/"
    assert last_code("/9901/9901-CZ/") == "9901-CZ"
