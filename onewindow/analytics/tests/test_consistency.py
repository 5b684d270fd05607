"""The analysis agrees with the engine's own pages on the same history: the bottlenecks' open tasks and their
warning levels are the supervision board's, and the demand page counts every case submitted in the period."""

from __future__ import annotations

import pytest

from onewindow import clock
from onewindow.analytics.bottlenecks.tables import workload_for
from onewindow.analytics.figures import selectors
from onewindow.analytics.figures.tables import demand_for
from onewindow.analytics.tests.test_history_write import World, world  # noqa: F401 - the history fixture
from onewindow.cases.models import Case
from onewindow.cases.selectors import supervision_board

pytestmark = pytest.mark.django_db


def _year(user):
    period = selectors.period_of((clock.today().replace(year=clock.today().year - 1)).isoformat(), "", clock.today())
    return selectors.filters_of(user, period, None, None)


def test_the_workload_counts_the_boards_open_tasks_and_warnings(world: World) -> None:  # noqa: F811
    board = supervision_board(user=world.supervisor)
    rows = workload_for(world.supervisor, _year(world.supervisor)).tables[0].rows
    assert board.task_counts["total"] > 0
    for level in ("red", "yellow"):
        assert sum(int(r[level] or 0) for r in rows) == board.task_counts[level], level
    assert sum(int(r["open"] or 0) for r in rows) == board.task_counts["total"]


def test_the_demand_volume_is_every_case_submitted_in_the_period(world: World) -> None:  # noqa: F811
    filters = _year(world.supervisor)
    tables = {t.key: t for t in demand_for(world.supervisor, filters).tables}
    submitted = Case.objects.filter(region=world.home, submitted_at__date__gte=filters.period.first).exclude(
        submitted_at=None
    )
    assert tables["online_share"].rows[0]["total"] == submitted.count() == world.summary.cases
