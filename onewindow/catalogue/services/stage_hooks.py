"""What other apps keep on a bundle's stage (fees: the items it charges and how it collects them), carried to the
stage that takes its place: a new version's draft copies the stages of the version it is made from, and a draft
whose stages are edited writes them again. The stage of the same name carries over; the apps register here from
their `ready()`, catalogue never imports them (like `cases.services.stage_hooks`)."""

from __future__ import annotations

from collections.abc import Callable

from onewindow.catalogue.models import Stage
from onewindow.orgs.models import User

StageCarrier = Callable[[Stage, Stage, User | None], None]
_carriers: list[StageCarrier] = []


def on_stage_carried(carrier: StageCarrier) -> StageCarrier:
    """Register `carrier(source, stage, actor)`; registering it twice keeps one."""
    if carrier not in _carriers:
        _carriers.append(carrier)
    return carrier


def stage_carried(source: Stage, stage: Stage, actor: User | None) -> None:
    """Inside the transaction that writes `stage` in place of `source` (still there)."""
    for carrier in _carriers:
        carrier(source, stage, actor)
