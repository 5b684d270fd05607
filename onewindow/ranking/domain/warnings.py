"""District warnings (预警): ranked last with the period target unmet, period after period.

A district's streak is the number of consecutive periods, ending with the latest one, in which it
was ranked last and missed its 序时 target; a month without a ranking breaks the streak, and so
does any period in which it was not last or met its target. With the default rules a streak of 2
gives a yellow warning, 3 a red one, 4 or more a recommendation of organisational handling (组织处理)
— one warning per district and period, at the level the streak has reached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from onewindow.ranking.domain.periods import is_previous
from onewindow.ranking.domain.rules import WarningLevel, WarningRules


@dataclass(frozen=True)
class Standing:
    period: dt.date
    is_last: bool
    target_met: bool

    @property
    def counts(self) -> bool:
        return self.is_last and not self.target_met


def last_unmet_streak(history: Sequence[Standing]) -> int:
    """Consecutive counting periods at the end of `history` (ordered by period, oldest first)."""
    if any(earlier.period >= later.period for earlier, later in pairwise(history)):
        raise ValueError("history must be ordered by period, oldest first, one standing per period")
    streak = 0
    later: Standing | None = None
    for standing in reversed(history):
        if not standing.counts or (later is not None and not is_previous(standing.period, later.period)):
            break
        streak += 1
        later = standing
    return streak


def warning_level(streak: int, rules: WarningRules) -> WarningLevel | None:
    if streak >= rules.organisational_after:
        return WarningLevel.ORGANISATIONAL
    if streak >= rules.red_after:
        return WarningLevel.RED
    if streak >= rules.yellow_after:
        return WarningLevel.YELLOW
    return None


def next_streak(previous_streak: int, previous_period: dt.date | None, standing: Standing) -> int:
    """The streak after `standing`, from the streak stored with the period before it (same rule)."""
    if not standing.counts:
        return 0
    if previous_period is None or not is_previous(previous_period, standing.period):
        return 1
    return previous_streak + 1
