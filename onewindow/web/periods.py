"""The period of a figures page or report: `from`/`to` dates as typed in its form or query (either may be
empty), checked once for the halls' figures, the fees' reconciliation and the leaders' analysis."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from onewindow.errors import InvalidFields


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date

    @property
    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def day_period(
    first_text: str, last_text: str, today: dt.date, *, default_days: int, max_days: int, code: str
) -> Period:
    """By default the last `default_days` up to today; never longer than `max_days`. InvalidFields (`code`)
    with the message beside the field: a date not YYYY-MM-DD, a start after the end, a period too long."""
    errors: dict[str, str] = {}
    last = _date(last_text, "to", errors) or today
    first = _date(first_text, "from", errors) or last - dt.timedelta(days=default_days - 1)
    if not errors and first > last:
        errors["from"] = _("开始日期不能晚于结束日期。")
    if not errors and (last - first).days >= max_days:
        errors["from"] = _("统计期不能超过 %(days)s 天。") % {"days": max_days}
    if errors:
        raise InvalidFields(_("统计期有误。"), errors=errors, code=code)
    return Period(first, last)


def _date(text: str, field: str, errors: dict[str, str]) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors[field] = _("日期格式应为 YYYY-MM-DD。")
        return None
