"""The bulletin as its files show it: title, summary, sections of paragraphs and tables, chart bars.

The Word and PDF renderers draw a Printable; it is stored as JSON with the report (`content`), so
the preview page and a later rendering of the files show exactly what was composed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()  # indexes of right-aligned columns
    empty_text: str = "无"
    widths: tuple[int, ...] = ()  # per column, in percent of the table's width (renderers' hint)


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    table: Table | None = None


@dataclass(frozen=True)
class ChartBar:
    label: str
    plan: Decimal
    done: Decimal


@dataclass(frozen=True)
class Printable:
    title: str
    sender: str
    leader_name: str
    period: dt.date
    summary: str
    sections: tuple[Section, ...]
    chart: tuple[ChartBar, ...]


def printable_to_json(printable: Printable) -> dict[str, Any]:
    """JSON types only: strings, lists, numbers as strings."""
    return {
        "title": printable.title,
        "sender": printable.sender,
        "leader_name": printable.leader_name,
        "period": printable.period.isoformat(),
        "summary": printable.summary,
        "sections": [
            {
                "heading": section.heading,
                "paragraphs": list(section.paragraphs),
                "table": None if section.table is None else _table_to_json(section.table),
            }
            for section in printable.sections
        ],
        "chart": [[bar.label, str(bar.plan), str(bar.done)] for bar in printable.chart],
    }


def _table_to_json(table: Table) -> dict[str, Any]:
    return {
        "columns": list(table.columns),
        "rows": [list(row) for row in table.rows],
        "numeric": list(table.numeric),
        "empty_text": table.empty_text,
        "widths": list(table.widths),
    }


def printable_from_json(content: dict[str, Any]) -> Printable:
    return Printable(
        title=str(content["title"]),
        sender=str(content["sender"]),
        leader_name=str(content["leader_name"]),
        period=dt.date.fromisoformat(str(content["period"])),
        summary=str(content["summary"]),
        sections=tuple(_section_from_json(section) for section in content.get("sections", [])),
        chart=chart_from_json(content),
    )


def _section_from_json(section: dict[str, Any]) -> Section:
    table = section.get("table")
    return Section(
        heading=str(section["heading"]),
        paragraphs=tuple(str(p) for p in section.get("paragraphs", [])),
        table=None
        if table is None
        else Table(
            columns=tuple(table["columns"]),
            rows=tuple(tuple(row) for row in table["rows"]),
            numeric=tuple(table.get("numeric", [])),
            empty_text=str(table.get("empty_text", "无")),
            widths=tuple(table.get("widths", [])),
        ),
    )


def chart_from_json(content: dict[str, Any]) -> tuple[ChartBar, ...]:
    return tuple(ChartBar(str(label), Decimal(plan), Decimal(done)) for label, plan, done in content.get("chart", []))
