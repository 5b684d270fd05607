"""Pure maths of the leaders' analysis (issue 17): a case's time split into its phases, percentiles, on-time
rates, the stopped days of a case, the department that ended a bundle stage. No Django, no clock.

- A decided case's time (calendar days, from timestamps in Asia/Shanghai): total = decided − submitted, split
  into intake (submitted → accepted, a correction's wait included), waiting (the days the review tasks'
  clocks stood still, every department's stops merged: the case is not handled while any of them waits),
  review (accepted → review finished, less the waiting) and the decision (review finished → decided). The
  four add up to the total.
- Percentiles by nearest rank: the p-th percentile of n sorted values is the value at rank ⌈p·n⌉ (1-based),
  always one of the measured values, the same on every database (computed here, never in SQL).
- A department's review time: its task opened → decided, less the task's own stopped days.
- On time: decided on or before the due date (the limit with its extensions and stops, as the case keeps it).
- A bundle stage's critical path: of the stage's decided review tasks, the one decided last ended the stage;
  its margin is how long after the one decided before it (0 for a stage of one task, which is not counted).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

DAY = 86400.0


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (0 < p ≤ 1) of `values`; None when there is none."""
    return _nearest_rank(sorted(values), p)


def _nearest_rank(ordered: Sequence[float], p: float) -> float | None:
    return ordered[max(math.ceil(p * len(ordered)), 1) - 1] if ordered else None


def share(part: float, whole: float) -> float | None:
    """part / whole, None when there is no whole."""
    return part / whole if whole else None


@dataclass(frozen=True)
class Spread:
    count: int
    p50: float | None
    p90: float | None


def spread(values: Sequence[float]) -> Spread:
    ordered = sorted(values)
    return Spread(len(ordered), _nearest_rank(ordered, 0.5), _nearest_rank(ordered, 0.9))


