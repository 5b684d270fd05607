"""The simulated provider of the demo and the tests: a page where the payer presses 模拟支付成功 or
模拟支付失败, and JSON callbacks signed with HMAC-SHA256 (header X-Simulated-Signature, hex) under
settings.FEES_SIMULATED_SECRET (from the environment; a development default only with DEBUG).

`callbacks_for` makes signed callbacks the way a real platform sends them: repeated and out of order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.urls import reverse

from onewindow.errors import Conflict
from onewindow.fees.payments.base import Notification, ProviderOrder, SignatureInvalid

SIGNATURE_HEADER = "X-Simulated-Signature"


def _secret() -> bytes:
    """The HMAC key; without one (production that did not set it) the provider is off: it starts no order
    and every callback fails verification."""
    secret = str(getattr(settings, "FEES_SIMULATED_SECRET", "") or "")
    if not secret:
        raise Conflict("模拟支付渠道未启用", code="fees_provider_unavailable")
    return secret.encode()


def signature(body: bytes) -> str:
    return hmac.new(_secret(), body, hashlib.sha256).hexdigest()


def _header(headers: Mapping[str, str], name: str) -> str:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return str(value)
    return ""


@dataclass(frozen=True)
class SignedCallback:
    body: bytes
    headers: dict[str, str]


def callback_sign(
    *,
    order_number: str,
    amount: Decimal | str,
    succeeded: bool = True,
    event_id: str | None = None,
    reference: str | None = None,
    at: dt.datetime | None = None,
) -> SignedCallback:
    """One signed callback, as the simulated platform sends it."""
    payload = {
        "event_id": event_id or f"SIM-EV-{uuid.uuid4().hex[:16].upper()}",
        "order_number": order_number,
        "reference": reference or f"SIM-{hashlib.sha256(order_number.encode()).hexdigest()[:16].upper()}",
        "amount": f"{Decimal(amount):.2f}",
        "status": "succeeded" if succeeded else "failed",
        "time": (at or dt.datetime.now(dt.UTC)).isoformat(),
    }
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    return SignedCallback(body=body, headers={SIGNATURE_HEADER: signature(body)})


def callbacks_for(
    order_number: str, amount: Decimal | str, *, repeats: int = 1, late_failure: bool = False
) -> list[SignedCallback]:
    """The callbacks a platform may send for one paid order: the success `repeats` times over (same event
    id), with, if `late_failure`, a failure for the order (another event) delivered after the success."""
    success = callback_sign(order_number=order_number, amount=amount)
    sent = [success] * repeats
    if late_failure:
        sent.append(callback_sign(order_number=order_number, amount=amount, succeeded=False))
    return sent


class SimulatedProvider:
    name = "simulated"

    def order_create(self, bill: Any, order_number: str, amount: Decimal) -> ProviderOrder:
        _secret()
        return ProviderOrder(
            order_number=order_number, pay_url=reverse("fees:pay_simulated", args=[order_number]), code=order_number
        )

    def callback_parse(self, body: bytes, headers: Mapping[str, str]) -> Notification:
        given = _header(headers, SIGNATURE_HEADER)
        try:
            expected = signature(body)
        except Conflict:
            raise SignatureInvalid("模拟支付渠道未启用") from None
        if not given or not hmac.compare_digest(given.encode(), expected.encode()):
            raise SignatureInvalid("签名不符")
        try:
            data = json.loads(body)
            at = dt.datetime.fromisoformat(str(data["time"]))
            return Notification(
                event_id=str(data["event_id"])[:64],
                order_number=str(data["order_number"])[:64],
                provider_reference=str(data["reference"])[:64],
                amount=Decimal(str(data["amount"])),
                succeeded=data["status"] == "succeeded",
                at=at if at.tzinfo else at.replace(tzinfo=dt.UTC),
            )
        except (ValueError, KeyError, TypeError, InvalidOperation, AttributeError) as exc:
            raise SignatureInvalid("通知内容无法解析") from exc

    def callback_answer(self, outcome: str) -> dict[str, Any]:
        return {"code": "SUCCESS", "message": outcome}

    def refund(self, order_number: str, amount: Decimal, reason: str) -> str:
        return f"SIMR-{uuid.uuid4().hex[:16].upper()}"
