"""The analytics bench's Markdown section."""

from __future__ import annotations

from typing import Any

from bench import _analytics_data as data
from bench._analytics_candidates import RUNS
from bench._analytics_measure import SAMPLES, SLOW_S, TAIL_CASES, VERY_SLOW_S
from bench._analytics_naive import CAP_S

GOAL_P95_S = 1.0
PERIODS = {"quarter": "quarter", "year": "year", "own": "its own"}


def _goal(p95: float) -> str:
    return "met" if p95 < GOAL_P95_S else "**not met**"


def _timing(t: dict[str, Any]) -> str:
    shown = f"{t['p50']:.2f} / {t['p95']:.2f}"
    return shown if t["n"] > 2 else f"{shown} ({t['n']} request{'s' if t['n'] > 1 else ''})"


def _naive(naive: dict[str, Any] | None) -> str:
    if naive is None:
        return ""
    seconds = naive["estimate"]
    if naive["complete"]:
        return f"{seconds:,.1f}"
    return f"≈ {seconds:,.0f} ({naive['done']:,} of {naive['total']:,} rows in {naive['seconds']:.0f} s)"


def _pages(found: dict[str, Any]) -> list[str]:
    lines = [
        "| page | period | operational tables p50 / p95 (s) | columnar copy p50 / p95 (s) | copy, first request (s) "
        "| goal p95 < 1 s | naive ORM (s) | naive / copy p50 |",
        "|---|---|---:|---:|---:|---|---:|---:|",
    ]
    for key, copy in found["copy"].items():
        live, naive = found["live"][key], found["naive"].get(key)
        ratio = f"{naive['estimate'] / copy['p50']:,.0f}×" if naive and copy["p50"] else ""
        lines.append(
            f"| {copy['label']} | {PERIODS[key[1]]} | {_timing(live)} | {_timing(copy)} | {copy['first']:.2f} "
            f"| {_goal(copy['p95'])} "
            f"| {_naive(naive)} | {ratio} |"
        )
    return lines


def _replicated(found: dict[str, Any]) -> list[str]:
    """The pages on the copy replicated K times, beside the naive figures' time for K times the rows."""
    times, rows = found["replicated"]["times"], found["replicated"]["rows"]
    lines = [
        f"The same pages on the copy replicated ×{times} (`--replicate {times}`, `bench/_analytics_scale.py`): "
        f"{rows['cases']:,} cases, {rows['reviews']:,} decided review tasks and {rows['tasks']:,} decided review "
        f"tasks of completed cases in the copy. The naive ORM's time is its time above × {times} (it reads every "
        "row one by one, so it grows with them).",
        "",
        f"| page | period | columnar copy ×{times} p50 / p95 (s) | first request (s) | goal p95 < 1 s "
        f"| naive ORM ×{times} (s) | naive / copy p50 |",
        "|---|---|---:|---:|---|---:|---:|",
    ]
    for key, copy in found["copy_replicated"].items():
        naive = found["naive"].get(key)
        estimate = naive["estimate"] * times if naive else None
        ratio = f"{estimate / copy['p50']:,.0f}×" if estimate and copy["p50"] else ""
        lines.append(
            f"| {copy['label']} | {PERIODS[key[1]]} | {_timing(copy)} | {copy['first']:.2f} | {_goal(copy['p95'])} "
            f"| {f'≈ {estimate:,.0f}' if estimate else ''} | {ratio} |"
        )
    return lines


def _candidates(found: dict[str, Any]) -> list[str]:
    c = found["candidates"]
    lines = [
        "| computation | quarter (s) | year (s) |",
        "|---|---:|---:|",
        f"| (a) phases of the decided cases from the operational tables + percentiles, PostgreSQL SQL "
        f"| {c['quarter']['a_phases']:.3f} | {c['year']['a_phases']:.3f} |",
        f"| (a') percentiles over a facts table kept in PostgreSQL | {c['quarter']['a_facts']:.3f} "
        f"| {c['year']['a_facts']:.3f} |",
        f"| (b) percentiles over the Parquet copy, DuckDB | {c['quarter']['b_phases']:.3f} "
        f"| {c['year']['b_phases']:.3f} |",
        f"| (a) five demand counts, PostgreSQL (covering index) | {c['quarter']['a_demand']:.3f} "
        f"| {c['year']['a_demand']:.3f} |",
        f"| (b) five demand counts, DuckDB over Parquet | {c['quarter']['b_demand']:.3f} "
        f"| {c['year']['b_demand']:.3f} |",
    ]
    build = c["build"]
    lines += [
        "",
        f"Building (a)'s indexes took {build['indexes']:.0f} s and (a')'s facts table {build['pg_facts']:.0f} s "
        f"(medians of {RUNS} runs after a warm-up; the indexes and table were dropped after).",
    ]
    return lines


