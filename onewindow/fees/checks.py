"""Deployment checks of the fees' payment providers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

SIMULATED = "onewindow.fees.payments.simulated.SimulatedProvider"
MIN_SECRET_LENGTH = 32


@register(Tags.security, deploy=True)
def check_simulated_payments(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Production with the simulated provider switched on (its secret set): anyone who can pay a bill may
    press 模拟支付成功. Without a secret the provider is off (no order starts, every callback is refused)."""
    if settings.DEBUG or SIMULATED not in settings.FEES_PAYMENT_PROVIDERS.values():
        return []
    secret = str(settings.FEES_SIMULATED_SECRET or "")
    if not secret:
        return []
    messages: list[CheckMessage] = [
        Warning(
            "the simulated payment provider is on: payers can mark their own bills paid",
            hint="For a demonstration only. In production unset FEES_SIMULATED_SECRET and register the real "
            "非税收入 platform or bank in FEES_PAYMENT_PROVIDERS.",
            id="fees.W001",
        )
    ]
    if len(secret) < MIN_SECRET_LENGTH:
        messages.append(
            Warning(
                f"FEES_SIMULATED_SECRET is shorter than {MIN_SECRET_LENGTH} characters",
                hint="Use a long random value (e.g. python -c 'import secrets; print(secrets.token_hex(32))').",
                id="fees.W002",
            )
        )
    return messages
