"""The columnar copy (`analytics.facts`, docs/adr/0005): on written history and on the figures' hand-made world,
the pages read from the copy show exactly the numbers they show from the operational tables; a case changed
after the refresh is counted as it is now; a copy of another database or schema is never read."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest

from onewindow import clock
from onewindow.analytics.bottlenecks.selectors import WhatIfAsk
from onewindow.analytics.bottlenecks.tables import what_if_for, workload_for
from onewindow.analytics.facts import schema, store
from onewindow.analytics.facts.services import facts_refresh
from onewindow.analytics.figures.domain import percentile
from onewindow.analytics.figures.selectors import Filters, Period
from onewindow.analytics.figures.tables import demand_for, operations_for, overview_for
from onewindow.analytics.forecast.tables import forecast_for
from onewindow.analytics.history.write import history_write
from onewindow.analytics.report.domain import previous_month
from onewindow.analytics.report.selectors import BUSINESS_START_BUNDLE
from onewindow.analytics.report.tables import report_for
from onewindow.analytics.tests.figures_world import World, build
from onewindow.analytics.tests.history_district import history_district
from onewindow.cases.models import Case, Task
from onewindow.cases.services import review
from onewindow.cases.services.intake import case_accept
from onewindow.cases.tests.factories import (
    clerk_for,
    reviewer_for,
)
from onewindow.catalogue.models import Bundle
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation
from onewindow.orgs.tests.factories import staff

pytestmark = pytest.mark.django_db
MARCH = Filters(Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)))


@pytest.fixture(autouse=True)
def facts_dir(settings, tmp_path):
    settings.ANALYTICS_FACTS_DIR = tmp_path / "facts"
    return settings.ANALYTICS_FACTS_DIR


def tables(analysis):
    """Each table's rows, each cell's link to the cases behind it beside it (`<column>_cases`)."""
    return {
        t.key: [
            row | {f"{column}_cases": url for column, url in t.links[index].items()} if index < len(t.links) else row
            for index, row in enumerate(t.rows)
        ]
        for t in analysis.tables
    }


def both(read, *args):
    """What `read` shows from the operational tables, then from a fresh copy."""
    assert store.current() is None
    live = tables(read(*args))
    facts_refresh()
    assert store.current() is not None
    return live, tables(read(*args))


def history(cases: int):
    home, _bundle, _matters = history_district()
    assert history_write(cases, seed=11).cases == cases
    return home, staff(Role.SUPERVISOR, home)


@pytest.mark.parametrize("days", [90, 366])
def test_the_copy_shows_the_numbers_of_the_operational_tables_on_a_written_history(days):
    _home, supervisor = history(400)
    today = clock.today()
    filters = Filters(Period(today - dt.timedelta(days=days - 1), today))
    live_demand = tables(demand_for(supervisor, filters))
    live_overview = tables(overview_for(supervisor, filters))
    live_workload = tables(workload_for(supervisor, filters))
    bundle = Bundle.objects.get(code=BUSINESS_START_BUNDLE)
    asks = [WhatIfAsk(bundle, department, 2) for department in Organisation.objects.filter(kind="department")]
    live_what_if = [tables(what_if_for(supervisor, filters, ask)[0]) for ask in asks]
    live, copied = both(operations_for, supervisor, filters)
    assert copied == live
    assert tables(demand_for(supervisor, filters)) == live_demand
    assert tables(overview_for(supervisor, filters)) == live_overview
    assert live_overview == {key: (live | live_demand)[key] for key in live_overview}  # the pages' own rows
    assert tables(workload_for(supervisor, filters)) == live_workload
    assert [tables(what_if_for(supervisor, filters, ask)[0]) for ask in asks] == live_what_if
    assert any(t["what_if_summary"][0]["affected"] for t in live_what_if)
    assert sum(r["decided"] for r in live_workload["workload_by_department"]) > 50
    assert live["summary"][0]["count"] > 50
    assert live["finish_last"]  # the bundle's parallel stages


def test_the_forecast_and_the_report_read_the_same_numbers_from_the_copy():
    _home, supervisor = history(300)
    completed = list(Case.objects.filter(status="completed").order_by("pk").values_list("pk", flat=True))
    Case.objects.filter(pk__in=completed[::9]).update(is_green_channel=True)  # the report's green channel
    today = clock.today()
    month = previous_month(today.replace(day=1))

    def read():
        forecast = forecast_for(supervisor, today, None, None)
        report = report_for(supervisor, *month)
        return [{t.key: t.rows for t in forecast.tables}, report.headline, {t.key: t.rows for t in report.tables}]

    live = read()
    facts_refresh()
    assert read() == live
    assert live[0]["history"] and sum(r["count"] for r in live[0]["history"]) > 0
    economy = live[2]
    assert economy["green_channel"] and economy["setups_by_month"]


def test_the_copy_shows_the_numbers_of_the_hand_made_world_and_its_filters(time_machine):
    world: World = build(time_machine)
    department_filter = Filters(MARCH.period, department=world.department)
    region_filter = Filters(MARCH.period, region=world.home)
    reads = [
        (demand_for, world.leader, MARCH),
        (operations_for, world.leader, MARCH),
        (operations_for, world.other_leader, MARCH),
        (operations_for, world.leader, department_filter),
        (demand_for, world.leader, region_filter),
    ]
    live = [tables(read(*args)) for read, *args in reads]
    facts_refresh()
    assert [tables(read(*args)) for read, *args in reads] == live


def test_a_case_decided_after_the_refresh_is_counted_as_it_is_now(time_machine, settings, tmp_path):
    world: World = build(time_machine)
    facts_refresh()
    assert tables(operations_for(world.leader, MARCH))["summary"][0]["count"] == 3
    case_accept(actor=clerk_for(world.open_case.region), case=world.open_case)
    task = Task.objects.get(case=world.open_case)
    review.task_approve(actor=reviewer_for(task.department), task=task)
    copied = [tables(operations_for(world.leader, MARCH)), tables(demand_for(world.leader, MARCH))]
    assert copied[0]["summary"][0]["count"] == 4
    settings.ANALYTICS_FACTS_DIR = tmp_path / "none"  # no copy: the operational tables
    assert [tables(operations_for(world.leader, MARCH)), tables(demand_for(world.leader, MARCH))] == copied


def test_a_copy_of_another_database_or_schema_is_not_read(time_machine, facts_dir):
    world: World = build(time_machine)
    info = facts_refresh()
    assert store.current() == info
    current = facts_dir / store.CURRENT
    written = json.loads(current.read_text())
    current.write_text(json.dumps(written | {"database": "postgresql:elsewhere:5432:onewindow"}))
    assert store.current() is None
    current.write_text(json.dumps(written | {"version": schema.VERSION + 1}))
    assert store.current() is None
    assert tables(demand_for(world.leader, MARCH))["online_share"][0]["total"] == 4


def test_only_two_copies_are_kept(time_machine, facts_dir):
    build(time_machine)
    names = [facts_refresh().name for _n in range(3)]
    kept = {p.name for p in facts_dir.iterdir() if p.is_dir()}
    assert kept == set(names[1:])


def test_duckdb_quantile_disc_is_the_nearest_rank_percentile():
    con = store.duckdb_connect()
    con.execute("CREATE TABLE t AS SELECT g, x FROM range(1, 301) r(g), range(1, 301) s(x) WHERE x <= g")
    rows = con.execute("SELECT g, quantile_disc(x, [0.5, 0.9]) FROM t GROUP BY g").fetchall()
    for n, (p50, p90) in rows:
        values = [float(x) for x in range(1, n + 1)]
        assert (p50, p90) == (percentile(values, 0.5), percentile(values, 0.9)), n
        assert p90 == math.ceil(0.9 * n)
