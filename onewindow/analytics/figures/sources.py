"""Where the figures of a period are read from: the columnar copy (`analytics.facts`: DuckDB over Parquet files
refreshed by a periodic job, the cases changed since then read live) when one of this database is kept, else
the operational tables (`figures.selectors`). Both give the same numbers (docs/adr/0005,
`tests/test_facts.py`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from onewindow.analytics.facts import queries, store
from onewindow.analytics.figures import selectors
from onewindow.analytics.figures.domain import DemandCounts, OperationsFigures
from onewindow.analytics.figures.selectors import Filters
from onewindow.orgs.models import User

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection


@contextmanager
def _copy(user: User, filters: Filters, info: store.CopyInfo) -> Iterator[DuckDBPyConnection]:
    scope = selectors.case_scope(user, filters)
    con = store.copy_open(info)
    try:
        queries.scope_load(con, scope)
        yield con
    finally:
        con.close()


def demand_counts(user: User, filters: Filters) -> DemandCounts:
    info = store.current()
    if info is None:
        return selectors.demand_counts(user, filters)
    with _copy(user, filters, info) as con:
        return queries.demand_counts(con)


def operations_figures(user: User, filters: Filters, slowest: int) -> OperationsFigures:
    info = store.current()
    if info is None:
        return selectors.operations_figures(user, filters, slowest)
    with _copy(user, filters, info) as con:
        return queries.operations_figures(con, slowest)
