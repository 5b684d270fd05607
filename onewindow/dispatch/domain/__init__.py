"""Pure rules of dispatch (调度): reporting cycles and their cut-offs, reports, photos, and problem
assignment with its three levels (三级调度). No Django here, no clock: `today` is always passed in.

Cycles (一旬一调度 / 月调度)
- A ten-day cycle has three cut-offs a month: the 10th, the 20th and the month's last day; its
  periods are the 1st–10th, 11th–20th and 21st–last day.
- A monthly cycle has one cut-off a month on its cut-off day; a month shorter than that day uses
  its last day (a cut-off of the 30th falls on 28 or 29 February). A period runs from the day after
  the previous cut-off to its own cut-off, so with the 25th, March's period is 26 February–25 March.
- A report is due by the end of its cut-off day; one submitted later is late. A reminder goes out
  `remind_days_before` days before the cut-off.
- A period belongs to the month (and the year) of its cut-off: the year to date of a report is the
  sum of the amounts of the same year's periods up to and including its own.

Problems (问题交办)
- A problem is raised at the district level (a city-level project may start at the city department
  level), assigned to a unit with a deadline, answered by the unit, then confirmed (closed) or
  returned (open again) by the project side.
- An open problem past its deadline escalates one level: district → city department → city leader,
  with a new unit and a new deadline. The automatic job chooses the unit by `escalation_unit`; the
  city's key-project office may escalate by hand and choose the unit itself.
- A problem counts as closed on time for a deadline (an assignment) when it was closed with an answer
  given on or before that deadline while still at that level (`closed_on_time`).
"""

from __future__ import annotations

from onewindow.dispatch.domain.cycles import (
    CYCLE_KIND_LABELS,
    ONE_DAY,
    Cycle,
    CycleKind,
    NotACutoff,
    Period,
    check_cycle,
    cutoff_to_remind,
    cutoffs_between,
    cutoffs_in_month,
    cycle_for_region,
    is_cutoff,
    is_late,
    last_day_of_month,
    latest_passed_cutoff,
    next_cutoff,
    period_ending,
    period_of,
    previous_cutoff,
    region_ancestry,
    reminder_on,
)
from onewindow.dispatch.domain.problems import (
    ESCALATION,
    PROBLEM_ACTION_LABELS,
    PROBLEM_CATEGORY_LABELS,
    PROBLEM_LEVEL_LABELS,
    PROBLEM_STATUS_LABELS,
    PROBLEM_TRANSITIONS,
    ProblemAction,
    ProblemCategory,
    ProblemLevel,
    ProblemStatus,
    ProblemTransitionNotAllowed,
    check_due_on,
    closed_on_time,
    escalation_unit,
    initial_levels,
    is_overdue,
    next_level,
    next_problem_status,
    problem_due_on,
    should_escalate,
)
from onewindow.dispatch.domain.reports import (
    MAX_AMOUNT,
    MAX_COUNT,
    MAX_TEXT,
    PHOTO_MAX_BYTES,
    PHOTO_TYPES,
    PHOTOS_PER_REPORT,
    REPORTING_PHASES,
    InvalidValue,
    missing_reports,
    parse_amount,
    parse_count,
    photo_kind,
    photo_problem,
    year_to_date,
)

__all__ = [
    "CYCLE_KIND_LABELS",
    "ESCALATION",
    "MAX_AMOUNT",
    "MAX_COUNT",
    "MAX_TEXT",
    "ONE_DAY",
    "PHOTOS_PER_REPORT",
    "PHOTO_MAX_BYTES",
    "PHOTO_TYPES",
    "PROBLEM_ACTION_LABELS",
    "PROBLEM_CATEGORY_LABELS",
    "PROBLEM_LEVEL_LABELS",
    "PROBLEM_STATUS_LABELS",
    "PROBLEM_TRANSITIONS",
    "REPORTING_PHASES",
    "Cycle",
    "CycleKind",
    "InvalidValue",
    "NotACutoff",
    "Period",
    "ProblemAction",
    "ProblemCategory",
    "ProblemLevel",
    "ProblemStatus",
    "ProblemTransitionNotAllowed",
    "check_cycle",
    "check_due_on",
    "closed_on_time",
    "cutoff_to_remind",
    "cutoffs_between",
    "cutoffs_in_month",
    "cycle_for_region",
    "escalation_unit",
    "initial_levels",
    "is_cutoff",
    "is_late",
    "is_overdue",
    "last_day_of_month",
    "latest_passed_cutoff",
    "missing_reports",
    "next_cutoff",
    "next_level",
    "next_problem_status",
    "parse_amount",
    "parse_count",
    "period_ending",
    "period_of",
    "photo_kind",
    "photo_problem",
    "previous_cutoff",
    "problem_due_on",
    "region_ancestry",
    "reminder_on",
    "should_escalate",
    "year_to_date",
]
