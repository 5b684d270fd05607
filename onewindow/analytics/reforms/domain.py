"""Pure maths of the reform results (issue 17, 服务经济发展): before and after a dated reform, on the same matters
and bundles, computed from their cases. No Django, no clock (the headline's words are in `headline.py`).

- **Windows.** The cases submitted in a window before the effective date are compared with those submitted in an
  equally long window from it: by default three months each side, never reaching before the first case of the
  reform's matters nor past today (`reform_windows`), so both windows always have the same length.
- **Materials asked** (申请材料): the required materials of the version a case was filed under (a bundle's: the
  required materials of the matter versions it pinned, each key once); the mean per case.
- **Promised limit** (承诺时限): the matter version's promised limit in working days; a bundle's is, stage by
  stage, the longest promised limit of its matters, summed over its stages (the stages run one after another,
  the matters of a stage side by side); the mean per case.
- **Steps** (审批环节) of a decided case: the review tasks it went through plus the stages it went through (one
  department's review is one step, each stage's hand-over one more: two stages made one parallel stage save a
  step); the mean per decided case.
- **Days** (办理时间) of a decided case: submission → decision, in working days (the day of submission not
  counted, Art. 82) and in calendar days; nearest-rank P50/P90 (`figures.domain.percentile`).
- **Change** of a subject (a matter or a bundle): after against before, as a share of before. The **total**
  (合计) sums each subject's figures — one case of each matter and bundle — over the subjects known on both
  sides, so a shift in the mix of matters between the windows does not move it.
- **Headline**, in the seed's words, composed in `headline.py`: 减少申请材料X件（Y%）、审批环节减少Z%、
  承诺时限压减V%、办理时间提速W%.
"""

from __future__ import annotations

import calendar as months_calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from onewindow.analytics.figures.domain import percentile
from onewindow.workdays.domain import WorkCalendar, working_days_between

BEFORE, AFTER = "before", "after"
SIDES = (BEFORE, AFTER)
DEFAULT_MONTHS = 3
MAX_MONTHS = 12
DAY = 86400.0


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (earlier when negative), the month's last day where it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = months_calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Window:
    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def holds(self, day: dt.date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True)
class Windows:
    before: Window
    after: Window
    asked_days: int  # the length asked for (months before the effective date), before the data bounded it

    @property
    def days(self) -> int:
        return self.after.days

    @property
    def bounded(self) -> bool:
        return self.days < self.asked_days

    def side_of(self, day: dt.date) -> str | None:
        if self.before.holds(day):
            return BEFORE
        return AFTER if self.after.holds(day) else None


def reform_windows(effective_on: dt.date, months: int, today: dt.date, first_day: dt.date | None) -> Windows | None:
    """`months` before the effective date and as long from it, shortened alike to the days the data holds (the
    first case's day `first_day`, today); None when either side would be empty."""
    asked = (effective_on - add_months(effective_on, -months)).days
    room_after = (today - effective_on).days + 1
    room_before = (effective_on - first_day).days if first_day is not None else 0
    length = min(asked, room_after, room_before)
    if length < 1:
        return None
    before = Window(effective_on - dt.timedelta(days=length), effective_on - dt.timedelta(days=1))
    return Windows(before, Window(effective_on, effective_on + dt.timedelta(days=length - 1)), asked)


def bundle_promised_days(stages: Iterable[Iterable[int]]) -> int:
    """A bundle's promised limit: each stage's longest promised limit, summed over the stages."""
    return sum(max(limits, default=0) for limits in (list(s) for s in stages))


