"""Working days over NumPy columns of days: a date's position on the calendar is the number of working days up to
and including it, so `working_days_between(a, b)` is the difference of two positions (never below 0) and n working
days back is an index. The what-if replay (`bottlenecks.replay`) and the workload's ages count with it.

No Django, no clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from onewindow.workdays.domain import WorkCalendar

Ints = npt.NDArray[np.int64]
Days = npt.NDArray[np.datetime64]  # datetime64[D]
EPOCH = dt.date(1970, 1, 1).toordinal()


class Positions:
    """Working days counted up to and including a date, from before the earliest date asked about.

    Exact for dates from 1 January of the year before `first` to the end of `last`'s year; a date before that
    stands at 0, one after it at the last position (so a count clipped to a span inside them stays exact).
    """

    def __init__(self, calendar: WorkCalendar, first: dt.date, last: dt.date) -> None:
        ordinals = [o for year in range(first.year - 1, last.year + 1) for o in calendar.working_ordinals(year)]
        self.workdays = _days_of_ordinals(ordinals)

    def of(self, days: Days) -> Ints:
        return np.searchsorted(self.workdays, days, side="right").astype(np.int64)

    def back(self, days: Days, n: Ints) -> Days:
        """`subtract_working_days` for each day: the n-th working day before (from the last one on or before)."""
        back: Days = self.workdays[self.of(days) - 1 - n]
        return back


def age_days_all(started_on: Sequence[dt.date], today: dt.date, calendar: WorkCalendar) -> Ints:
    """`domain.age_days` of each day: the working days after it up to `today` (0 for today or later)."""
    positions = Positions(calendar, min([*started_on, today]), today)
    today_at = positions.of(_days_of_ordinals([today.toordinal()]))
    started = _days_of_ordinals([day.toordinal() for day in started_on])
    ages: Ints = np.maximum(today_at - positions.of(started), 0)
    return ages


def _days_of_ordinals(ordinals: list[int]) -> Days:
    """Dates given by their ordinals (NumPy converts `dt.date`s one by one, about twenty times slower)."""
    days: Days = (np.array(ordinals, dtype=np.int64) - EPOCH).astype("datetime64[D]")
    return days
