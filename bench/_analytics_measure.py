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
SLOW_SAMPLES = 3  # when one request takes longer than SLOW_S
SLOW_S = 10.0


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
    count = SLOW_SAMPLES if first > SLOW_S else SAMPLES
    samples = [_time(client, url) for _ in range(count)]
    p50, p95 = percentiles(samples)
    return {"p50": p50, "p95": p95, "n": count, "first": first}


def measure(cases: int) -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client

    from bench import _analytics_naive as naive
    from onewindow import clock
    from onewindow.analytics.report.domain import previous_month
    from onewindow.cases.models import Case, Task
    from onewindow.orgs.models import User

    settings.DEBUG = False  # as in production: no query log
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    today = clock.today()
    periods = {"quarter": (today - dt.timedelta(days=89), today), "year": (today - dt.timedelta(days=365), today)}
    month_first, _month_last = previous_month(today.replace(day=1))
    bundle, department = _what_if_subject()
    leader = User.objects.get(username=LEADER)
    client = Client()
    client.force_login(leader)
    found: dict[str, Any] = {
        "today": today,
        "totals": {"cases": Case.objects.count(), "tasks": Task.objects.count()},
        "periods": {k: (a, b) for k, (a, b) in periods.items()},
        "pages": {},
    }
    for page in _pages(bundle, department, f"{month_first:%Y-%m}"):
        for period, (first, last) in periods.items() if page.periods else [("own", (today, today))]:
            url = page.url(first, last)
            timing = _page_times(client, url)
            print(f"  {page.key} {period}: p50 {timing['p50']:.2f} s, p95 {timing['p95']:.2f} s", flush=True)
            found["pages"][(page.key, period)] = {"label": page.label, **timing}
    found["naive"] = naive.measure_all(leader, periods, month_first, bundle, department)
    return found
