from __future__ import annotations

from typing import Any

import pytest

from onewindow.notify.backends import MemorySmsBackend


@pytest.fixture(autouse=True)
def _memory_sms(settings: Any) -> Any:
    settings.NOTIFY_SMS_BACKEND = "onewindow.notify.backends.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    yield MemorySmsBackend.outbox
    MemorySmsBackend.outbox.clear()
