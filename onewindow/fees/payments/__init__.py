"""Payment providers of the fees' bills (used by `fees.services`): the protocol a 非税收入 platform or a
bank implements (base.py), the registry by name from settings (registry.py), the simulated provider of the
demo and the tests (simulated.py)."""

from onewindow.fees.payments.base import (
    REFUSED,
    TO_REFUND,
    Notification,
    Outcome,
    PaymentProvider,
    ProviderOrder,
    SignatureInvalid,
    callback_outcome,
)
from onewindow.fees.payments.registry import provider_get, provider_names

__all__ = [
    "REFUSED",
    "TO_REFUND",
    "Notification",
    "Outcome",
    "PaymentProvider",
    "ProviderOrder",
    "SignatureInvalid",
    "callback_outcome",
    "provider_get",
    "provider_names",
]
