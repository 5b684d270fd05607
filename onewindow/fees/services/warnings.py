"""The bills' warning levels (效能监察): a bill still in its departments' checks turns yellow when at most
20 % of its working-day limit is left and red once overdue, like every other limit (`cases.domain`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from onewindow import clock
from onewindow.cases.domain import remaining_working_days, warning_level
from onewindow.fees.models import Bill, BillStatus
from onewindow.workdays.selectors import work_calendar


@transaction.atomic
def bill_warning_levels_refresh(*, today: dt.date | None = None) -> dict[str, int]:
    """Recompute `Bill.warning_level` of every bill in CHECKING; returns how many bills are at each level."""
    today = today or clock.today()
    calendar = work_calendar()
    counts = {"normal": 0, "yellow": 0, "red": 0}
    changed: dict[str, list[int]] = {"normal": [], "yellow": [], "red": []}
    rows = Bill.objects.filter(status=BillStatus.CHECKING).values_list("pk", "due_on", "limit_days", "warning_level")
    for pk, due_on, limit_days, current in rows.iterator(chunk_size=2000):
        level = str(warning_level(remaining_working_days(today, due_on, calendar), limit_days))
        counts[level] += 1
        if level != current:
            changed[level].append(pk)
    for level, pks in changed.items():
        if pks:
            Bill.objects.filter(pk__in=pks, status=BillStatus.CHECKING).update(warning_level=level)
    return counts
