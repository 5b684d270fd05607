"""What the demand and operations tables share: the rounding, the analysis a page reads and the links from a
row's cells to the cases behind them (`analytics.trace`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings

from onewindow.analytics.figures.selectors import Filters
from onewindow.web.tables import Cell, Table

Linked = tuple[dict[str, Cell], dict[str, str]]  # a row and the links of its cells


def online_target() -> float:
    return float(settings.ANALYTICS_ONLINE_TARGET)


def days(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


@dataclass(frozen=True)
class Analysis:
    filters: Filters
    tables: list[Table]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def cell_links(row: Mapping[str, Cell], urls: Mapping[str, str]) -> dict[str, str]:
    """The URL of each cell that has something behind it: not empty, and not a count of none."""
    return {
        column: url
        for column, url in urls.items()
        if (cell := row.get(column)) is not None and not (isinstance(cell, int) and cell == 0)
    }


def linked_table(key: str, title: str, columns: list[tuple[str, str]], linked: Sequence[Linked]) -> Table:
    """A table of rows with their links (sorted together before, so that each link stays with its row)."""
    return Table(key, title, columns, [row for row, _links in linked], [links for _row, links in linked])
