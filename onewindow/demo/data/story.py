"""When the key-project story of 云川市 happens: twelve months of monthly reports up to the last
complete month, placed by their first month, so the demo tells the same story whatever today is.

Months are counted from the story's first month (offset 0). Loaded on 6 December 2026 the first
month is December 2025 and the story reads as it always did:

| offset | loaded 2026-12-06 | loaded 2027-03-15 | what happens |
|---|---|---|---|
| 0 | 2025-12 | 2026-03 | first monthly report; it also carries what was invested earlier in its year (see below) |
| 1 | 2026-01 | 2026-04 | first month ranked |
| slump | 2026-05 | 2026-05 | 松溪县 stalls: last of the districts with its target unmet |
| slump + 1 | 2026-06 | 2026-06 | … a second month: yellow warning |
| slump + 2 | 2026-07 | 2026-07 | … a third month: red warning |
| slump + 3 | 2026-08 | 2026-08 | 松溪县 catches up |
| 5 to 10 | | | each district's stalled project stops investing in one of these months |
| 8 | 2026-08 | 2026-11 | the 百日攻坚 campaign from the 1st, for 100 days; problems raised from the 3rd on |
| 9 | 2026-09 | 2026-12 | concentrated start on the 18th, of the new starts planned from offset 7 on |
| 11 | 2026-11 | 2027-02 | the last complete month: ranked, the leaders' monthly reports composed |
| 15 | 2027-03 | 2027-06 | the roadmaps' target: the projects in preparation start by its last day |

The ranking counts investment by calendar year: year to date against the year's plan × months
elapsed / 12. Hence two choices:

- The slump is placed by the calendar, not at a fixed offset: it starts in the latest month from
  January to May (May, unless the story's first twelve months end in April to July) that leaves its
  two warnings and the catch-up inside them (offsets 1 to 8). A district on its usual pace has
  invested about 1.15 × the months elapsed by then, so three months without investment put it
  below target only early in a year (starting in May: 4.6 / 5 = 0.92); starting in August it would
  still meet it (7.05 / 8) and there would be no warning.
- So that every ranked month has its whole year to date, the first report also carries the
  investment made earlier in its year (none when the first month is December or January), and
  every project has an annual plan (the same amount) for each year with a ranked month.

Pure: no Django, no clock; `today` is always passed in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

SLUMP_MONTHS_OF_YEAR = range(1, 6)  # January to May (see above)
SLUMP_LENGTH = 3  # 松溪县 invests a tenth of its pace: last with its target unmet three months running,
# then six times its pace for a month: target met again
STALL_OFFSETS = (5, 10)  # a stalled project's first month without investment lies in this range
CAMPAIGN = 8  # 百日攻坚: from the 1st of this month, for 100 days
CAMPAIGN_DAYS = 100
PROBLEMS_FROM = 8  # problems are raised from the 3rd of this month on, over 110 days
START_EVENT = 9  # the concentrated start, on the 18th
START_EVENT_DAY = 18
LATE_STARTS_FROM = 7  # … of the new starts planned from this month on
ROADMAP_TARGET = 15  # the roadmaps' target: the last day of this month
SPAN = 12  # months of reports up to the last complete month, when the story is first told
QUARTERS = "一二三四"


def month_add(month: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after (or before) `month`'s."""
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def months_from(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of the months from `first`'s to `last`'s, both included."""
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [month_add(first, n) for n in range(max(count, 0))]


def last_complete_month(today: dt.date) -> dt.date:
    return month_add(today, -1)


def month_end(month: dt.date) -> dt.date:
    return month_add(month, 1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Story:
    """The story placed on the calendar by its first month (the first monthly report's)."""

    first_month: dt.date

    @classmethod
    def told_on(cls, today: dt.date) -> Story:
        """A new story: its twelve months end with the last complete month."""
        return cls(month_add(last_complete_month(today), 1 - SPAN))

    def month(self, offset: int) -> dt.date:
        return month_add(self.first_month, offset)

    def offset(self, month: dt.date) -> int:
        return (month.year - self.first_month.year) * 12 + month.month - self.first_month.month

    @property
    def year(self) -> int:
        """The registry's year: that of the last month of the first twelve (in its codes and titles)."""
        return self.month(SPAN - 1).year

    @property
    def slump_offset(self) -> int:
        """松溪县's first month of the slump (see above)."""
        room = range(1, SPAN - SLUMP_LENGTH)  # the slump, its two warnings and the catch-up in offsets 1 to 11
        return max(o for o in room if self.month(o).month in SLUMP_MONTHS_OF_YEAR)

    def lagging_pace(self, month: dt.date) -> float | None:
        """松溪县's pace in `month` when the story sets it (the slump, the catch-up), else None."""
        since = self.offset(month) - self.slump_offset
        return 0.1 if 0 <= since < SLUMP_LENGTH else 6.0 if since == SLUMP_LENGTH else None

    def report_months(self, today: dt.date) -> list[dt.date]:
        """From the first month to this month (whose reports are filed as their days come)."""
        return months_from(self.first_month, today)

    def ranked_months(self, today: dt.date) -> list[dt.date]:
        return months_from(self.month(1), last_complete_month(today))

    def plan_years(self, today: dt.date) -> list[int]:
        """Every year with a ranked month needs the projects' annual plans (the first story's year at least)."""
        return sorted({self.year, *(month.year for month in self.ranked_months(today))})

    def carried_months(self) -> list[dt.date]:
        """The months of the first month's year before it, whose investment its report carries, unless
        the next month starts a year (then no ranked month needs them)."""
        if self.first_month.month == 12:
            return []
        return months_from(self.first_month.replace(month=1), self.month(-1))

    @property
    def campaign_starts_on(self) -> dt.date:
        return self.month(CAMPAIGN)

    @property
    def campaign_ends_on(self) -> dt.date:
        return self.campaign_starts_on + dt.timedelta(days=CAMPAIGN_DAYS - 1)

    @property
    def problems_from(self) -> dt.date:
        return self.month(PROBLEMS_FROM).replace(day=3)

    @property
    def start_event_on(self) -> dt.date:
        return self.month(START_EVENT).replace(day=START_EVENT_DAY)

    @property
    def start_event_quarter(self) -> str:
        return QUARTERS[(self.start_event_on.month - 1) // 3]

    @property
    def roadmap_target_on(self) -> dt.date:
        return month_end(self.month(ROADMAP_TARGET))
