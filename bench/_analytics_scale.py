"""The columnar copy at K times the history written: every row of each table K times, the k-th under case ids
moved by k × STRIDE, published as the current copy.

Writing a million cases through the history's writer takes about five hours on two CPUs (15 min per 50,000), more
than a session; the pages' cost lies in the copy's rows, so K replicas of a smaller history give the copy the
issue's size with the written history's shape (the same days, matters, departments and durations, K times as
many of each). What the pages read live from PostgreSQL (open tasks, key projects, cases changed since the copy)
stays at the written size.
"""

from __future__ import annotations

import dataclasses
from typing import Any

STRIDE = 1_000_000_000  # above any written case id: a replica never meets a case of the operational tables


def copy_replicated(times: int) -> dict[str, int]:
    """Replace the current copy by `times` replicas of it; the rows per table of the new copy."""
    from onewindow.analytics.facts import schema, store

    info = store.current()
    assert info is not None
    name = f"{info.name}-x{times}"
    hidden = store.facts_dir() / f".{name}"
    hidden.mkdir()
    con = store.duckdb_connect()
    rows = {}
    for table in schema.TABLES:
        key, order = ("id", "submitted_at, id") if table == "cases" else ("case_id", "case_id")
        source, target = store.quoted(info.directory / f"{table}.parquet"), store.quoted(hidden / f"{table}.parquet")
        replicas = (
            f"SELECT * REPLACE ({key} + k * {STRIDE} AS {key}) "
            f"FROM read_parquet({source}) CROSS JOIN range({times}) AS r(k)"
        )
        select = f"SELECT * EXCLUDE (k) FROM ({replicas}) ORDER BY {order}"
        con.execute(f"COPY ({select}) TO {target} (FORMAT parquet, COMPRESSION zstd)")
        rows[table] = _count(con, target)
    con.close()
    hidden.rename(store.facts_dir() / name)
    store.copy_publish(dataclasses.replace(info, name=name, cases=rows["cases"]))
    return rows


def _count(con: Any, path: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM read_parquet({path})").fetchone()[0])
