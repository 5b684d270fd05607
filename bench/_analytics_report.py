"""The analytics bench's Markdown section."""

from __future__ import annotations

from typing import Any

from bench._analytics_measure import SAMPLES, SLOW_S, SLOW_SAMPLES
from bench._analytics_naive import CAP_S

GOAL_P95_S = 1.0
PERIODS = {"quarter": "quarter", "year": "year", "own": "its own"}


def _goal(p95: float) -> str:
    return "met" if p95 < GOAL_P95_S else "**not met**"


def _naive(naive: dict[str, Any] | None, page_p50: float) -> tuple[str, str]:
    if naive is None:
        return "", ""
    seconds = naive["estimate"]
    shown = (
        f"{seconds:,.1f}"
        if naive["complete"]
        else f"≈ {seconds:,.0f} (extrapolated: {naive['done']:,} of {naive['total']:,} rows "
        f"in {naive['seconds']:.0f} s)"
    )
    return shown, f"{seconds / page_p50:,.0f}×" if page_p50 else ""


def markdown(found: dict[str, Any], cases: int, cpus: int) -> str:
    built, totals = found["built"], found["totals"]
    tasks_per_case = totals["tasks"] / max(totals["cases"], 1)
    quarter, year = found["periods"]["quarter"], found["periods"]["year"]
    lines = [
        f"Data: the demo city (`onewindow demo --history 0`) and {cases:,} history cases written in slices of "
        f"50,000 (`history_write(50_000, seed=k)`), {totals['cases']:,} cases and {totals['tasks']:,} review tasks "
        f"in all ({tasks_per_case:.2f} a case: the history plans one task per matter, so a single matter's case has "
        f"one and only the bundles more; the issue's 5,000,000 tasks would need about 5 a case, which the history "
        f"does not write and this bench does not fake). Built once in {built['seconds'] / 60:.0f} min into the "
        f"PostgreSQL database `{found['database']}` and reused while it holds them (VACUUM ANALYZE after the build).",
        "",
        f"Measured as the city's leader (云川市, every case in scope) for the last quarter (the pages' default, "
        f"{quarter[0]} to {quarter[1]}) and the whole year ({year[0]} to {year[1]}); the forecast reads its own 52 "
        f"weeks and the report its month. Each page through Django's test client with DEBUG off: one warm-up "
        f"request, then p50 and p95 of {SAMPLES} requests ({SLOW_SAMPLES} when one takes over {SLOW_S:.0f} s), "
        f"on {cpus} CPU cores shared with the database server. 'Naive ORM' computes the same headline figures "
        f"reading the period's Case (or Task) objects one by one and their related rows through the relations "
        f"(N+1 queries), counting in Python with the figures' own rules; each computation stops after "
        f"{CAP_S:.0f} s and is extrapolated from the rows it read.",
        "",
        "| page | period | p50 (s) | p95 (s) | goal p95 < 1 s | naive ORM (s) | naive / p50 |",
        "|---|---|---:|---:|---|---:|---:|",
    ]
    for (key, period), timing in found["pages"].items():
        naive, ratio = _naive(found["naive"].get((key, period)), timing["p50"])
        lines.append(
            f"| {timing['label']} | {PERIODS[period]} | {timing['p50']:.2f} | {timing['p95']:.2f} | "
            f"{_goal(timing['p95'])} | {naive} | {ratio} |"
        )
    lines += ["", f"Command: `python -m bench analytics --cases {cases}` ({found['seconds'] / 60:.0f} min this run)."]
    return "\n".join(lines) + "\n"
