"""The overview's key findings (要点): a few sentences a director reads first — how the period went, where the
time was lost, which department to talk to — composed from the overview's own tables, never typed. Each
finding names the table it comes from, so the page links to the figures (and they to the cases)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from onewindow.web.tables import Cell, Table

# A department with fewer decided reviews in the period is not named: a handful of slow tasks is not a pattern.
MIN_REVIEWS = 20


@dataclass(frozen=True)
class Finding:
    text: str
    url: str  # where its figures are: a table of the page (`#table-<key>`) or another analysis page


def overview_findings(tables: Sequence[Table]) -> list[Finding]:
    by_key = {t.key: t.rows for t in tables}
    composers = (
        ("summary", _on_time),
        ("phases", _time_lost),
        ("times_by_department", _slowest_department),
        ("finish_last", _finishing_last),
        ("online_share", _online),
    )
    findings = []
    for key, compose in composers:
        text = compose(by_key.get(key) or [])
        if text:
            findings.append(Finding(text, f"#table-{key}"))
    return findings


def _number(value: Cell) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _on_time(rows: list[dict[str, Cell]]) -> str | None:
    if not rows or not rows[0].get("count"):
        return None
    row = rows[0]
    return _("本期办结%(count)s件，按期办结率%(rate)s%%，延期%(extended)s件。") % {
        "count": row["count"],
        "rate": _number(row.get("on_time_rate")),
        "extended": row.get("extended") or 0,
    }


def _time_lost(rows: list[dict[str, Cell]]) -> str | None:
    """The phase (of those before the total) with the longest median, the long tail breaking ties."""
    phases = [r for r in rows[:-1] if r.get("p50") is not None]
    if not phases:
        return None
    worst = max(phases, key=lambda r: (r["p50"], r.get("p90") or 0))
    return _("时间主要耗在“%(phase)s”环节：中位%(p50)s天，九成办件不超过%(p90)s天。") % {
        "phase": worst["name"],
        "p50": _number(worst["p50"]),
        "p90": _number(worst.get("p90")),
    }


def _slowest_department(rows: list[dict[str, Cell]]) -> str | None:
    """The department whose reviews take longest at the tail (the table is sorted by P90), with enough reviews."""
    named = [r for r in rows if isinstance(r.get("count"), int) and r["count"] >= MIN_REVIEWS]  # type: ignore[operator]
    if not named or named[0].get("p90") is None:
        return None
    row = named[0]
    return _(
        "审查用时最长的部门是%(department)s：%(count)s项审查，中位%(p50)s天，P90 %(p90)s天，建议约谈了解原因。"
    ) % {"department": row["name"], "count": row["count"], "p50": _number(row.get("p50")), "p90": _number(row["p90"])}


def _finishing_last(rows: list[dict[str, Cell]]) -> str | None:
    ranked = [r for r in rows if r.get("last")]
    if not ranked:
        return None
    row = max(ranked, key=lambda r: r["last"])  # type: ignore[return-value, arg-type]
    return _("并联阶段中最常最后办结的是%(department)s：参与%(stages)s个阶段，其中%(last)s个由它最后办结。") % {
        "department": row["name"],
        "stages": row.get("stages_in"),
        "last": row["last"],
    }


def _online(rows: list[dict[str, Cell]]) -> str | None:
    if not rows or rows[0].get("online_rate") is None:
        return None
    row = rows[0]
    rate, target = row["online_rate"], row.get("target")
    reached = isinstance(rate, float | int) and isinstance(target, float | int) and rate >= target
    message = (
        _("网上办理率%(rate)s%%，已达到%(target)s%%的目标。")
        if reached
        else _("网上办理率%(rate)s%%，低于%(target)s%%的目标。")
    )
    return message % {"rate": _number(rate), "target": _number(target)}
