"""The analysis figures computed naively with the ORM, for comparison: the period's Case (or Task) objects read
one by one, their related rows through the model's relations (a query each), everything counted in Python with
the figures' own pure rules (`figures.domain`, `bottlenecks.domain`). Each computation stops after CAP_S seconds
and is then extrapolated from the rows it read (their share of all the rows it had to read)."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

CAP_S = 30.0


@dataclass
class Run:
    """One naive computation: rows read, of how many, in how long; the figures when it read them all."""

    total: int = 0
    done: int = 0
    seconds: float = 0.0
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.done >= self.total

    @property
    def estimate(self) -> float:
        """Seconds for every row: measured when complete, else extrapolated."""
        if self.complete or not self.done:
            return self.seconds
        return self.seconds * self.total / self.done


class Budget:
    def __init__(self, run: Run) -> None:
        self.run, self.started = run, time.perf_counter()

    def rows(self, rows: Iterable[Any]) -> Iterator[Any]:
        for row in rows:
            if time.perf_counter() - self.started > CAP_S:
                return
            yield row
            self.run.done += 1

    def stop(self) -> Run:
        self.run.seconds = time.perf_counter() - self.started
        return self.run


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    from django.utils import timezone

    zone = timezone.get_current_timezone()
    return dt.datetime.combine(first, dt.time(), zone), dt.datetime.combine(
        last + dt.timedelta(days=1), dt.time(), zone
    )


def _visible(user: Any) -> set[int]:
    from onewindow.analytics.figures.selectors import analysis_scope

    return set(analysis_scope(user).values_list("pk", flat=True))


def _in_scope(case: Any, visible: set[int]) -> bool:
    return case.region_id in visible or any(t.department_id in visible for t in case.tasks.all())


def demand(user: Any, first: dt.date, last: dt.date) -> Run:
    """Submissions by channel, matter, bundle, region, department, applicant kind, hour, weekday, month."""
    from django.utils import timezone

    from onewindow.cases.models import Case

    visible, (start, end) = _visible(user), _bounds(first, last)
    cases = Case.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    budget = Budget(Run(total=cases.count()))
    counts: dict[str, Counter[Any]] = {k: Counter() for k in ("channel", "subject", "region", "department", "kind")}
    times: dict[str, Counter[Any]] = {k: Counter() for k in ("hour", "weekday", "month")}
    for case in budget.rows(cases.iterator(chunk_size=2000)):
        if not _in_scope(case, visible):
            continue
        counts["channel"][case.channel] += 1
        subject = case.matter_version.matter_id if case.matter_version_id else ("bundle", case.bundle_version.bundle_id)
        counts["subject"][subject] += 1
        counts["region"][case.region_id] += 1
        counts["department"].update({m.department_id for m in case.matters.all()})
        counts["kind"][case.applicant.kind] += 1
        local = timezone.localtime(case.submitted_at)
        times["hour"][local.hour] += 1
        times["weekday"][local.isoweekday()] += 1
        times["month"][local.date().replace(day=1)] += 1
    run = budget.stop()
    run.figures = {"total": sum(counts["channel"].values()), "channels": dict(counts["channel"])}
    return run


def operations(user: Any, first: dt.date, last: dt.date) -> Run:
    """The decided cases' phases (P50, P90, on time, extended), the departments' review times and who finished
    last: each decided case's timeline, clock stops and tasks read through its relations."""
    from django.utils import timezone

    from onewindow.analytics.figures.domain import CaseTimes, TaskTimes, finish_last, phase_spreads, stopped_days
    from onewindow.analytics.figures.selectors import ACCEPTED, REVIEW_FINISHED
    from onewindow.cases.models import Case

    visible, (start, end) = _visible(user), _bounds(first, last)
    cases = Case.objects.filter(status="completed", completed_at__gte=start, completed_at__lt=end)
    budget = Budget(Run(total=cases.count()))
    found: list[CaseTimes] = []
    tasks: list[TaskTimes] = []
    for case in budget.rows(cases.iterator(chunk_size=2000)):
        if not _in_scope(case, visible):
            continue
        entries = list(case.timeline.filter(action__in=(*ACCEPTED, REVIEW_FINISHED, "task_open")).order_by("at", "pk"))
        accepted = next((e.at for e in entries if e.action in ACCEPTED), None)
        finished = [e.at for e in entries if e.action == REVIEW_FINISHED]
        opened = {e.task_id: e.at for e in entries if e.action == "task_open"}
        stops = [s for s in case.clock_stops.all() if s.task_id is not None]
        decided = timezone.localtime(case.completed_at)
        case_tasks = list(case.tasks.all())
        found.append(
            CaseTimes(
                case=case.pk,
                subject=("matter", case.matter_version.matter_id)
                if case.matter_version_id
                else ("bundle", case.bundle_version.bundle_id),
                region=case.region_id,
                submitted_at=timezone.localtime(case.submitted_at),
                decided_at=decided,
                accepted_at=timezone.localtime(accepted) if accepted else None,
                review_finished_at=timezone.localtime(finished[-1]) if finished else None,
                waiting_days=stopped_days([(s.first_on, s.last_on) for s in stops], decided.date()),
                due_on=case.due_on,
                extended=bool(case.extension_days) or any(t.extension_days > 0 for t in case_tasks),
            )
        )
        for task in case_tasks:
            if task.kind != "review" or task.status not in ("approved", "rejected"):
                continue
            decided_at = timezone.localtime(task.decided_at) if task.decided_at else None
            until = decided_at.date() if decided_at else task.due_on
            own = [(s.first_on, s.last_on) for s in stops if s.task_id == task.pk]
            at = opened.get(task.pk)
            tasks.append(
                TaskTimes(
                    case.pk,
                    task.stage,
                    task.department_id,
                    timezone.localtime(at) if at else None,
                    decided_at,
                    task.due_on,
                    bool(task.extension_days),
                    stopped_days(own, until),
                )
            )
    spreads = phase_spreads(found)
    finish_last(tasks)
    run = budget.stop()
    run.figures = {"decided": spreads.count, "total_p50": spreads.phases["total"].p50}
    return run


