"""The figures of a period from the columnar copy (DuckDB): the same numbers as `figures.selectors` computes
from the operational tables, grouped and ranked in SQL. Percentiles are DuckDB's `quantile_disc`, which picks
the value at rank ⌈p·n⌉ of the n sorted values as `figures.domain.percentile` does (nearest rank; checked by
`tests/test_facts.py`). Durations were computed when the copy was written (`facts.rows`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np

from onewindow.analytics.bottlenecks.domain import DecidedLoad
from onewindow.analytics.bottlenecks.positions import Days
from onewindow.analytics.bottlenecks.replay import ReplayColumns, TaskStops, columns
from onewindow.analytics.figures.domain import (
    PHASES,
    DemandCounts,
    DepartmentTimes,
    FinishLast,
    OperationsFigures,
    PhaseSpreads,
    SlowCase,
    Spread,
    Subject,
)
from onewindow.analytics.figures.selectors import CaseScope

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

BUNDLE = "bundle"  # a bundle's case has no matter category (forecast.selectors.BUNDLE)


def scope_load(con: DuckDBPyConnection, scope: CaseScope) -> None:
    """Views `submitted` and `decided`: the cases in scope and filters submitted, or decided, in the period
    (`figures.selectors.cases_in`), and `decided_tasks`, the decided cases' decided review tasks. Views, not
    tables: each query reads the Parquet columns it needs, the period's row groups only (the files are sorted by
    submission). The scope's test is left out when every case's region is visible (a city's leader)."""
    where = []
    regions = {row[0] for row in con.execute("SELECT DISTINCT region_id FROM cases").fetchall()}
    if not regions <= set(scope.visible):
        visible = _ids(scope.visible)
        where.append(f"(region_id IN {visible} OR list_has_any(task_departments, {_list(scope.visible)}))")
    if scope.regions is not None:
        where.append(f"region_id IN {_ids(scope.regions)}")
    if scope.departments is not None:
        where.append(f"list_has_any(departments, {_list(scope.departments)})")
    scoped = " AND ".join(where) or "true"
    start, end = _timestamp(scope.start), _timestamp(scope.end)
    con.execute(f"CREATE TEMP VIEW scoped AS SELECT * FROM cases WHERE {scoped}")  # noqa: S608 - ids and fixed text
    con.execute(
        f"CREATE TEMP VIEW submitted AS SELECT * FROM scoped WHERE submitted_at >= {start} AND submitted_at < {end}"  # noqa: S608
    )
    con.execute(
        "CREATE TEMP VIEW decided AS SELECT * FROM scoped WHERE status = 'completed' AND total IS NOT NULL "  # noqa: S608
        f"AND completed_at >= {start} AND completed_at < {end}"
    )
    if where:
        con.execute("CREATE TEMP TABLE decided_ids AS SELECT id FROM decided")
        con.execute(
            "CREATE TEMP VIEW decided_tasks AS SELECT * FROM tasks WHERE case_id IN (SELECT id FROM decided_ids)"
        )
    else:  # every case in scope: the tasks' own copy of their case's completion is enough
        con.execute(
            "CREATE TEMP VIEW decided_tasks AS SELECT * FROM tasks "  # noqa: S608 - timestamps
            f"WHERE completed_at >= {start} AND completed_at < {end}"
        )


def _ids(ids: list[int]) -> str:
    """An SQL list of integers (ids from the database: nothing typed by a user reaches it)."""
    return "(" + ", ".join(str(int(i)) for i in ids) + ")" if ids else "(NULL)"


def _list(ids: list[int]) -> str:
    return "[" + ", ".join(str(int(i)) for i in ids) + "]::BIGINT[]"


def _timestamp(at: dt.datetime) -> str:
    return f"TIMESTAMPTZ '{at.isoformat()}'"


def reviews_load(con: DuckDBPyConnection, scope: CaseScope) -> None:
    """View `reviewed`: the review tasks decided in the period whose department is visible, of the cases
    received in the region filter's subtree, of the department filter's subtree (`bottlenecks.selectors`). A view:
    the loads read the three columns they count in one pass over the period's rows."""
    where = [
        f"department_id IN {_ids(scope.visible)}",
        f"decided_at >= {_timestamp(scope.start)}",
        f"decided_at < {_timestamp(scope.end)}",
    ]
    if scope.regions is not None:
        where.append(f"region_id IN {_ids(scope.regions)}")
    if scope.departments is not None:
        where.append(f"department_id IN {_ids(scope.departments)}")
    con.execute(
        "CREATE TEMP VIEW reviewed AS SELECT department_id, assignee_id, review_days FROM reviews "  # noqa: S608
        f"WHERE {' AND '.join(where)}"
    )


def review_loads(
    con: DuckDBPyConnection,
) -> tuple[dict[tuple[int, int | None], DecidedLoad], dict[int, DecidedLoad]]:
    """Per (department, reviewer) and per department: the decided tasks and their median review time."""
    rows = con.execute(
        "SELECT GROUPING(department_id, assignee_id), department_id, assignee_id, count(*), median(review_days) "
        "FROM reviewed GROUP BY GROUPING SETS ((department_id, assignee_id), (department_id))"
    ).fetchall()
    reviewers: dict[tuple[int, int | None], DecidedLoad] = {}
    departments: dict[int, DecidedLoad] = {}
    for level, department, assignee, count, middle in rows:
        load = DecidedLoad(int(count), None if middle is None else float(middle))
        if level == 0:
            reviewers[(department, assignee)] = load
        else:
            departments[department] = load
    return reviewers, departments


def _counts(con: DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None) -> dict[Any, int]:
    return {key: int(n) for key, n in con.execute(sql, params).fetchall()}


# --- demand ---------------------------------------------------------------------------------------------------


def demand_counts(con: DuckDBPyConnection) -> DemandCounts:
    def by(column: str, source: str = "submitted") -> dict[Any, int]:
        sql = f"SELECT {column}, count(*) FROM {source} WHERE {column} IS NOT NULL GROUP BY 1"  # noqa: S608 - fixed
        return _counts(con, sql)

    return DemandCounts(
        channels=by("channel"),
        matters=by("matter_id"),
        bundles=by("bundle_id"),
        regions=by("region_id"),
        departments=_counts(con, "SELECT d, count(*) FROM (SELECT unnest(departments) AS d FROM submitted) GROUP BY 1"),
        kinds=by("applicant_kind"),
        hours=by("hour(submitted_local)"),
        weekdays=by("isodow(submitted_local)"),
        months=by("CAST(date_trunc('month', submitted_local) AS DATE)"),
    )


def submitted_count(con: DuckDBPyConnection) -> int:
    row = con.execute("SELECT count(*) FROM submitted").fetchone()
    return int(row[0]) if row else 0


def overview(con: DuckDBPyConnection) -> tuple[DemandCounts, OperationsFigures]:
    """The parts of both figures the overview shows: the volume by channel and month; the decided cases' phases
    overall, the departments' review times, who finished last, the correction notices."""
    demand = DemandCounts(
        channels=_counts(con, "SELECT channel, count(*) FROM submitted GROUP BY 1"),
        months=_counts(
            con, "SELECT CAST(date_trunc('month', submitted_local) AS DATE), count(*) FROM submitted GROUP BY 1"
        ),
        **{name: {} for name in ("matters", "bundles", "regions", "departments", "kinds", "hours", "weekdays")},
    )
    figures = OperationsFigures(
        overall=_phase_spreads(con, overall_only=True).get(("all", None), _empty_spreads()),
        by_subject={},
        by_region={},
        departments=_department_times(con),
        finish_last=_finish_last(con),
        slowest=[],
        corrections=_corrections(con),
        submitted_by_subject={},
        materials=Counter(),
    )
    return demand, figures


def daily_counts(con: DuckDBPyConnection) -> dict[dt.date, int]:
    return _counts(con, "SELECT CAST(submitted_local AS DATE), count(*) FROM submitted GROUP BY 1")


def category_counts(con: DuckDBPyConnection) -> dict[str, int]:
    return _counts(con, "SELECT coalesce(category, $bundle), count(*) FROM submitted GROUP BY 1", {"bundle": BUNDLE})


def decided_bundles(con: DuckDBPyConnection) -> list[int]:
    rows = con.execute("SELECT DISTINCT bundle_id FROM decided WHERE bundle_id IS NOT NULL ORDER BY 1").fetchall()
    return [int(bundle) for (bundle,) in rows]


def replay_cases(con: DuckDBPyConnection, bundle: int) -> ReplayColumns:
    """`bottlenecks.selectors.replay_cases` from the copy, as columns read straight into arrays: the bundle's cases
    decided in the period with their decided review tasks and (one row a stop) the tasks' own clock stops."""
    cases = con.execute(
        "SELECT id, CAST(timezone('Asia/Shanghai', completed_at) AS DATE) AS decided_on, due_on FROM decided "
        "WHERE bundle_id = $bundle ORDER BY id",
        {"bundle": bundle},
    ).fetchnumpy()
    con.execute(
        "CREATE OR REPLACE TEMP TABLE replayed AS SELECT row_number() OVER () - 1 AS row, case_id, stage, "
        "department_id, started_on, decided_on, stops_first, stops_last FROM reviews "
        "WHERE case_id IN (SELECT id FROM decided WHERE bundle_id = $bundle)",
        {"bundle": bundle},
    )
    tasks = con.execute(
        "SELECT case_id, stage, department_id, started_on, decided_on FROM replayed ORDER BY row"
    ).fetchnumpy()
    stops = con.execute(
        "SELECT row, unnest(stops_first) AS first_on, unnest(stops_last) AS last_on FROM replayed"
    ).fetchnumpy()
    return columns(
        case=cases["id"],
        decided=_days(cases["decided_on"]),
        due=_days(cases["due_on"]),
        task_case=tasks["case_id"],
        stage=tasks["stage"].astype(np.int64),
        department=tasks["department_id"],
        opened=_days(tasks["started_on"]),
        task_decided=_days(tasks["decided_on"]),
        stops=TaskStops(stops["row"], _days(stops["first_on"]), _days(stops["last_on"])),
    )


def _days(values: Any) -> Days:
    """A DATE column fetched into NumPy (a masked array where it has NULLs) as days, NaT for NULL."""
    return np.ma.filled(np.ma.asarray(values).astype("datetime64[D]"), np.datetime64("NaT", "D"))


def decided_rows(
    con: DuckDBPyConnection, *, matters: list[int] | None = None, bundles: list[int] | None = None, green: bool = False
) -> list[tuple[int, int | None, int | None, int, str, float, bool, str | None]]:
    """The decided cases (id, matter, bundle, region, month completed, days, green channel, industry) by id: of
    `matters` or `bundles`, or (`green`) of every matter or bundle with a green-channel case decided in the period.
    The days as `report.selectors.days_between` counts them (microseconds → seconds → days, never below zero)."""
    where = []
    if matters is not None:
        where.append(f"matter_id IN {_ids(matters)}")
    if bundles is not None:
        where.append(f"bundle_id IN {_ids(bundles)}")
    if green:
        where.append(
            "(matter_id IN (SELECT matter_id FROM decided WHERE is_green) "
            "OR bundle_id IN (SELECT bundle_id FROM decided WHERE is_green))"
        )
    sql = (
        "SELECT id, matter_id, bundle_id, region_id, strftime(timezone('Asia/Shanghai', completed_at), '%Y-%m'), "  # noqa: S608
        "greatest(CAST(date_diff('microsecond', submitted_at, completed_at) AS DOUBLE) / CAST(1000000 AS DOUBLE) "
        "/ CAST(86400 AS DOUBLE), CAST(0 AS DOUBLE)), is_green, industry FROM decided "
        f"WHERE {' OR '.join(where) or 'true'} ORDER BY id"
    )
    return [tuple(row) for row in con.execute(sql).fetchall()]


# --- operations -----------------------------------------------------------------------------------------------


def operations_figures(con: DuckDBPyConnection, slowest: int) -> OperationsFigures:
    spreads = _phase_spreads(con)
    return OperationsFigures(
        overall=spreads.get(("all", None), _empty_spreads()),
        by_subject={key: s for (level, key), s in spreads.items() if level == "subject"},
        by_region={key: s for (level, key), s in spreads.items() if level == "region"},
        departments=_department_times(con),
        finish_last=_finish_last(con),
        slowest=_slowest(con, slowest),
        corrections=_corrections(con),
        submitted_by_subject=_submitted_by_subject(con),
        materials=Counter(
            _counts(
                con,
                "SELECT label, count(*) FROM materials WHERE case_id IN (SELECT id FROM submitted) GROUP BY 1",
            )
        ),
    )


def _subject(matter: int | None, bundle: int | None) -> Subject:
    return ("matter", matter) if matter is not None else ("bundle", bundle)  # type: ignore[return-value]


def _spread(count: int, values: list[float] | None) -> Spread:
    p50, p90 = values if values is not None else (None, None)
    return Spread(count, p50, p90)


def _spread_tenths(count: int, values: list[int] | None) -> Spread:
    """A spread of durations kept in tenths of a day (`facts.schema.tenths`), in days."""
    p50, p90 = values if values is not None else (None, None)
    return Spread(count, None if p50 is None else p50 / 10, None if p90 is None else p90 / 10)


def _empty_spreads() -> PhaseSpreads:
    return PhaseSpreads(0, {phase: Spread(0, None, None) for phase in PHASES}, 0, 0, 0)


def _phase_spreads(con: DuckDBPyConnection, *, overall_only: bool = False) -> dict[tuple[str, Any], PhaseSpreads]:
    quantiles = ", ".join(f"quantile_disc({phase}_t, [0.5, 0.9])" for phase in PHASES)
    counts = "count(*) FILTER (WHERE on_time), count(on_time), count(*) FILTER (WHERE extended)"
    if overall_only:  # one row, as the grouping set () gives it
        sql = f"SELECT 7, NULL, NULL, NULL, count(*), {quantiles}, {counts} FROM decided"  # noqa: S608
    else:
        sql = (
            "SELECT GROUPING(matter_id, bundle_id, region_id), matter_id, bundle_id, region_id, count(*), "  # noqa: S608
            f"{quantiles}, {counts} FROM decided GROUP BY GROUPING SETS ((), (matter_id, bundle_id), (region_id))"
        )
    rows = con.execute(sql).fetchall()
    found: dict[tuple[str, Any], PhaseSpreads] = {}
    for level, matter, bundle, region, count, *rest in rows:
        per_phase = rest[: len(PHASES)]
        on_time, with_due, extended = rest[len(PHASES) :]
        spreads = PhaseSpreads(
            int(count),
            {phase: _spread_tenths(int(count), values) for phase, values in zip(PHASES, per_phase, strict=True)},
            int(on_time),
            int(with_due),
            int(extended),
        )
        if level == 0b111:
            found[("all", None)] = spreads
        elif level == 0b001:
            found[("subject", _subject(matter, bundle))] = spreads
        else:
            found[("region", region)] = spreads
    return found


def _department_times(con: DuckDBPyConnection) -> dict[int, DepartmentTimes]:
    rows = con.execute(
        "SELECT department_id, count(*), count(days_t), quantile_disc(days_t, [0.5, 0.9]), "
        "count(*) FILTER (WHERE on_time), count(on_time), count(*) FILTER (WHERE extended) "
        "FROM decided_tasks GROUP BY 1"
    ).fetchall()
    return {
        department: DepartmentTimes(
            int(count), _spread_tenths(int(timed), values), int(on_time), int(known), int(extended)
        )
        for department, count, timed, values, on_time, known, extended in rows
    }


def _finish_last(con: DuckDBPyConnection) -> list[FinishLast]:
    """`figures.domain.finish_last` over the marks the copy stores (`figures.domain.stage_marks`)."""
    rows = con.execute(
        "SELECT department_id, count(*), count(stage_end_margin), quantile_disc(stage_end_margin, [0.5, 0.9]) "
        "FROM decided_tasks WHERE stage_shared GROUP BY 1"
    ).fetchall()
    found = [FinishLast(d, int(stages), int(last), _spread(int(last), q)) for d, stages, last, q in rows]
    return sorted(found, key=lambda r: (-r.last, -(r.rate or 0), r.department))


def _slowest(con: DuckDBPyConnection, n: int) -> list[SlowCase]:
    rows = con.execute(
        "SELECT id, matter_id, bundle_id, total, waiting, on_time FROM decided ORDER BY total DESC, id LIMIT $n",
        {"n": n},
    ).fetchall()
    return [
        SlowCase(pk, _subject(matter, bundle), total, waiting, on_time)
        for pk, matter, bundle, total, waiting, on_time in rows
    ]


def _corrections(con: DuckDBPyConnection) -> dict[Subject, tuple[int, int]]:
    rows = con.execute(
        "SELECT matter_id, bundle_id, count(*) FILTER (WHERE notices > 0), sum(notices) FROM submitted "
        "GROUP BY 1, 2 HAVING sum(notices) > 0"
    ).fetchall()
    return {_subject(matter, bundle): (int(cases), int(notices)) for matter, bundle, cases, notices in rows}


def _submitted_by_subject(con: DuckDBPyConnection) -> dict[Subject, int]:
    rows = con.execute("SELECT matter_id, bundle_id, count(*) FROM submitted GROUP BY 1, 2").fetchall()
    return {_subject(matter, bundle): int(n) for matter, bundle, n in rows}
