"""A named table of figures: what a figures page shows, its Excel export writes and its API returns, from one
list, so that the three always agree (the halls' figures, the fees' reports)."""

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

    @property
    def cells(self) -> list[list[Cell]]:
        return [[row.get(key) for key, _label in self.columns] for row in self.rows]
