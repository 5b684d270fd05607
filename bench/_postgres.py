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


def django_on(db_url: str, var_dir: str) -> None:
    """Set Django up in a benchmark's process on `db_url`, migrated; text messages kept in memory and
    background tasks held, so that only the measured work runs."""
    os.environ["DATABASE_URL"] = db_url
    os.environ["ONEWINDOW_VAR_DIR"] = var_dir
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.NOTIFY_SMS_BACKEND = "onewindow.notify.backends.MemorySmsBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    call_command("migrate", verbosity=0)
