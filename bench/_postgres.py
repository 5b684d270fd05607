"""A throwaway PostgreSQL database for one benchmark: created fresh, dropped after."""

from __future__ import annotations

import os

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
