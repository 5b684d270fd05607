"""Properties of the fee rules over many generated inputs (hypothesis; no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from onewindow.fees.domain import (
    FEN,
    FeeInput,
    Item,
    Payer,
    Policy,
    PolicyKind,
    formula_amount,
    formula_parse,
    line_compute,
)

BASES = st.decimals(min_value=0, max_value=Decimal("1e11"), places=2)
PRICE = st.decimals(min_value=0, max_value=Decimal(100000), places=4)
TIERED = formula_parse(
    "tiered",
    {
        "base": "contract_value",
        "tiers": [
            {"upto": "1000000", "rate": "0.01"},
            {"upto": "10000000", "rate": "0.005"},
            {"upto": None, "rate": "0.001"},
        ],
    },
)


@given(
    BASES,
    PRICE,
    st.decimals(min_value=0, max_value=Decimal(1000), places=2),
    st.decimals(min_value=0, max_value=Decimal(10**7), places=2),
)
def test_amounts_are_to_the_fen_and_within_bounds(base, factor, lower, extra):
    formula = formula_parse(
        "per_unit", {"base": "floor_area", "factor": factor, "lower": lower, "upper": lower + extra}
    )
    amount = formula_amount(formula, {FeeInput.FLOOR_AREA: base})
    assert amount == amount.quantize(FEN)
    assert amount == 0 if base == 0 or factor == 0 else lower <= amount <= lower + extra


@given(BASES, BASES)
def test_progressive_tiers_never_charge_less_for_a_larger_base(a, b):
    small, large = sorted((a, b))
    assert formula_amount(TIERED, {FeeInput.CONTRACT_VALUE: small}) <= formula_amount(
        TIERED, {FeeInput.CONTRACT_VALUE: large}
    )


@given(
    BASES,
    st.sampled_from(list(PolicyKind)),
    st.decimals(min_value=0, max_value=Decimal("0.99"), places=2),
    st.booleans(),
)
def test_a_policy_never_makes_anyone_pay_more_than_the_fee(base, kind, factor, at_lower_bound):
    formula = formula_parse("rate", {"base": "contract_value", "factor": "0.002", "lower": "3000"})
    item = Item("X", "X", formula)
    day = dt.date(2026, 1, 1)
    policy = Policy(kind, "X〔2026〕1号", "X", day, None, frozenset({"X"}), factor, at_lower_bound, "small_micro")
    payer = Payer(classes=frozenset({"small_micro"}))
    line = line_compute(item, {FeeInput.CONTRACT_VALUE: base}, payer, day, [policy])
    assert 0 <= line.due_amount <= line.computed_amount
    assert line.due_amount + line.subsidised_amount <= line.computed_amount