def days_between(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return max((end - start).total_seconds() / DAY, 0.0)


def stopped_days(stops: Iterable[tuple[dt.date, dt.date | None]], until: dt.date) -> int:
    """Calendar days within any stop (`first_on..last_on`, an open one until `until`), overlaps counted once."""
    spans = sorted((first, last if last is not None else until) for first, last in stops)
    total = 0
    current: tuple[dt.date, dt.date] | None = None
    for first, last in spans:
        if last < first:
            continue
        if current and first <= current[1] + dt.timedelta(days=1):
            current = (current[0], max(current[1], last))
            continue
        if current:
            total += (current[1] - current[0]).days + 1
        current = (first, last)
    if current:
        total += (current[1] - current[0]).days + 1
    return total


@dataclass(frozen=True)
class CaseTimes:
    """A decided case as the operations figures read it (local times)."""

    case: int
    subject: tuple[str, int]  # ("matter", matter id) or ("bundle", bundle id)
    region: int
    submitted_at: dt.datetime
    decided_at: dt.datetime
    accepted_at: dt.datetime | None
    review_finished_at: dt.datetime | None
    waiting_days: int
    due_on: dt.date | None
    extended: bool

    @property
    def total(self) -> float:
        return days_between(self.submitted_at, self.decided_at) or 0.0

    @property
    def intake(self) -> float:
        return days_between(self.submitted_at, self.accepted_at or self.decided_at) or 0.0

    @property
    def decision(self) -> float:
        return days_between(self.review_finished_at, self.decided_at) or 0.0

    @property
    def _reviewing(self) -> float:
        """Accepted → review finished (or decided), the waiting included."""
        if self.accepted_at is None:
            return 0.0
        return days_between(self.accepted_at, self.review_finished_at or self.decided_at) or 0.0

    @property
    def waiting(self) -> float:
        return float(min(self.waiting_days, self._reviewing))

    @property
    def review(self) -> float:
        return max(self._reviewing - self.waiting, 0.0)

    @property
    def on_time(self) -> bool | None:
        return None if self.due_on is None else self.decided_at.date() <= self.due_on


PHASES = ("intake", "review", "waiting", "decision", "total")


@dataclass(frozen=True)
class PhaseSpreads:
    count: int
    phases: dict[str, Spread]
    on_time: int
    with_due_date: int
    extended: int

    @property
    def on_time_rate(self) -> float | None:
        return share(self.on_time, self.with_due_date)


def phase_spreads(cases: Sequence[CaseTimes]) -> PhaseSpreads:
    due = [c for c in cases if c.on_time is not None]
    return PhaseSpreads(
        len(cases),
        {phase: spread([getattr(c, phase) for c in cases]) for phase in PHASES},
        sum(1 for c in due if c.on_time),
        len(due),
        sum(1 for c in cases if c.extended),
    )


def grouped(items: Iterable[Any], key: Callable[[Any], Hashable | None]) -> dict[Any, list[Any]]:
    """Items per key; a None key leaves the item out."""
    groups: dict[Any, list[Any]] = defaultdict(list)
    for item in items:
        if (k := key(item)) is not None:
            groups[k].append(item)
    return dict(groups)


# --- a department's review -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskTimes:
    """A review task as the figures read it (local times)."""

    case: int
    stage: int
    department: int
    opened_at: dt.datetime | None
    decided_at: dt.datetime | None
    due_on: dt.date
    extended: bool
    stopped_days: int = 0

    @property
    def days(self) -> float | None:
        """Opened → decided, less the days its own clock stood still."""
        elapsed = days_between(self.opened_at, self.decided_at)
        return None if elapsed is None else max(elapsed - self.stopped_days, 0.0)

    @property
    def on_time(self) -> bool | None:
        return None if self.decided_at is None else self.decided_at.date() <= self.due_on


@dataclass(frozen=True)
class StageEnd:
    case: int
    stage: int
    department: int  # the one decided last
    margin_days: float  # after the one decided before it


def stage_ends(tasks: Iterable[TaskTimes]) -> list[StageEnd]:
    """Per case and stage with at least two decided review tasks, whose decision ended it and by how much."""
    stages = grouped((t for t in tasks if t.decided_at is not None), lambda t: (t.case, t.stage))
    ends = []
    for (case, stage), members in sorted(stages.items()):
        if len(members) < 2:
            continue
        ordered = sorted(members, key=lambda t: (t.decided_at, t.department))
        last, before = ordered[-1], ordered[-2]
        ends.append(StageEnd(case, stage, last.department, days_between(before.decided_at, last.decided_at) or 0.0))
    return ends


@dataclass(frozen=True)
class StageMark:
    """What `finish_last` counts of a task: whether it is its department's first decided task in a stage shared
    by two or more (`stages_in`), and then, when that department's decision ended the stage, by how many days
    (`last`, `margin`)."""

    shared: bool = False
    margin_days: float | None = None


def stage_marks(tasks: Sequence[TaskTimes]) -> list[StageMark]:
    """`tasks`' marks, in their order: `finish_last` is then a count over the marked tasks (the columnar copy
    stores them, `facts.rows`)."""
    ends = {(e.case, e.stage): e for e in stage_ends(tasks)}
    seen: set[tuple[int, int, int]] = set()
    marks = []
    for t in tasks:
        end = ends.get((t.case, t.stage)) if t.decided_at is not None else None
        key = (t.department, t.case, t.stage)
        if end is None or key in seen:
            marks.append(StageMark())
            continue
        seen.add(key)
        marks.append(StageMark(True, end.margin_days if end.department == t.department else None))
    return marks


@dataclass(frozen=True)
class FinishLast:
    department: int
    stages_in: int  # multi-task stages the department took part in (decided)
    last: int  # of which it ended
    margin: Spread

    @property
    def rate(self) -> float | None:
        return share(self.last, self.stages_in)


def finish_last(tasks: Sequence[TaskTimes]) -> list[FinishLast]:
    """Per department: how often its decision ended a shared stage, and by how many days; most often first."""
    shared = grouped(
        [(t.department, mark) for t, mark in zip(tasks, stage_marks(tasks), strict=True) if mark.shared],
        lambda pair: pair[0],
    )
    rows = []
    for department, pairs in shared.items():
        margins = [mark.margin_days for _d, mark in pairs if mark.margin_days is not None]
        rows.append(FinishLast(department, len(pairs), len(margins), spread(margins)))
    return sorted(rows, key=lambda r: (-r.last, -(r.rate or 0), r.department))


# --- the figures of a period, whichever source read them ----------------------------------------------------

Subject = tuple[str, int]  # ("matter", matter id) or ("bundle", bundle id)


@dataclass(frozen=True)
class DemandCounts:
    """The cases submitted in the period, counted per grouping (a case counts once in each)."""

    channels: dict[str, int]
    matters: dict[int, int]
    bundles: dict[int, int]
    regions: dict[int, int]
    departments: dict[int, int]  # a bundle's case counts once for each of its matters' departments
    kinds: dict[str, int]
    hours: dict[int, int]  # Asia/Shanghai
    weekdays: dict[int, int]  # ISO, 1 = Monday
    months: dict[dt.date, int]  # the first day of the month


@dataclass(frozen=True)
class DepartmentTimes:
    """A department's decided review tasks: their review time and how many were on time or extended."""

    count: int
    times: Spread
    on_time: int
    with_on_time: int
    extended: int

    @property
    def on_time_rate(self) -> float | None:
        return share(self.on_time, self.with_on_time)


@dataclass(frozen=True)
class SlowCase:
    case: int
    subject: Subject
    total: float
    waiting: float
    on_time: bool | None


@dataclass(frozen=True)
class OperationsFigures:
    """The operations page's numbers: the decided cases' phases overall and per subject and region, the
    departments' review times, who finished stages last, the slowest cases; the submitted cases' corrections."""

    overall: PhaseSpreads
    by_subject: dict[Subject, PhaseSpreads]
    by_region: dict[int, PhaseSpreads]
    departments: dict[int, DepartmentTimes]
    finish_last: list[FinishLast]
    slowest: list[SlowCase]
    corrections: dict[Subject, tuple[int, int]]  # (cases with a notice, notices)
    submitted_by_subject: dict[Subject, int]
    materials: Counter[str]


def department_times(tasks: Sequence[TaskTimes]) -> dict[int, DepartmentTimes]:
    found = {}
    for department, members in grouped(tasks, lambda t: t.department).items():
        on_time = [t.on_time for t in members if t.on_time is not None]
        found[department] = DepartmentTimes(
            len(members),
            spread([d for t in members if (d := t.days) is not None]),
            sum(on_time),
            len(on_time),
            sum(t.extended for t in members),
        )
    return found


def slowest(cases: Sequence[CaseTimes], n: int) -> list[SlowCase]:
    """The n cases that took longest (the earlier case first on a tie)."""
    ordered = sorted(cases, key=lambda c: (-c.total, c.case))[:n]
    return [SlowCase(c.case, c.subject, c.total, c.waiting, c.on_time) for c in ordered]


def grouped_spreads(cases: Sequence[CaseTimes], key: Callable[[CaseTimes], Hashable | None]) -> dict[Any, PhaseSpreads]:
    return {k: phase_spreads(members) for k, members in grouped(cases, key).items()}


# --- corrections -----------------------------------------------------------------------------------------


def materials_named(notices: Iterable[list[dict[str, str]]]) -> Counter[str]:
    """How often each material is named in correction notices (once per notice); form fields left out."""
    counts: Counter[str] = Counter()
    for items in notices:
        counts.update(notice_materials(items))
    return counts


def notice_materials(items: Any) -> set[str]:
    """The materials one correction notice names (its items targeting a material: their labels)."""
    if not isinstance(items, list):
        return set()
    return {
        str(item.get("label") or item.get("target"))
        for item in items
        if isinstance(item, dict) and str(item.get("target", "")).startswith("material:")
    }