MIX_TEXT = {
    "city": "the demo city's mix of what is applied for (`--mix city`: most matters are reviewed by one department, "
    "so a case has about 1.1 review tasks)",
    "tasks": "the industrial-project bundle (14 matters in four stages, with its bills) weighed "
    f"{data.TASKS_MIX_WEIGHT:.0f} instead of the city's 0.3 (`--mix tasks`, the default), so that a case has four "
    "to five review tasks (the issue asks for 5,000,000 tasks at 1,000,000 cases)",
}


def markdown(found: dict[str, Any], cases: int, mix: str, replicate: int, cpus: int) -> str:
    built, totals, refresh, tail = found["built"], found["totals"], found["refresh"], found["tail"]
    tasks_per_case = totals["tasks"] / max(totals["cases"], 1)
    quarter, year = found["periods"]["quarter"], found["periods"]["year"]
    lines = [
        f"Data: the demo city (`onewindow demo --history 0`) and {cases:,} history cases written in slices of "
        f"50,000 (`history_write(50_000, seed=k)`, k = 1, 2, …) with {MIX_TEXT[mix]}: {totals['cases']:,} "
        f"cases and {totals['tasks']:,} review tasks in all, {tasks_per_case:.2f} a case (one review task per "
        f"matter of a case; none when refused or withdrawn). Built once in {built['seconds'] / 60:.0f} min into the "
        f"PostgreSQL database `{found['database']}` and reused while it holds them (VACUUM ANALYZE after the "
        f"build).",
        "",
        f"Measured as the city's leader (云川市, every case in scope) for the last quarter (the pages' default, "
        f"{quarter[0]} to {quarter[1]}) and the whole year ({year[0]} to {year[1]}); the forecast reads its own 52 "
        f"weeks and the report its month. Each page through Django's test client with DEBUG off: one warm-up "
        f"request (its time in 'first request': the forecast fits its model there, then keeps it for the day), "
        f"then p50 and p95 of {SAMPLES} requests (a page over {SLOW_S:.0f} s: its first request and one "
        f"more; over {VERY_SLOW_S:.0f} s: the first alone), on {cpus} CPU cores shared with the database "
        f"server. First from the operational tables (the reads main had), then from the columnar copy "
        f"(`analytics.facts`, docs/adr/0005). 'Naive ORM' computes the same headline figures reading the "
        f"period's Case (or Task) objects one by one and their related rows through the relations (N+1 "
        f"queries), counting in Python with the figures' own rules; each computation stops after {CAP_S:.0f} s "
        f"and is extrapolated from the rows it read.",
        "",
        *_pages(found),
        "",
        f"The copy: written whole in {refresh['full']:.0f} s ({refresh['cases']:,} cases, "
        f"{refresh['bytes'] / 1e6:.0f} MB of Parquet), refreshed again with nothing changed in "
        f"{refresh['again']:.1f} s. Read beside {tail['changed']:,} cases changed since its refresh (about "
        f"{TAIL_CASES:,} of the newest, read live), the overview of the quarter took {tail['p50']:.2f} s (p50).",
        "",
        *([*_replicated(found), ""] if "replicated" in found else []),
        "The two routes of the issue, measured on the same data (`bench/_analytics_candidates.py`):",
        "",
        *_candidates(found),
        "",
        f"Command: `python -m bench analytics --cases {cases} --mix {mix}"
        f"{f' --replicate {replicate}' if replicate > 1 else ''}` ({found['seconds'] / 60:.0f} min this "
        f"run, the data built before).",
    ]
    return "\n".join(lines) + "\n"
