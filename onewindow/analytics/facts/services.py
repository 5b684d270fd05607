"""Writing the columnar copy: `facts_refresh()`, run by the periodic job (`analytics.tasks`) and by
`onewindow analytics_facts`. The first copy (or `full=True`) reads every case, CHUNK cases at a time; later ones
read only the cases changed since the current copy's watermark and keep the other rows of its files. Each
refresh writes a new directory and publishes it at once (`store.copy_publish`)."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Max, Min

from onewindow.analytics.facts import schema, store
from onewindow.analytics.facts.rows import rows_of
from onewindow.analytics.facts.store import CopyInfo
from onewindow.cases.models import Case
from onewindow.workdays.domain import WorkCalendar
from onewindow.workdays.selectors import calendar_revision, work_calendar

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

CHUNK = 20_000


def facts_refresh_scheduled(*, full: bool = False) -> CopyInfo | None:
    """The periodic refresh: only where the operational tables hold ANALYTICS_FACTS_MIN_CASES cases or more
    (below that the pages read them fast enough, and a test or development database keeps no copy)."""
    if Case.objects.count() < settings.ANALYTICS_FACTS_MIN_CASES:
        return None
    return facts_refresh(full=full)


def facts_refresh(*, full: bool = False, progress: Callable[[str], None] | None = None) -> CopyInfo:
    started = time.monotonic()
    watermark = store.timeline_watermark()  # first: whatever changes after it is read again as the tail
    revision = calendar_revision()
    calendar = work_calendar(revision)
    previous = None if full else store.current()
    con = store.duckdb_connect()
    if previous is None or previous.calendar != revision:  # working days counted anew on the calendar now
        _read_all(con, calendar, progress)
    else:
        _read_changed(con, previous, calendar)
    name = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:12]}"
    directory = store.facts_dir() / f".{name}"  # hidden while it is written: another refresh never removes it
    directory.mkdir(parents=True)
    for table in schema.TABLES:
        order = "submitted_at, id" if table == "cases" else "case_id"
        path = store.quoted(directory / f"{table}.parquet")
        copy = f"COPY (SELECT * FROM {table} ORDER BY {order}) TO {path} (FORMAT parquet, COMPRESSION zstd)"  # noqa: S608
        con.execute(copy)
    cases = con.execute("SELECT count(*) FROM cases").fetchone()[0]
    con.close()
    directory.rename(store.facts_dir() / name)
    info = CopyInfo(
        name=name,
        database=store.database_identity(),
        version=schema.VERSION,
        watermark=watermark,
        calendar=revision,
        written_at=dt.datetime.now(dt.UTC).isoformat(),
        cases=int(cases),
    )
    store.copy_publish(info)
    if progress is not None:
        progress(f"{cases} cases in {time.monotonic() - started:.1f} s")
    return info


def _read_all(con: DuckDBPyConnection, calendar: WorkCalendar, progress: Callable[[str], None] | None) -> None:
    for table in schema.TABLES:
        store.rows_load(con, table, table, [])
    bounds = Case.objects.aggregate(first=Min("pk"), last=Max("pk"))
    if bounds["first"] is None:
        return
    for start in range(bounds["first"], bounds["last"] + 1, CHUNK):
        found = rows_of(Case.objects.filter(pk__gte=start, pk__lt=start + CHUNK), calendar)
        for table, rows in found.tables.items():
            store.rows_load(con, table, f"chunk_{table}", rows)
            con.execute(f"INSERT INTO {table} SELECT * FROM chunk_{table}")  # noqa: S608 - schema names
            con.execute(f"DROP TABLE chunk_{table}")
        if progress is not None:
            progress(f"{min(start + CHUNK - 1, bounds['last'])}/{bounds['last']}")


def _read_changed(con: DuckDBPyConnection, previous: CopyInfo, calendar: WorkCalendar) -> None:
    changed = store.changed_since(previous.watermark)
    found = rows_of(Case.objects.filter(pk__in=changed), calendar)
    con.execute("CREATE TABLE changed (id BIGINT)")
    if changed:
        con.execute("INSERT INTO changed SELECT unnest($ids::BIGINT[])", {"ids": changed})
    for table in schema.TABLES:
        key = "id" if table == "cases" else "case_id"
        path = store.quoted(previous.directory / f"{table}.parquet")
        store.rows_load(con, table, table, found.tables[table])
        con.execute(
            f"INSERT INTO {table} SELECT * FROM read_parquet({path}) WHERE {key} NOT IN (SELECT id FROM changed)"  # noqa: S608
        )
