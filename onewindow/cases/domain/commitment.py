"""告知承诺: after a failed post-check, the rectification deadline and the re-check; the remedies a
revocation tells (Art. 69)."""

from __future__ import annotations

import datetime as dt

from onewindow.workdays.domain import WorkCalendar, add_working_days

REVOCATION_REMEDIES = "如不服本决定，可以自收到本决定之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。"


def rectification_due_on(ordered_on: dt.date, days: int, calendar: WorkCalendar) -> dt.date:
    """The last day to rectify after a failed post-check: `days` working days after the order."""
    return add_working_days(ordered_on, days, calendar).on


def may_recheck(*, today: dt.date, due_on: dt.date, reported: bool) -> bool:
    """A re-check comes after the applicant reports the rectification done, or after the deadline."""
    return reported or today > due_on
