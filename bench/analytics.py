"""Leaders' analysis (issue 17, "Speed"): every analysis page on a city's year of history, on PostgreSQL.

The data (`bench/_analytics_data.py`): the demo city without its history, then N history cases (default
1,000,000) written in slices, in the database `ow_bench_analytics_<N>`, kept and reused. Measured as the city's
leader, for the last quarter (the pages' default 90 days) and the whole year (366 days): each page through the
Django test client (DEBUG off), p50 and p95 over several requests after one warm-up, and the API where it is the
cheaper read; beside it, the same headline figures computed naively with the ORM (Case objects and their related
rows read one case at a time in Python), capped by time and extrapolated when the cap cuts it short.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import tempfile
import time
from typing import Any

from bench import _analytics_data as data

TITLE = "Leaders' analysis (大数据分析): the analysis pages on a year of history"
CASES = 1_000_000
GOAL_P95_S = 1.0


def _django(url: str, var_dir: str) -> None:
    from bench._postgres import django_on

    django_on(url, var_dir)


def _child(url: str, var_dir: str, cases: int, mix: str, replicate: int, build: bool, results: Any) -> None:
    _django(url, var_dir)
    found: dict[str, Any] = {}
    if build:
        found["built"] = data.build(cases, lambda line: print(f"  {line}", flush=True), mix)
    from bench import _analytics_measure as measure

    found |= measure.measure(cases, replicate)
    results.put(found)


def _in_process(*args: Any) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=_child, args=(*args, results))
    process.start()
    while True:
        try:
            value: dict[str, Any] = results.get(timeout=10)
            break
        except queue.Empty:
            if not process.is_alive():
                raise RuntimeError(f"the analytics bench failed with exit code {process.exitcode}") from None
    process.join(timeout=60)
    return value


def run(cases: int = CASES, mix: str = "tasks", replicate: int = 1) -> str:
    name = data.database_name(cases, mix)
    built = data.built(name)
    if built is None or built["cases"] != cases:
        print(f"  building {name}: the demo city and {cases:,} history cases", flush=True)
        url = data.recreate(name)
        rebuild = True
    else:
        from bench._postgres import POSTGRES_SERVER

        url, rebuild = f"{POSTGRES_SERVER}/{name}", False
    var_dir = tempfile.mkdtemp(prefix=f"{name}-")
    started = time.monotonic()
    found = _in_process(url, var_dir, cases, mix, replicate, rebuild)
    found.setdefault("built", built)
    found["database"] = name
    found["seconds"] = time.monotonic() - started
    from bench import _analytics_report as report

    return report.markdown(found, cases, mix, replicate, os.cpu_count() or 0)
