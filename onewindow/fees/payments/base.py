"""The shape every payment provider has (a 非税收入 platform, a bank, the simulated one), and what our
services do with a provider's notification, as pure rules (no Django: tested without a database)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol


class SignatureInvalid(Exception):
    """A callback whose signature does not verify (or that cannot be read): never acted on."""


@dataclass(frozen=True)
class ProviderOrder:
    """Where the payer pays an order: a page to go to (`pay_url`) and/or a code to scan or type."""

    order_number: str
    pay_url: str
    code: str = ""


@dataclass(frozen=True)
class Notification:
    """A verified callback: the provider's event, about one of our orders."""

    event_id: str
    order_number: str
    provider_reference: str
    amount: Decimal
    succeeded: bool
    at: dt.datetime


class PaymentProvider(Protocol):
    """What a provider module implements; registered by name in settings.FEES_PAYMENT_PROVIDERS."""

    name: str

    def order_create(self, bill: Any, order_number: str, amount: Decimal) -> ProviderOrder: ...

    def callback_parse(self, body: bytes, headers: Mapping[str, str]) -> Notification:
        """The notification in a callback, or SignatureInvalid."""
        ...

    def callback_answer(self, outcome: str) -> dict[str, Any]:
        """What the provider expects back once we have recorded the callback (it stops resending)."""
        ...

    def refund(self, order_number: str, amount: Decimal, reason: str) -> str:
        """Give `amount` of a paid order back; the provider's refund reference."""
        ...


class Outcome(StrEnum):
    """What one callback did (PaymentCallback.outcome)."""

    PAID = "paid"  # the payment succeeded and the bill is paid
    FAILED = "failed"  # the payment failed (the payer may try again)
    ALREADY_PAID = "already_paid"  # another success for the payment already counted: nothing changes
    ALREADY_FAILED = "already_failed"
    OUT_OF_ORDER = "out_of_order"  # a failure after the success: nothing changes
    DUPLICATE_PAYMENT = "duplicate_payment"  # another order of a paid bill succeeded: to refund
    BILL_NOT_PAYABLE = "bill_not_payable"  # money for a bill no longer payable (cancelled): to refund
    AMOUNT_MISMATCH = "amount_mismatch"  # refused: the amount is not the order's
    UNKNOWN_ORDER = "unknown_order"  # refused: no such order of this provider
    SIGNATURE_INVALID = "signature_invalid"  # refused


REFUSED = frozenset({Outcome.AMOUNT_MISMATCH, Outcome.UNKNOWN_ORDER, Outcome.SIGNATURE_INVALID})
TO_REFUND = frozenset({Outcome.DUPLICATE_PAYMENT, Outcome.BILL_NOT_PAYABLE})


def callback_outcome(
    *, note: Notification, payment_amount: Decimal, payment_status: str, bill_payable: bool, bill_paid: bool
) -> Outcome:
    """What a verified callback does to its payment ("pending", "succeeded", "failed") and bill. Run under
    the bill's lock: the statuses cannot change meanwhile."""
    if note.amount != payment_amount:
        return Outcome.AMOUNT_MISMATCH
    if not note.succeeded:
        if payment_status == "succeeded":
            return Outcome.OUT_OF_ORDER
        return Outcome.ALREADY_FAILED if payment_status == "failed" else Outcome.FAILED
    if payment_status == "succeeded":
        return Outcome.ALREADY_PAID
    if bill_paid:
        return Outcome.DUPLICATE_PAYMENT
    return Outcome.PAID if bill_payable else Outcome.BILL_NOT_PAYABLE