@dataclass(frozen=True)
class CaseFacts:
    """A case as the reform results read it (local times)."""

    case: int
    subject: tuple[str, int]  # ("matter", matter id) or ("bundle", bundle id)
    submitted_at: dt.datetime
    decided_at: dt.datetime | None  # None: not decided (yet, or refused, withdrawn)
    materials: int
    promised_days: int
    tasks: int  # review tasks
    stages: int  # stages with a review task

    @property
    def steps(self) -> int:
        return self.tasks + self.stages

    def working_days(self, calendar: WorkCalendar) -> int | None:
        if self.decided_at is None:
            return None
        return working_days_between(self.submitted_at.date(), self.decided_at.date(), calendar).working_days

    @property
    def calendar_days(self) -> float | None:
        if self.decided_at is None:
            return None
        return max((self.decided_at - self.submitted_at).total_seconds() / DAY, 0.0)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class Figures:
    cases: int
    decided: int
    materials: float | None  # mean per case
    promised_days: float | None  # mean per case
    steps: float | None  # mean per decided case
    working_p50: float | None
    working_p90: float | None
    calendar_p50: float | None


MEASURES = ("materials", "promised_days", "steps", "working_p50", "working_p90", "calendar_p50")


def figures_of(facts: Sequence[CaseFacts], calendar: WorkCalendar) -> Figures:
    decided = [f for f in facts if f.decided_at is not None]
    working = [float(d) for f in decided if (d := f.working_days(calendar)) is not None]
    calendar_days = [c for f in decided if (c := f.calendar_days) is not None]
    return Figures(
        cases=len(facts),
        decided=len(decided),
        materials=_mean([f.materials for f in facts]),
        promised_days=_mean([f.promised_days for f in facts]),
        steps=_mean([f.steps for f in decided]),
        working_p50=percentile(working, 0.5),
        working_p90=percentile(working, 0.9),
        calendar_p50=percentile(calendar_days, 0.5),
    )


def less_percent(before: float | None, after: float | None) -> float | None:
    """How much lower after is than before, as a percentage of before (negative: higher)."""
    if before is None or after is None or before == 0:
        return None
    return (before - after) / before * 100


@dataclass(frozen=True)
class Change:
    before: Figures
    after: Figures

    @property
    def materials_fewer(self) -> float | None:
        b, a = self.before.materials, self.after.materials
        return None if b is None or a is None else b - a

    @property
    def materials_percent(self) -> float | None:
        return less_percent(self.before.materials, self.after.materials)

    @property
    def promised_percent(self) -> float | None:
        return less_percent(self.before.promised_days, self.after.promised_days)

    @property
    def steps_percent(self) -> float | None:
        return less_percent(self.before.steps, self.after.steps)

    @property
    def faster_percent(self) -> float | None:
        """How much shorter the median working days are."""
        return less_percent(self.before.working_p50, self.after.working_p50)


def change_of(before: Sequence[CaseFacts], after: Sequence[CaseFacts], calendar: WorkCalendar) -> Change:
    return Change(figures_of(before, calendar), figures_of(after, calendar))


def basket(changes: Iterable[Change]) -> Change:
    """The total: each measure summed over the subjects where it is known on both sides (cases and decided
    cases over all)."""
    rows = list(changes)
    sums: dict[str, dict[str, float | None]] = {BEFORE: {}, AFTER: {}}
    for measure in MEASURES:
        known = [c for c in rows if getattr(c.before, measure) is not None and getattr(c.after, measure) is not None]
        for name in SIDES:
            values = [getattr(getattr(c, name), measure) for c in known]
            sums[name][measure] = sum(values) if values else None

    def total(name: str) -> Figures:
        counted: list[Figures] = [getattr(c, name) for c in rows]
        return Figures(
            cases=sum(f.cases for f in counted),
            decided=sum(f.decided for f in counted),
            materials=sums[name]["materials"],
            promised_days=sums[name]["promised_days"],
            steps=sums[name]["steps"],
            working_p50=sums[name]["working_p50"],
            working_p90=sums[name]["working_p90"],
            calendar_p50=sums[name]["calendar_p50"],
        )

    return Change(total(BEFORE), total(AFTER))


def number_text(value: float) -> str:
    """One decimal at most, without a trailing zero: 12.5, 40, 0.3."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"