def workload(user: Any, first: dt.date, last: dt.date) -> Run:
    """Open review tasks now and those decided in the period, per department, with their own clock stops."""
    from django.utils import timezone

    from onewindow.analytics.bottlenecks.domain import ReplayTask, age_days, review_days
    from onewindow.cases.domain import OPEN_TASK_STATUSES
    from onewindow.cases.models import Task
    from onewindow.workdays.selectors import work_calendar

    visible, (start, end), calendar = _visible(user), _bounds(first, last), work_calendar()
    today = dt.date.today()
    open_tasks = Task.objects.filter(kind="review", status__in=sorted(OPEN_TASK_STATUSES))
    decided = Task.objects.filter(kind="review", status__in=("approved", "rejected"), decided_at__gte=start)
    decided = decided.filter(decided_at__lt=end)
    budget = Budget(Run(total=open_tasks.count() + decided.count()))
    ages: Counter[int] = Counter()
    reviews: dict[int, list[int]] = {}
    for task in budget.rows(_chain(open_tasks.iterator(chunk_size=2000), decided.iterator(chunk_size=2000))):
        if task.department_id not in visible:
            continue
        if task.status in OPEN_TASK_STATUSES:
            ages[task.department_id] += age_days(task.started_on, today, calendar) if task.started_on <= today else 0
            continue
        stops = tuple((s.first_on, s.last_on or s.first_on) for s in task.clock_stops.all())
        on = timezone.localtime(task.decided_at).date()
        reviews.setdefault(task.department_id, []).append(
            review_days(ReplayTask(0, task.department_id, task.started_on, on, stops), calendar)
        )
    run = budget.stop()
    run.figures = {"decided": sum(len(v) for v in reviews.values())}
    return run


def _chain(*iterables: Iterable[Any]) -> Iterator[Any]:
    for rows in iterables:
        yield from rows


