"""The two routes of issue 17's "Speed", measured on the bench's data (docs/adr/0005): the operations figures'
core (each decided case's phases, then P50/P90 of five phases overall, per matter or bundle and per region) and
five of the demand counts (channel, matter, bundle, region, applicant kind), for the quarter and the year, computed

(a) on the operational PostgreSQL tables in SQL, with the indexes such reads want (created for the measurement,
    dropped after): the phases from the cases, timeline, clock stops and tasks in one statement, percentiles with
    `percentile_disc`; the counts from a covering index on `submitted_at`;
(a') the same percentiles over a facts table kept in PostgreSQL (the phases computed once, like the copy);
(b) on the columnar copy (`analytics.facts`, Parquet) with DuckDB.

Each timing is the median of three runs after one warm-up.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from typing import Any

RUNS = 3
INDEXES = {
    "bench_case_completed": "cases_case (completed_at) INCLUDE (region_id, matter_version_id, bundle_version_id, "
    "submitted_at, due_on, extension_days) WHERE status = 'completed'",
    "bench_case_submitted": "cases_case (submitted_at) INCLUDE (region_id, channel, matter_version_id, "
    "bundle_version_id, applicant_id)",
    "bench_timeline_accepted": "cases_timelineentry (case_id, at) WHERE action IN ('case_accept', "
    "'case_accept_deemed', 'case_accept_with_deferral')",
    "bench_timeline_finished": "cases_timelineentry (case_id, at) WHERE action = 'case_finish_review'",
    "bench_task_extended": "cases_task (case_id) WHERE extension_days > 0",
}

PHASES_SQL = """
WITH c AS (
  SELECT c.id, mv.matter_id, bv.bundle_id, c.region_id, c.submitted_at, c.completed_at, c.due_on, c.extension_days,
         (c.completed_at AT TIME ZONE 'Asia/Shanghai')::date AS decided_on
  FROM cases_case c
  LEFT JOIN catalogue_matterversion mv ON mv.id = c.matter_version_id
  LEFT JOIN catalogue_bundleversion bv ON bv.id = c.bundle_version_id
  WHERE c.status = 'completed' AND c.completed_at >= %(start)s AND c.completed_at < %(end)s
),
accepted AS (
  SELECT t.case_id, min(t.at) AS at FROM cases_timelineentry t JOIN c ON c.id = t.case_id
  WHERE t.action IN ('case_accept', 'case_accept_deemed', 'case_accept_with_deferral') GROUP BY t.case_id
),
finished AS (
  SELECT t.case_id, max(t.at) AS at FROM cases_timelineentry t JOIN c ON c.id = t.case_id
  WHERE t.action = 'case_finish_review' GROUP BY t.case_id
),
stops AS (
  SELECT s.case_id, s.first_on AS a, COALESCE(s.last_on, c.decided_on) AS b
  FROM cases_clockstop s JOIN c ON c.id = s.case_id
  WHERE s.task_id IS NOT NULL AND COALESCE(s.last_on, c.decided_on) >= s.first_on
),
ordered AS (
  SELECT case_id, a, b,
    max(b) OVER (PARTITION BY case_id ORDER BY a, b ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
  FROM stops
),
islands AS (
  SELECT case_id, a, b,
    sum(CASE WHEN before IS NULL OR a > before + 1 THEN 1 ELSE 0 END) OVER (PARTITION BY case_id ORDER BY a, b) AS n
  FROM ordered
),
waiting AS (
  SELECT case_id, sum(e - s + 1) AS days FROM (SELECT case_id, n, min(a) AS s, max(b) AS e FROM islands GROUP BY 1, 2) i
  GROUP BY case_id
),
extended AS (SELECT DISTINCT t.case_id FROM cases_task t JOIN c ON c.id = t.case_id WHERE t.extension_days > 0),
f AS (
  SELECT c.id, c.matter_id, c.bundle_id, c.region_id, c.completed_at,
    greatest(extract(epoch FROM c.completed_at - c.submitted_at)::float8 / 86400.0, 0) AS total,
    greatest(extract(epoch FROM COALESCE(a.at, c.completed_at) - c.submitted_at)::float8 / 86400.0, 0) AS intake,
    CASE WHEN f.at IS NULL THEN 0
      ELSE greatest(extract(epoch FROM c.completed_at - f.at)::float8 / 86400.0, 0) END AS decision,
    CASE WHEN a.at IS NULL THEN 0
      ELSE greatest(extract(epoch FROM COALESCE(f.at, c.completed_at) - a.at)::float8 / 86400.0, 0) END AS reviewing,
    COALESCE(w.days, 0) AS waiting_days,
    CASE WHEN c.due_on IS NULL THEN NULL ELSE c.decided_on <= c.due_on END AS on_time,
    (c.extension_days <> 0 OR x.case_id IS NOT NULL) AS extended
  FROM c LEFT JOIN accepted a ON a.case_id = c.id LEFT JOIN finished f ON f.case_id = c.id
  LEFT JOIN waiting w ON w.case_id = c.id LEFT JOIN extended x ON x.case_id = c.id
),
phases AS (
  SELECT *, least(waiting_days::float8, reviewing) AS waiting,
    greatest(reviewing - least(waiting_days::float8, reviewing), 0) AS review FROM f
)
"""

SPREADS = """
SELECT GROUPING(matter_id, bundle_id, region_id), matter_id, bundle_id, region_id, count(*),
  {q}(intake), {q}(review), {q}(waiting), {q}(decision), {q}(total),
  count(*) FILTER (WHERE on_time), count(on_time), count(*) FILTER (WHERE extended)
FROM {source} GROUP BY GROUPING SETS ((), (matter_id, bundle_id), (region_id))
"""
PG_QUANTILE = "percentile_disc(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY {})"

DEMAND_COLUMNS = ("channel", "matter_version_id", "bundle_version_id", "region_id")


def _pg_spreads(source: str) -> str:
    quantile = PG_QUANTILE
    sql = SPREADS
    for phase in ("intake", "review", "waiting", "decision", "total"):
        sql = sql.replace("{q}(" + phase + ")", quantile.format(phase))
    return sql.replace("{source}", source)


def _median(run: Callable[[], Any]) -> float:
    run()
    times = []
    for _n in range(RUNS):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(periods: dict[str, tuple[dt.datetime, dt.datetime]], copy_directory: Any) -> dict[str, Any]:
    from django.db import connection

    from onewindow.analytics.facts import store

    found: dict[str, Any] = {"build": {}}

    def pg(sql: str, params: dict[str, Any]) -> Callable[[], Any]:
        def run() -> Any:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        return run

    with connection.cursor() as cursor:
        started = time.perf_counter()
        for name, definition in INDEXES.items():
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")
        cursor.execute("VACUUM ANALYZE cases_case")
        cursor.execute("VACUUM ANALYZE cases_timelineentry")
        cursor.execute("VACUUM ANALYZE cases_task")
        found["build"]["indexes"] = time.perf_counter() - started
        started = time.perf_counter()
        wide = {"start": dt.datetime(1970, 1, 1, tzinfo=dt.UTC), "end": dt.datetime(2100, 1, 1, tzinfo=dt.UTC)}
        cursor.execute("DROP TABLE IF EXISTS bench_case_phases")
        cursor.execute("CREATE TABLE bench_case_phases AS " + PHASES_SQL + " SELECT * FROM phases", wide)
        cursor.execute("CREATE INDEX ON bench_case_phases (completed_at)")
        cursor.execute("VACUUM ANALYZE bench_case_phases")
        found["build"]["pg_facts"] = time.perf_counter() - started
    con = store.duckdb_connect()

    def duck(sql: str, params: dict[str, Any]) -> Callable[[], Any]:
        return lambda: con.execute(sql, params).fetchall()

    cases = store.quoted(copy_directory / "cases.parquet")
    duck_spreads = SPREADS.replace("{q}", "quantile_disc").replace(
        "{source}",
        f"(SELECT *, intake_t / 10.0 AS intake, review_t / 10.0 AS review, decision_t / 10.0 AS decision "
        f"FROM read_parquet({cases}) "
        "WHERE status = 'completed' AND total IS NOT NULL AND completed_at >= $start AND completed_at < $end)",
    )
    duck_spreads = duck_spreads.replace("(intake)", "(intake, [0.5, 0.9])").replace("(review)", "(review, [0.5, 0.9])")
    duck_spreads = duck_spreads.replace("(waiting)", "(waiting, [0.5, 0.9])")
    duck_spreads = duck_spreads.replace("(decision)", "(decision, [0.5, 0.9])").replace(
        "(total)", "(total, [0.5, 0.9])"
    )
    demand_pg = " UNION ALL ".join(
        f"SELECT '{c}', {c}::text, count(*) FROM cases_case WHERE submitted_at >= %(start)s "
        f"AND submitted_at < %(end)s GROUP BY 2"
        for c in DEMAND_COLUMNS
    ) + (
        " UNION ALL SELECT 'kind', a.kind, count(*) FROM cases_case c JOIN orgs_applicant a ON a.id = c.applicant_id "
        "WHERE c.submitted_at >= %(start)s AND c.submitted_at < %(end)s GROUP BY 2"
    )
    demand_duck = " UNION ALL ".join(
        f"SELECT '{c}', CAST({c} AS VARCHAR), count(*) FROM read_parquet({cases}) WHERE submitted_at >= $start "
        f"AND submitted_at < $end GROUP BY 2"
        for c in ("channel", "matter_id", "bundle_id", "region_id", "applicant_kind")
    )
    for period, (start, end) in periods.items():
        params = {"start": start, "end": end}
        found[period] = {
            "a_phases": _median(pg(PHASES_SQL + _pg_spreads("phases"), params)),
            "a_facts": _median(
                pg(
                    _pg_spreads(
                        "(SELECT * FROM bench_case_phases WHERE completed_at >= %(start)s AND completed_at < %(end)s) f"
                    ),
                    params,
                )
            ),
            "b_phases": _median(duck(duck_spreads, params)),
            "a_demand": _median(pg(demand_pg, params)),
            "b_demand": _median(duck(demand_duck, params)),
        }
        print(f"  candidates {period}: {found[period]}", flush=True)
    con.close()
    with connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        cursor.execute("DROP TABLE IF EXISTS bench_case_phases")
    return found
