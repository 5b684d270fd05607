"""Signed links that rate without logging in.

- the SMS link (短信评价): signed (Django's signing key), expiring (`EVALUATION_SMS_LINK_DAYS`, 15 days),
  single use (the invitation's nonce, spent when used); tampered, expired or spent: refused;
- the 评价器 link: the tablet facing the applicant, opened by the clerk for the service just finished;
  signed, expiring after `EVALUATION_KIOSK_MINUTES` (30 minutes), good for one rating (the rating's
  uniqueness).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing

from onewindow.errors import DomainError, NotFound

SMS_SALT = "onewindow.evaluation.sms"
KIOSK_SALT = "onewindow.evaluation.kiosk"


class LinkExpired(DomainError):
    code = "link_expired"
    status = 410


def link_invalid() -> NotFound:
    return NotFound("评价链接无效", code="link_invalid")


def sms_max_age() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "EVALUATION_SMS_LINK_DAYS", 15))


def kiosk_max_age() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "EVALUATION_KIOSK_MINUTES", 30))


def sms_token(invitation_id: int, nonce: str) -> str:
    return signing.dumps({"i": invitation_id, "n": nonce}, salt=SMS_SALT, compress=True)


def kiosk_token(window_service_id: int) -> str:
    return signing.dumps({"s": window_service_id}, salt=KIOSK_SALT, compress=True)


def _load(token: str, *, salt: str, max_age: dt.timedelta) -> dict[str, object]:
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkExpired("评价链接已过期", code="link_expired") from None
    except signing.BadSignature:
        raise link_invalid() from None
    if not isinstance(value, dict):
        raise link_invalid()
    return value


def sms_token_read(token: str) -> tuple[int, str]:
    value = _load(token, salt=SMS_SALT, max_age=sms_max_age())
    invitation_id, nonce = value.get("i"), value.get("n")
    if not isinstance(invitation_id, int) or not isinstance(nonce, str):
        raise link_invalid()
    return invitation_id, nonce


def kiosk_token_read(token: str) -> int:
    service_id = _load(token, salt=KIOSK_SALT, max_age=kiosk_max_age()).get("s")
    if not isinstance(service_id, int):
        raise link_invalid()
    return service_id
