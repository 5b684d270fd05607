"""Where the figures of a period are read from: the columnar copy (`analytics.facts`: DuckDB over Parquet files
refreshed by a periodic job, the cases changed since then read live) when one of this database is kept, else
the operational tables (`figures.selectors`). Both give the same numbers (docs/adr/0005,
`tests/test_facts.py`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from onewindow.analytics.facts import queries, store
from onewindow.analytics.figures import selectors
from onewindow.analytics.figures.domain import DemandCounts, OperationsFigures
from onewindow.analytics.figures.selectors import CaseScope, Filters
from onewindow.orgs.models import User
from onewindow.workdays.selectors import calendar_revision

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection


@contextmanager
def copy_read(
    user: User,
    filters: Filters,
    *,
    load: Callable[[DuckDBPyConnection, CaseScope], None] = queries.scope_load,
    calendar: bool = False,
) -> Iterator[DuckDBPyConnection | None]:
    """The copy with the period's rows in scope loaded (by default the cases: `facts.queries.scope_load`), or
    None when there is no copy of this database, or (`calendar`: figures in working days) when the working-day
    calendar changed since it was written: then read the operational tables."""
    info = store.current()
    if info is None or (calendar and info.calendar != calendar_revision()):
        yield None
        return
    scope = selectors.case_scope(user, filters)
    con = store.copy_open(info)
    try:
        load(con, scope)
        yield con
    finally:
        con.close()


def demand_counts(user: User, filters: Filters) -> DemandCounts:
    with copy_read(user, filters) as con:
        return selectors.demand_counts(user, filters) if con is None else queries.demand_counts(con)


def operations_figures(user: User, filters: Filters, slowest: int) -> OperationsFigures:
    with copy_read(user, filters) as con:
        if con is None:
            return selectors.operations_figures(user, filters, slowest)
        return queries.operations_figures(con, slowest)


def overview_figures(user: User, filters: Filters, slowest: int) -> tuple[DemandCounts, OperationsFigures]:
    """What the overview shows of both (from the copy: only that, in one read)."""
    with copy_read(user, filters) as con:
        if con is not None:
            return queries.overview(con)
    return selectors.demand_counts(user, filters), selectors.operations_figures(user, filters, slowest)


def submitted_count(user: User, filters: Filters) -> int:
    with copy_read(user, filters) as con:
        if con is None:
            return selectors.cases_in(user, filters, by="submitted").count()
        return queries.submitted_count(con)
