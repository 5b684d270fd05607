"""SMS backends: one small interface, chosen by the NOTIFY_SMS_BACKEND setting (a dotted path).

A provider (阿里云, 腾讯云, an operator's gateway …) plugs in as a class with `send(phone, text)`
returning the provider's message id and raising `SmsFailed` with a readable reason.
"""

from __future__ import annotations

import logging
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("onewindow.notify")


class SmsFailed(Exception):
    pass


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> str: ...


class ConsoleSmsBackend:
    """Writes each message to the log: for development and the demo."""

    def send(self, phone: str, text: str) -> str:
        logger.info("SMS to %s: %s", phone, text)
        return ""


class MemorySmsBackend:
    """Keeps sent messages in `outbox` (like Django's locmem e-mail backend): for tests."""

    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(self, phone: str, text: str) -> str:
        self.outbox.append((phone, text))
        return f"mem-{len(self.outbox)}"


def sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.NOTIFY_SMS_BACKEND)()
    return backend
