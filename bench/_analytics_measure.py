"""The analytics bench's measurements, in a process where Django is set up on the bench database: each analysis
page (and API) as the city's leader through the test client, and the naive ORM figures beside them."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

LEADER = "leader"  # the demo's city leader (云川市)
WHAT_IF_BUNDLE = "990100-YJS-002"  # 企业开办: the bundle with the most cases in the history
SAMPLES = 7  # timed requests per page and period, after one warm-up
SLOW_S = 10.0  # a page slower than this: its first request counts, and one more
VERY_SLOW_S = 60.0  # slower than this: the first request alone
TAIL_CASES = 1_000  # changed cases read live beside the copy, for the measurement of a copy that is not fresh


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    url: Callable[[dt.date, dt.date], str]
    periods: bool = True  # False: the page has its own period (the forecast's year, the report's month)


def _pages(bundle: int, department: int, month: str) -> list[Page]:
    what_if = f"bundle={bundle}&whatif_department={department}&days=3"
    return [
        Page("overview", "/analytics/", lambda a, b: f"/analytics/?from={a}&to={b}"),
        Page("demand", "/analytics/demand/", lambda a, b: f"/analytics/demand/?from={a}&to={b}"),
        Page("operations", "/analytics/operations/", lambda a, b: f"/analytics/operations/?from={a}&to={b}"),
        Page(
            "api_operations", "GET /api/analytics/operations", lambda a, b: f"/api/analytics/operations?from={a}&to={b}"
        ),
        Page(
            "bottlenecks",
            "/analytics/bottlenecks/ (with a what-if)",
            lambda a, b: f"/analytics/bottlenecks/?from={a}&to={b}&{what_if}",
        ),
        Page(
            "api_what_if",
            "GET /api/analytics/what-if",
            lambda a, b: f"/api/analytics/what-if?from={a}&to={b}&bundle={bundle}&department={department}&days=3",
        ),
        Page("forecast", "/analytics/forecast/ (52 weeks)", lambda a, b: "/analytics/forecast/", periods=False),
        Page(
            "report", f"/analytics/report/ ({month})", lambda a, b: f"/analytics/report/?month={month}", periods=False
        ),
    ]


def _what_if_subject() -> tuple[int, int]:
    """The 企业开办 bundle and the department with the most review tasks in its cases."""
    from django.db.models import Count

    from onewindow.cases.models import Task
    from onewindow.catalogue.models import Bundle

    bundle = Bundle.objects.get(code=WHAT_IF_BUNDLE)
    top = (
        Task.objects.filter(case__bundle_version__bundle=bundle)
        .values("department_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert top is not None
    return bundle.pk, top["department_id"]


def _time(client: Any, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{url}: {response.status_code} {response.content[:300]!r}")
    return elapsed


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[max(int(len(ordered) * 0.95 + 0.999999) - 1, 0)]
    return statistics.median(ordered), p95


def _page_times(client: Any, url: str) -> dict[str, Any]:
    first = _time(client, url)  # warm-up: imports, the calendar cache, the server's buffers
    if first > VERY_SLOW_S:
        samples = [first]
    elif first > SLOW_S:
        samples = [first, _time(client, url)]
    else:
        samples = [_time(client, url) for _ in range(SAMPLES)]
    p50, p95 = percentiles(samples)
    return {"p50": p50, "p95": p95, "n": len(samples), "first": first}


def _pages_measured(
    client: Any, pages: list[Page], periods: dict[str, tuple[dt.date, dt.date]], source: str
) -> dict[Any, Any]:
    from django.core.cache import cache

    cache.clear()  # each pass fits the forecast again (kept for the day otherwise)
    found = {}
    today = periods["quarter"][1]
    for page in pages:
        for period, (first, last) in periods.items() if page.periods else [("own", (today, today))]:
            timing = _page_times(client, page.url(first, last))
            print(f"  {source} {page.key} {period}: p50 {timing['p50']:.2f} s, p95 {timing['p95']:.2f} s", flush=True)
            found[(page.key, period)] = {"label": page.label, **timing}
    return found


def _refreshes() -> dict[str, Any]:
    from onewindow.analytics.facts.services import facts_refresh

    started = time.perf_counter()
    info = facts_refresh(full=True)
    full = time.perf_counter() - started
    started = time.perf_counter()
    facts_refresh()
    again = time.perf_counter() - started
    size = sum(f.stat().st_size for f in info.directory.iterdir())
    print(f"  copy: full {full:.0f} s, again {again:.1f} s, {size / 1e6:.0f} MB", flush=True)
    return {"full": full, "again": again, "bytes": size, "cases": info.cases}


def _with_tail(client: Any, url: str) -> dict[str, Any]:
    """A page read beside about TAIL_CASES cases changed since the copy (the watermark moved back)."""
    import dataclasses
    import json

    from onewindow.analytics.facts import store
    from onewindow.cases.models import Case, TimelineEntry

    info = store.current()
    assert info is not None
    newest = Case.objects.order_by("-pk").values_list("pk", flat=True)[TAIL_CASES]
    back = TimelineEntry.objects.filter(case_id__gt=newest).order_by("pk").values_list("pk", flat=True).first()
    moved = dataclasses.replace(info, watermark=(back or info.watermark) - 1)
    (store.facts_dir() / store.CURRENT).write_text(json.dumps(moved.__dict__))
    changed = len(store.changed_since(moved.watermark))
    timing = _page_times(client, url)
    (store.facts_dir() / store.CURRENT).write_text(json.dumps(info.__dict__))
    print(f"  copy with {changed} changed cases: p50 {timing['p50']:.2f} s", flush=True)
    return {"changed": changed, **timing}


def measure(cases: int, replicate: int = 1) -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from bench import _analytics_candidates as candidates
    from bench import _analytics_naive as naive
    from bench import _analytics_scale as scale
    from onewindow import clock
    from onewindow.analytics.facts import store
    from onewindow.analytics.report.domain import previous_month
    from onewindow.cases.models import Case, Task
    from onewindow.orgs.models import User

    settings.DEBUG = False  # as in production: no query log
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    assert store.current() is None  # a fresh directory: the first pass reads the operational tables
    today = clock.today()
    periods = {"quarter": (today - dt.timedelta(days=89), today), "year": (today - dt.timedelta(days=365), today)}
    month_first, _month_last = previous_month(today.replace(day=1))
    bundle, department = _what_if_subject()
    leader = User.objects.get(username=LEADER)
    client = Client()
    client.force_login(leader)
    pages = _pages(bundle, department, f"{month_first:%Y-%m}")
    found: dict[str, Any] = {
        "today": today,
        "totals": {"cases": Case.objects.count(), "tasks": Task.objects.count()},
        "periods": periods,
    }
    found["live"] = _pages_measured(client, pages, periods, "operational tables")
    found["refresh"] = _refreshes()
    found["copy"] = _pages_measured(client, pages, periods, "copy")
    quarter = periods["quarter"]
    found["tail"] = _with_tail(client, pages[0].url(*quarter))
    zone = timezone.get_current_timezone()
    bounds = {
        key: (dt.datetime.combine(a, dt.time(), zone), dt.datetime.combine(b + dt.timedelta(days=1), dt.time(), zone))
        for key, (a, b) in periods.items()
    }
    info = store.current()
    assert info is not None
    found["candidates"] = candidates.measure(bounds, info.directory)
    if replicate > 1:
        found["replicated"] = {"rows": scale.copy_replicated(replicate), "times": replicate}
        found["copy_replicated"] = _pages_measured(client, pages, periods, f"copy ×{replicate}")
    found["naive"] = naive.measure_all(leader, periods, month_first, bundle, department)
    return found
