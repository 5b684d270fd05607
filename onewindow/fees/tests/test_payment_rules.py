"""The pure rule of what a verified callback does (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onewindow.fees.payments import Notification, Outcome, callback_outcome


def note(*, succeeded: bool = True, amount: str = "100.00") -> Notification:
    return Notification("E1", "O1", "R1", Decimal(amount), succeeded, dt.datetime(2026, 12, 7, tzinfo=dt.UTC))


@pytest.mark.parametrize(
    ("succeeded", "amount", "status", "payable", "paid", "outcome"),
    [
        (True, "100.00", "pending", True, False, Outcome.PAID),
        (True, "100.00", "failed", True, False, Outcome.PAID),
        (True, "100.00", "succeeded", False, True, Outcome.ALREADY_PAID),
        (True, "100.00", "pending", False, True, Outcome.DUPLICATE_PAYMENT),
        (True, "100.00", "pending", False, False, Outcome.BILL_NOT_PAYABLE),
        (True, "99.99", "pending", True, False, Outcome.AMOUNT_MISMATCH),
        (False, "100.00", "pending", True, False, Outcome.FAILED),
        (False, "100.00", "failed", True, False, Outcome.ALREADY_FAILED),
        (False, "100.00", "succeeded", False, True, Outcome.OUT_OF_ORDER),
    ],
)
def test_callback_outcome(succeeded, amount, status, payable, paid, outcome) -> None:
    result = callback_outcome(
        note=note(succeeded=succeeded, amount=amount),
        payment_amount=Decimal("100.00"),
        payment_status=status,
        bill_payable=payable,
        bill_paid=paid,
    )
    assert result is outcome


def test_without_a_secret_the_simulated_provider_starts_nothing_and_verifies_nothing(settings) -> None:
    from onewindow.errors import Conflict
    from onewindow.fees.payments import SignatureInvalid, simulated

    signed = simulated.callback_sign(order_number="O1", amount="1.00")
    settings.FEES_SIMULATED_SECRET = ""
    provider = simulated.SimulatedProvider()
    with pytest.raises(Conflict):
        provider.order_create(None, "O1", Decimal("1.00"))
    with pytest.raises(SignatureInvalid):
        provider.callback_parse(signed.body, signed.headers)


def test_the_deploy_check_warns_of_the_simulated_provider_in_production(settings) -> None:
    from onewindow.fees.checks import check_simulated_payments

    settings.DEBUG = False
    settings.FEES_SIMULATED_SECRET = ""
    assert check_simulated_payments() == []
    settings.FEES_SIMULATED_SECRET = "short"
    assert {message.id for message in check_simulated_payments()} == {"fees.W001", "fees.W002"}
