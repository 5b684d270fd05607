"""Where the copy lives and how it is read.

`ANALYTICS_FACTS_DIR/<name>/<table>.parquet`, one file per table of `facts.schema`, and `current.json` beside
them naming the current copy: its directory, the database it was read from, the schema version and the
timeline watermark (the last timeline entry the copy has seen). The refresh writes a new directory and then
replaces `current.json` (`os.replace`), so a reader sees the old copy or the new one, never half of one.

`copy_open()` gives a DuckDB connection with one view per table: the file's rows less those of the cases
changed since the watermark, plus those cases' facts read live (`facts.rows`). Every step of a case writes a
timeline entry in its transaction (`cases.services`: one service applies each transition and records it), so
"changed since" is "has a timeline entry after the watermark", and the copy with its live tail says what the
operational tables say now. No current copy of this database (a test database, a new deployment, another
schema version): None, and the pages read the operational tables.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max

from onewindow.analytics.facts import schema
from onewindow.analytics.facts.rows import FactRows, Row, rows_of
from onewindow.cases.models import Case, TimelineEntry
from onewindow.workdays.selectors import work_calendar

CURRENT = "current.json"


@dataclass(frozen=True)
class CopyInfo:
    name: str
    database: str
    version: int
    watermark: int
    calendar: int  # the working-day calendar's revision the working days were counted on
    written_at: str
    cases: int

    @property
    def directory(self) -> Path:
        return facts_dir() / self.name


def facts_dir() -> Path:
    return Path(settings.ANALYTICS_FACTS_DIR)


def database_identity() -> str:
    """Which database a copy was read from: a copy of another one (the tests' own, another deployment's) is
    never read."""
    s = connection.settings_dict
    return f"{connection.vendor}:{s.get('HOST') or ''}:{s.get('PORT') or ''}:{s['NAME']}"


def current() -> CopyInfo | None:
    """The current copy of this database and schema, or None (no database query: a file read)."""
    try:
        info = CopyInfo(**json.loads((facts_dir() / CURRENT).read_text()))
    except (OSError, ValueError, TypeError):
        return None
    if info.database != database_identity() or info.version != schema.VERSION:
        return None
    if not all((info.directory / f"{table}.parquet").exists() for table in schema.TABLES):
        return None
    return info


def timeline_watermark() -> int:
    """The last timeline entry whose step has committed, with every entry before it committed too. On
    PostgreSQL ids are taken before commit, so an entry below the newest could still be in flight: a SHARE lock
    on the table waits for the transactions writing it (and holds new ones for that instant). SQLite writes one
    transaction at a time."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {TimelineEntry._meta.db_table} IN SHARE MODE")
        top: int = TimelineEntry.objects.aggregate(top=Max("pk"))["top"] or 0
    return top


def changed_since(watermark: int) -> list[int]:
    """The cases with a timeline entry after `watermark` (the primary key's range)."""
    rows = TimelineEntry.objects.filter(pk__gt=watermark).values_list("case_id", flat=True).distinct()
    return sorted(set(rows))


# --- DuckDB ---------------------------------------------------------------------------------------------------


def duckdb_connect() -> Any:
    """A DuckDB database of its own, in memory (for writing the copy)."""
    import duckdb

    config: dict[str, str | bool | int | float | list[str]] = {
        "threads": _threads(),
        "autoinstall_known_extensions": False,  # nothing is downloaded at run time
        "autoload_known_extensions": False,
    }
    return duckdb.connect(":memory:", config=config)


def _threads() -> int:
    return int(settings.ANALYTICS_DUCKDB_THREADS or os.cpu_count() or 1)


_readers: dict[tuple[int, int], Any] = {}
_readers_lock = threading.Lock()


def _reader_connect() -> Any:
    """A connection of its own (its temporary tables and views are its own) to the process's in-memory database
    for reading copies: a database takes about 18 ms to open, a connection to it microseconds. One database per
    process (a forked worker opens its own) and thread setting."""
    key = (os.getpid(), _threads())
    with _readers_lock:
        if key not in _readers:
            _readers[key] = duckdb_connect()
        return _readers[key].cursor()


def rows_load(con: Any, table: str, name: str, rows: list[Row], *, temporary: bool = False) -> None:
    """Create the table `name` with `table`'s columns and its rows."""
    con.execute(schema.create_statement(table, name, temporary=temporary))
    if not rows:
        return
    import pandas as pd  # type: ignore[import-untyped]

    frame = pd.DataFrame.from_records(rows, columns=schema.column_names(table))
    con.register("facts_rows_frame", frame)
    con.execute(f"INSERT INTO {name} SELECT * FROM facts_rows_frame")  # noqa: S608 - names from facts.schema
    con.unregister("facts_rows_frame")


def quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def copy_open(info: CopyInfo) -> Any:
    """A DuckDB connection with the copy's tables as views: the files less the cases changed since, plus
    their facts now."""
    changed = changed_since(info.watermark)
    tail = rows_of(Case.objects.filter(pk__in=changed), work_calendar()) if changed else FactRows()
    con = _reader_connect()  # everything below is temporary: the connection's own
    if changed:
        con.execute("CREATE TEMP TABLE changed AS SELECT unnest($ids::BIGINT[]) AS id", {"ids": changed})
    for table in schema.TABLES:
        path = quoted(info.directory / f"{table}.parquet")
        if not changed:
            con.execute(f"CREATE TEMP VIEW {table} AS SELECT * FROM read_parquet({path})")  # noqa: S608 - schema names
            continue
        rows_load(con, table, f"tail_{table}", tail.tables[table], temporary=True)
        key = "id" if table == "cases" else "case_id"
        con.execute(
            f"CREATE TEMP VIEW {table} AS SELECT * FROM read_parquet({path}) "  # noqa: S608 - names from facts.schema
            f"WHERE {key} NOT IN (SELECT id FROM changed) UNION ALL SELECT * FROM tail_{table}"
        )
    return con


# --- writing --------------------------------------------------------------------------------------------------


def copy_publish(info: CopyInfo) -> None:
    """Make `info` the current copy, then remove every other copy but the one it replaces (a reader may still
    be reading that one) and those still being written (hidden: `.<name>`)."""
    directory = facts_dir()
    replaced = current()
    temporary = directory / f".{CURRENT}.{info.name}"
    temporary.write_text(json.dumps(info.__dict__, ensure_ascii=False))
    temporary.replace(directory / CURRENT)
    kept = {info.name, replaced.name if replaced is not None else info.name}
    for old in directory.iterdir():
        if old.is_dir() and not old.name.startswith(".") and old.name not in kept:
            shutil.rmtree(old, ignore_errors=True)
