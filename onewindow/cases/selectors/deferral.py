"""What a case still owes after 容缺受理, for its pages and the API: each material deferred at
acceptance and not handed in, its due date, and whether it is overdue (from the date, so a page
flags it before the periodic job has recorded it). Callers pass a case they may see already
(`selectors.case_get_for_user` and the like); a withdrawn or refused case owes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from onewindow.cases.domain import OWING_STATUSES
from onewindow.cases.models import Case, CaseMaterial


@dataclass(frozen=True)
class OwedRow:
    material: CaseMaterial
    due_on: dt.date
    is_overdue: bool
    overdue_days: int  # calendar days past the due date


def owed_rows(case: Case, materials: Iterable[CaseMaterial], *, today: dt.date | None = None) -> list[OwedRow]:
    """The owed materials among `materials` (rows of `case` the caller read already), earliest due first."""
    if case.status not in OWING_STATUSES:
        return []
    today = today or timezone.localdate()
    rows = [
        OwedRow(m, m.deferred_due_on, today > m.deferred_due_on, max(0, (today - m.deferred_due_on).days))
        for m in materials
        if m.deferred_due_on is not None and not m.file
    ]
    return sorted(rows, key=lambda row: (row.due_on, row.material.pk))


def case_owed_rows(case: Case) -> list[OwedRow]:
    """The case's owed materials (one query)."""
    return owed_rows(case, case.materials.filter(file="", deferred_due_on__isnull=False))
