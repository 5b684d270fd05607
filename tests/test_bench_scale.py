"""The analytics bench's replicated copy (`bench/_analytics_scale.py`): K replicas of the written history show K
times its counts with the same durations, so the pages measured on it read the issue's size with the history's
shape."""

from __future__ import annotations

import datetime as dt

import pytest

from bench._analytics_scale import copy_replicated
from onewindow import clock
from onewindow.analytics.facts import store
from onewindow.analytics.facts.services import facts_refresh
from onewindow.analytics.figures.selectors import Filters, Period
from onewindow.analytics.figures.tables import operations_for
from onewindow.analytics.history.write import history_write
from onewindow.analytics.tests.history_district import history_district
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import staff

pytestmark = pytest.mark.django_db


def test_three_replicas_triple_the_counts_and_keep_the_durations(settings, tmp_path):
    settings.ANALYTICS_FACTS_DIR = tmp_path / "facts"
    home, _bundle, _matters = history_district()
    history_write(200, seed=5)
    supervisor = staff(Role.SUPERVISOR, home)
    today = clock.today()
    filters = Filters(Period(today - dt.timedelta(days=365), today))
    facts_refresh()
    once = operations_for(supervisor, filters).tables[0].rows[0]
    cases = store.current().cases

    rows = copy_replicated(3)

    thrice = operations_for(supervisor, filters).tables[0].rows[0]
    assert rows["cases"] == store.current().cases == 3 * cases
    assert once["count"] > 20
    assert thrice["count"] == 3 * once["count"]
    assert thrice["corrections"] == 3 * once["corrections"]
    assert (thrice["total_p50"], thrice["total_p90"], thrice["on_time_rate"]) == (
        once["total_p50"],
        once["total_p90"],
        once["on_time_rate"],
    )
