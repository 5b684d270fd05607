"""容缺受理's follow-through (local rules, not an article of the law): what is owed, the reminders, and
the approval that waits for an overdue material."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from onewindow.cases.domain.states import OPEN_CASE_STATUSES, CaseStatus
from onewindow.errors import Conflict
from onewindow.workdays.domain import WorkCalendar, subtract_working_days

# A deferred material may still be handed in, and is still owed, while the case is open or once decided.
OWING_STATUSES = frozenset(OPEN_CASE_STATUSES | {CaseStatus.COMPLETED})

DEFERRED_REMINDER_DAYS = (3, 1)  # the applicant is reminded this many working days before the due date

REMINDER_HORIZON_DAYS = 31  # no reminder day lies further ahead (the longest holidays last about nine days)


@dataclass(frozen=True)
class OwedMaterial:
    """A material deferred at acceptance (容缺) and not handed in yet."""

    key: str
    name: str
    due_on: dt.date

    def is_overdue(self, today: dt.date) -> bool:
        """Due by the end of its due day."""
        return today > self.due_on


class DeferredMaterialOverdue(Conflict):
    code = "deferred_material_overdue"


def deferred_reminder_on(due_on: dt.date, today: dt.date, calendar: WorkCalendar) -> dt.date | None:
    """The reminder day whose reminder is due today: the latest reminder day on or before today, up to
    the due date itself, so that a reminder missed while the job was down still goes out in time."""
    if today > due_on or (due_on - today).days > REMINDER_HORIZON_DAYS:
        return None
    days = [subtract_working_days(due_on, n, calendar).on for n in DEFERRED_REMINDER_DAYS]
    return max((day for day in days if day <= today), default=None)


def require_no_overdue_deferral(owed: Iterable[OwedMaterial], today: dt.date) -> None:
    """An approval waits for every deferred material it depends on that is overdue (`owed`: those)."""
    overdue = sorted((m for m in owed if m.is_overdue(today)), key=lambda m: (m.due_on, m.key))
    if overdue:
        listed = "、".join(f"“{m.name}”（补交期限 {m.due_on:%Y-%m-%d}）" for m in overdue)
        raise DeferredMaterialOverdue(
            f"容缺材料{listed}逾期未补交，不能作出准予许可的决定：请待申请人补交后再决定，或作出不予许可的决定"
        )
