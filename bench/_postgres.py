"""A throwaway PostgreSQL database for one benchmark: created fresh, dropped after."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from typing import Any

POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def create_database(name: str) -> tuple[str | None, str]:
    """(url, "") for a fresh database, or (None, why) when no server answers."""
    try:
        import psycopg

        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
    except Exception as exc:  # noqa: BLE001 - no server means no PostgreSQL row, said in the output
        return None, f"PostgreSQL skipped: {exc}"
    return f"{POSTGRES_SERVER}/{name}", ""


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def measure_on_fresh_database(name: str, target: Any, *, timeout: float) -> tuple[Any, str]:
    """Run `target(db_url, var_dir, queue)` in a spawned process on a fresh database `name` (dropped after)
    and return (what it put on the queue, "") or (None, why) when no server answers."""
    url, skipped = create_database(name)
    if url is None:
        return None, skipped
    var_dir = tempfile.mkdtemp(prefix=f"{name}-")
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(url, var_dir, queue))
    try:
        process.start()
        result = queue.get(timeout=timeout)
        process.join(timeout=30)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
        drop_database(name)
    return result, ""
