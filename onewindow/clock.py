"""The time the services record: now, or the time the demo's history tells (`told_at`).

The demo tells its past (months of bills, a year of cases) through the real services: inside
`told_at(at)`, `now()` and `today()` return that moment, so what the services write (submission times,
due dates, payment times) is dated as it happened. The audit events keep the real time they were
written: the trail says when the history was loaded. Outside the demo and the tests, nothing tells.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_told: ContextVar[dt.datetime | None] = ContextVar("onewindow_told_time", default=None)


def now() -> dt.datetime:
    return _told.get() or timezone.now()


def today() -> dt.date:
    """Today in Asia/Shanghai (the deployment's time zone), as told."""
    return timezone.localdate(now())


@contextmanager
def told_at(at: dt.datetime) -> Iterator[None]:
    if timezone.is_naive(at):
        raise ValueError("told_at needs an aware datetime")
    token = _told.set(at)
    try:
        yield
    finally:
        _told.reset(token)
