"""What other apps do when a stage opens, and what may hold a stage: they register here, cases never
imports them (like `endings`).

- A **stage listener** runs inside the transaction that opened the stage, under the case lock, after the
  stage's tasks are written (fees opens the stage's bill there). It writes its own rows with their audit
  events; a failing listener undoes the step.
- A **stage gate** says why a stage whose every review task is approved may not end yet (fees: the bill
  is not paid and the stage waits for payment), or "" when it may. The join asks every gate; when one
  holds the stage, the case waits in review, and the app that held it calls `review.stage_release` once
  the reason is gone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from onewindow.cases.models import Case, Task
from onewindow.cases.services.locking import LockedCase
from onewindow.orgs.models import User


@dataclass(frozen=True)
class StageOpening:
    locked: LockedCase
    stage: int
    on: dt.date
    tasks: list[Task]
    actor: User | None


StageListener = Callable[[StageOpening], None]
StageGate = Callable[[Case, int], str]
_listeners: list[StageListener] = []
_gates: list[StageGate] = []


def on_stage_open(listener: StageListener) -> StageListener:
    """Register `listener` (from an app's `ready()`); registering it twice keeps one."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def stage_gate(gate: StageGate) -> StageGate:
    """Register `gate` (from an app's `ready()`); registering it twice keeps one."""
    if gate not in _gates:
        _gates.append(gate)
    return gate


def stage_opened(opening: StageOpening) -> None:
    for listener in _listeners:
        listener(opening)


def stage_held(case: Case, stage: int) -> str:
    """Why the stage may not end yet ("" when nothing holds it): the first gate's reason."""
    for gate in _gates:
        reason = gate(case, stage)
        if reason:
            return reason
    return ""
