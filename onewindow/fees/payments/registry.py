"""The providers by name, from settings.FEES_PAYMENT_PROVIDERS (name → class path), each built once."""

from __future__ import annotations

from functools import cache
from typing import cast

from django.conf import settings
from django.utils.module_loading import import_string

from onewindow.errors import NotFound
from onewindow.fees.payments.base import PaymentProvider


def provider_names() -> list[str]:
    return sorted(settings.FEES_PAYMENT_PROVIDERS)


def provider_get(name: str) -> PaymentProvider:
    """The provider registered as `name`, or NotFound (`fees_provider_unknown`)."""
    path = settings.FEES_PAYMENT_PROVIDERS.get(name)
    if not path:
        raise NotFound("未找到该支付渠道", code="fees_provider_unknown")
    return _built(name, path)


@cache
def _built(name: str, path: str) -> PaymentProvider:
    provider = import_string(path)()
    provider.name = name
    return cast(PaymentProvider, provider)
