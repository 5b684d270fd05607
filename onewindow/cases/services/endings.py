"""What other apps do when a case ends: they register here, cases never imports them.

A case ends when it is completed (办结, approved or not, on commitment too), refused (不予受理),
withdrawn (撤回) or revoked (撤销). `case_move` calls every listener inside the transaction that ended
the case, under the case lock, after the step's timeline row and audit event: a listener writes its own
rows (with their audit events) in the same transaction, so a failing listener undoes the step, and it
leaves slow work (a PDF, an SMS) to a task enqueued on commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from onewindow.cases.domain import CaseStatus
from onewindow.cases.models import Case
from onewindow.orgs.models import User

ENDED_STATUSES = frozenset({CaseStatus.COMPLETED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN, CaseStatus.REVOKED})


@dataclass(frozen=True)
class CaseEnding:
    case: Case
    status: CaseStatus  # one of ENDED_STATUSES
    actor: User | None


Listener = Callable[[CaseEnding], None]
_listeners: list[Listener] = []


def on_case_end(listener: Listener) -> Listener:
    """Register `listener` (from an app's `ready()`); registering it twice keeps one."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def case_ended(ending: CaseEnding) -> None:
    for listener in _listeners:
        listener(ending)
