"""The analytics bench's data: the demo city without its history, then N history cases written in slices of
SLICE (each slice plans its cases over the same year with its own seed; ids, applicants and the days' case-number
sequences continue from one slice to the next), VACUUM ANALYZE, and a marker row saying what was built.

The data is kept in a named PostgreSQL database (`ow_bench_analytics_<N>`) and reused by later runs while the
marker says it holds N history cases: writing 1,000,000 takes most of an hour on two CPUs.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from typing import Any

from bench._postgres import POSTGRES_SERVER

SLICE = 50_000
MARKER = "bench_analytics_built"
# The mixes of what is applied for: "city", the demo city's (about 1.1 review tasks a case: most matters are
# reviewed by one department), or "tasks", the industrial-project bundle (14 matters in four stages, with its bills)
# weighed TASKS_MIX_WEIGHT instead of the city's `world.INVESTMENT_WEIGHT` (0.3), so that a case has about five
# review tasks: the 1,000,000 cases and 5,000,000 tasks (measured on 2,000 cases: weight 46 gave 4.15 a
# case, 70 about 5).
TASKS_MIX_WEIGHT = 70.0


def database_name(cases: int, mix: str = "city") -> str:
    return f"ow_bench_analytics_{cases}" + ("" if mix == "city" else f"_{mix}")


def built(name: str) -> dict[str, Any] | None:
    """What the database `name` was built with (cases, tasks, seconds, when), or None: absent or unfinished."""
    import psycopg

    try:
        with psycopg.connect(f"{POSTGRES_SERVER}/{name}", connect_timeout=3) as conn:
            row = conn.execute(f"SELECT cases, tasks, seconds, built_at FROM {MARKER}").fetchone()
    except psycopg.Error:
        return None
    if row is None:
        return None
    return {"cases": row[0], "tasks": row[1], "seconds": row[2], "built_at": row[3]}


def recreate(name: str) -> str:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return f"{POSTGRES_SERVER}/{name}"


def build(cases: int, say: Any, mix: str = "city") -> dict[str, Any]:
    """In a process where Django is set up on the (empty, migrated) bench database: write everything."""
    from django.core.management import call_command
    from django.db import connection

    from onewindow.analytics.history.write import history_write
    from onewindow.cases.models import Case, Task

    started = time.monotonic()
    call_command("demo", history=0, stdout=io.StringIO())
    say(f"demo loaded in {time.monotonic() - started:.0f} s")
    written, seed = 0, 0
    while written < cases:
        seed += 1
        size = min(SLICE, cases - written)
        summary = history_write(size, seed=seed, investment_weight=TASKS_MIX_WEIGHT if mix == "tasks" else None)
        if summary.cases != size:
            raise RuntimeError(f"slice {seed}: {summary.cases} cases written, {size} asked")
        written += size
        say(f"{written:,} / {cases:,} cases ({time.monotonic() - started:.0f} s)")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    seconds = time.monotonic() - started
    totals = {"cases": Case.objects.count(), "tasks": Task.objects.count(), "seconds": round(seconds)}
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {MARKER} (cases bigint, tasks bigint, seconds int, built_at timestamptz)")
        cursor.execute(
            f"INSERT INTO {MARKER} VALUES (%s, %s, %s, %s)",
            [cases, totals["tasks"], totals["seconds"], dt.datetime.now(dt.UTC)],
        )
    return {"cases": cases, "tasks": totals["tasks"], "seconds": totals["seconds"], "built_at": dt.datetime.now(dt.UTC)}
