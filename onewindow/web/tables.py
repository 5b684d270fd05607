"""A named table of figures: what a figures page shows, its Excel export writes and its API returns, from one
list, so that the three always agree (the halls' figures, the fees' reports).

`links` (optional, one dict per row, in the rows' order): the page behind a cell, by column key — the analysis
pages link their counts to the cases behind them. The rows themselves stay plain values (the export and the
charts read them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

Cell = str | int | float | Decimal | None


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list[tuple[str, str]]  # (key, label)
    rows: list[dict[str, Cell]] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)
    total: int | None = None  # how many rows there are, when `rows` holds only a page of them

    @property
    def row_count(self) -> int:
        return len(self.rows) if self.total is None else self.total

    @property
    def cells(self) -> list[list[Cell]]:
        return [[row.get(key) for key, _label in self.columns] for row in self.rows]

    def link(self, index: int, column: str) -> str | None:
        """The page behind row `index`'s cell in `column`, if it has one."""
        return self.links[index].get(column) if index < len(self.links) else None
