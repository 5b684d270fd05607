"""What the halls' pages share: reading numbers, dates and times from a form."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def day_or_tomorrow(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return timezone.localdate() + dt.timedelta(days=1)


def day_or_none(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


def time_or_none(value: str | None) -> dt.time | None:
    try:
        return dt.time.fromisoformat(value or "")
    except ValueError:
        return None