def what_if(user: Any, first: dt.date, last: dt.date, bundle: int, department: int) -> Run:
    """The bundle's cases decided in the period replayed, each case's tasks and stops read through relations."""
    from django.utils import timezone

    from onewindow.analytics.bottlenecks.domain import ReplayCase, ReplayTask, replay, summarise
    from onewindow.cases.models import Case
    from onewindow.workdays.selectors import work_calendar

    visible, (start, end), calendar = _visible(user), _bounds(first, last), work_calendar()
    cases = Case.objects.filter(status="completed", completed_at__gte=start, completed_at__lt=end)
    cases = cases.filter(bundle_version__bundle_id=bundle)
    budget = Budget(Run(total=cases.count()))
    results = []
    for case in budget.rows(cases.iterator(chunk_size=2000)):
        if not _in_scope(case, visible):
            continue
        tasks = []
        for task in case.tasks.filter(kind="review", status__in=("approved", "rejected")).order_by("pk"):
            on = timezone.localtime(task.decided_at).date()
            stops = tuple((s.first_on, s.last_on or s.first_on) for s in task.clock_stops.all())
            tasks.append(ReplayTask(task.stage, task.department_id, task.started_on, max(on, task.started_on), stops))
        replayed = ReplayCase(case.pk, timezone.localtime(case.completed_at).date(), case.due_on, tuple(tasks))
        results.append(replay(replayed, department, 3, calendar))
    summary = summarise(results)
    run = budget.stop()
    run.figures = {"cases": summary.cases, "saved_total": summary.saved_total}
    return run


def daily(user: Any, first: dt.date, last: dt.date) -> Run:
    """The forecast's history: the cases submitted each day, counted in Python (the model's fit is not timed)."""
    from django.utils import timezone

    from onewindow.cases.models import Case

    visible, (start, end) = _visible(user), _bounds(first, last)
    cases = Case.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    budget = Budget(Run(total=cases.count()))
    days: Counter[dt.date] = Counter()
    for case in budget.rows(cases.iterator(chunk_size=2000)):
        if _in_scope(case, visible):
            days[timezone.localtime(case.submitted_at).date()] += 1
    run = budget.stop()
    run.figures = {"total": sum(days.values())}
    return run


NaiveFigure = Callable[[Any, dt.date, dt.date], Run]


def measure_all(
    user: Any, periods: dict[str, tuple[dt.date, dt.date]], month_first: dt.date, bundle: int, department: int
) -> dict[tuple[str, str], dict[str, Any]]:
    """Each page's naive figures per period: the sum of the computations the page's figures need."""
    from onewindow.analytics.report.domain import month_bounds

    month = month_bounds(f"{month_first:%Y-%m}")
    assert month is not None
    today = periods["quarter"][1]
    forecast_first = today - dt.timedelta(days=364)  # domain.history_days: the 52 weeks before today

    def what_if_figure(u: Any, a: dt.date, b: dt.date) -> Run:
        return what_if(u, a, b, bundle, department)

    plans: dict[str, tuple[list[NaiveFigure], bool]] = {
        "overview": ([demand, operations], True),
        "demand": ([demand], True),
        "operations": ([operations], True),
        "bottlenecks": ([workload, what_if_figure], True),
        "api_what_if": ([what_if_figure], True),
        "forecast": ([daily], False),
        "report": ([demand, operations], False),
    }
    cache: dict[tuple[str, dt.date, dt.date], Run] = {}
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for page, (figures, periodic) in plans.items():
        spans = periods.items() if periodic else [("own", (forecast_first, today) if page == "forecast" else month)]
        for period, (first, last) in spans:
            runs = []
            for figure in figures:
                key = (figure.__name__, first, last)
                if key not in cache:
                    cache[key] = figure(user, first, last)
                runs.append(cache[key])
            found[(page, period)] = {
                "seconds": sum(r.seconds for r in runs),
                "estimate": sum(r.estimate for r in runs),
                "complete": all(r.complete for r in runs),
                "done": sum(r.done for r in runs),
                "total": sum(r.total for r in runs),
            }
            print(f"  naive {page} {period}: {found[(page, period)]}", flush=True)
    return found
