"""Intake (Art. 32): the 5-working-day limit, acceptance in law when it passes, and the case number."""

from __future__ import annotations

import datetime as dt

from onewindow.cases.domain.limits import INTAKE_LIMIT_DAYS
from onewindow.cases.domain.states import CaseAction, CaseStatus
from onewindow.errors import Conflict
from onewindow.workdays.domain import WorkCalendar, add_working_days


def intake_due_on(received_on: dt.date, calendar: WorkCalendar) -> dt.date:
    """The last day to accept, refuse or send the one-time correction notice (Art. 32)."""
    return add_working_days(received_on, INTAKE_LIMIT_DAYS, calendar).on


def is_deemed_accepted(received_on: dt.date, today: dt.date, calendar: WorkCalendar) -> bool:
    """No notice within 5 working days: the case counts as accepted from the day materials arrived."""
    return today > intake_due_on(received_on, calendar)


class IntakeLimitPassed(Conflict):
    code = "intake_limit_passed"


def deemed_accepted_on(
    status: CaseStatus, received_on: dt.date | None, today: dt.date, calendar: WorkCalendar
) -> dt.date | None:
    """Art. 32 whenever anyone acts or looks: a submitted case whose 5 working days passed without a
    decision is accepted in law from the day its materials arrived. That day, or None while the
    clerk still has time (or the case is not waiting for the intake decision)."""
    if status != CaseStatus.SUBMITTED or received_on is None:
        return None
    return received_on if is_deemed_accepted(received_on, today, calendar) else None


# What an intake step becomes once the limit has passed: any acceptance is recorded as deemed.
ACCEPTANCES = frozenset({CaseAction.ACCEPT, CaseAction.ACCEPT_WITH_DEFERRAL, CaseAction.ACCEPT_DEEMED})


def intake_action_after_limit(action: CaseAction, *, received_on: dt.date, calendar: WorkCalendar) -> CaseAction:
    """Past the limit the clerk can only accept, and the acceptance is the deemed one (Art. 32); a
    correction notice, a refusal or an approval on commitment can no longer be given."""
    if action in ACCEPTANCES:
        return CaseAction.ACCEPT_DEEMED
    raise IntakeLimitPassed(
        f"受理期限（{intake_due_on(received_on, calendar):%Y-%m-%d}）已过：依《行政许可法》第三十二条，"
        f"本件自收到申请材料之日（{received_on:%Y-%m-%d}）起即为受理，"
        "不能再一次性告知补正、不予受理或告知承诺，只能办理受理"
    )


def deemed_acceptance_note(received_on: dt.date, calendar: WorkCalendar) -> str:
    return (
        f"受理期限 {intake_due_on(received_on, calendar):%Y-%m-%d} 届满未作处理，依《行政许可法》第三十二条，"
        f"视为自收到申请材料之日（{received_on:%Y-%m-%d}）起受理"
    )


def case_number(region_code: str, on: dt.date, sequence: int) -> str:
    """Readable and unique: region code, date, and the day's sequence in that region."""
    return f"{region_code}-{on:%Y%m%d}-{sequence:05d}"
