"""Key projects (量化排位): ranking, warnings and assessment for 10,000 projects × 36 months.

The data is bulk-inserted straight into the tables (bulk_create, not through the services: the
services' audit events and checks are not what is measured): 16 districts with two departments
each, 10,000 projects with three years of annual plans, three milestones each, 360,000 monthly
progress reports (some late, some months without investment, one district weak throughout) and
about 20,000 problems with their assignment steps, plus 100 leaders holding 100 projects each.

Then `ranking_replay` computes all 36 months in order — each month one transaction: project
classes, district standings, warnings, the monthly / quarterly / annual assessment, one audit
event — first from nothing, then again over the stored results (the idempotent recompute). If the
briefings app offers `briefings.services.monthly_reports_generate(period=…)`, generating every
leader's monthly report for the last month is timed too. SQLite runs on a temporary file,
PostgreSQL on `ow_bench_projects`, created and dropped here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import importlib
import multiprocessing
import os
import queue
import random
import shutil
import tempfile
import time
from decimal import Decimal
from typing import Any

from bench._postgres import create_database, drop_database

TITLE = "Key projects (量化排位): ranking, warnings and assessment, 10,000 projects × 36 months"

PROJECTS = int(os.environ.get("BENCH_PROJECTS", "10000"))  # smaller for a trial run
DISTRICTS = 16
FIRST_YEAR = 2023
MONTHS = 36
LEADERS = 100
POSTGRES_DB = "ow_bench_projects"
BATCH = 5000


def _django(db_url: str, var_dir: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ["ONEWINDOW_VAR_DIR"] = var_dir
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
    import django

    django.setup()


def _months() -> list[dt.date]:
    return [dt.date(FIRST_YEAR + i // 12, i % 12 + 1, 1) for i in range(MONTHS)]


def _month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


# --- data -----------------------------------------------------------------------------------------


def _organisations() -> tuple[list[Any], list[Any], Any]:
    from onewindow.orgs.models import Organisation
    from onewindow.orgs.services import organisation_create

    city = organisation_create(code="BC33", name="基准市", level=Organisation.Level.CITY, parent=None)
    districts, departments = [], []
    for d in range(DISTRICTS):
        district = organisation_create(
            code=f"B33{d:02d}", name=f"基准区{d + 1}", level=Organisation.Level.DISTRICT, parent=city
        )
        districts.append(district)
        for k, name in enumerate(("发改局", "住建局")):
            departments.append(
                organisation_create(
                    code=f"B33{d:02d}D{k}", name=name, level=Organisation.Level.DEPARTMENT, parent=district
                )
            )
    return districts, departments, city


def _users(count: int, prefix: str) -> list[Any]:
    from onewindow.orgs.models import User

    unusable = "!"  # no password: nobody logs in as a benchmark user
    User.objects.bulk_create(
        [User(username=f"{prefix}{i}", name=f"{prefix}{i}", password=unusable) for i in range(count)]
    )
    return list(User.objects.filter(username__startswith=prefix).order_by("pk"))


def _projects(rng: random.Random, districts: list[Any], departments: list[Any]) -> list[dict[str, Any]]:
    from onewindow.projects.models import AnnualPlan, Milestone, Project

    rows = []
    for n in range(PROJECTS):
        d = n % DISTRICTS
        phase = rng.choices(["continuing", "new_start", "preparation", "completed"], [80, 10, 7, 3])[0]
        planned_start = dt.date(FIRST_YEAR + rng.randrange(3), rng.randrange(1, 13), 1)
        rows.append(
            Project(
                code=f"BJ{n:06d}",
                name=f"基准重点项目{n}",
                owner_name=f"基准建设有限公司{n}",
                owner_credit_code=f"91330100MA{n:07d}X",
                district=districts[d],
                responsible_unit=departments[2 * d + n % 2],
                industry="先进制造",
                total_investment=Decimal(rng.randrange(5_000, 500_000)),
                phase=phase,
                level="city" if n % 5 == 0 else "district",
                planned_start=planned_start,
                planned_finish=planned_start.replace(year=planned_start.year + 3),
                actual_start=planned_start + dt.timedelta(days=rng.randrange(-20, 60)) if rng.random() < 0.8 else None,
            )
        )
    Project.objects.bulk_create(rows, batch_size=BATCH)
    projects: list[dict[str, Any]] = [
        {"pk": pk, "district_id": district_id}
        for pk, district_id in Project.objects.order_by("pk").values_list("pk", "district_id")
    ]
    plans, milestones = [], []
    for p in projects:
        p["plan"] = {year: Decimal(rng.randrange(600, 24_000)) for year in range(FIRST_YEAR, FIRST_YEAR + 3)}
        p["pace"] = 0.45 if p["district_id"] == districts[-1].pk else rng.uniform(0.7, 1.3)
        p["stall"] = rng.choice([0.02, 0.05, 0.2])
        plans += [AnnualPlan(project_id=p["pk"], year=y, planned_investment=a) for y, a in p["plan"].items()]
        for position in range(1, 4):
            planned = dt.date(FIRST_YEAR, 1, 1) + dt.timedelta(days=rng.randrange(0, 3 * 365))
            late = rng.random() < 0.15
            actual = None if late else planned + dt.timedelta(days=rng.randrange(-10, 20))
            milestones.append(
                Milestone(
                    project_id=p["pk"],
                    position=position,
                    kind="other",
                    name=f"节点{position}",
                    duration_days=30,
                    planned_on=planned,
                    actual_on=actual,
                )
            )
    AnnualPlan.objects.bulk_create(plans, batch_size=BATCH)
    Milestone.objects.bulk_create(milestones, batch_size=BATCH)
    return projects


def _reports(rng: random.Random, projects: list[dict[str, Any]], reporter: Any) -> int:
    from onewindow.dispatch.models import ProgressReport

    count = 0
    ytd: dict[int, Decimal] = {}
    for month in _months():
        rows = []
        for p in projects:
            if month.month == 1:
                ytd[p["pk"]] = Decimal(0)
            stalled = rng.random() < p["stall"]
            amount = (
                Decimal(0) if stalled else (p["plan"][month.year] / 12 * Decimal(p["pace"] * rng.uniform(0.6, 1.4)))
            )
            amount = amount.quantize(Decimal("0.01"))
            ytd[p["pk"]] += amount
            rows.append(
                ProgressReport(
                    project_id=p["pk"],
                    period_start=month,
                    period_end=_month_end(month),
                    invested_in_period=amount,
                    invested_year_to_date=ytd[p["pk"]],
                    progress_note="主体施工",
                    workers=rng.randrange(0, 300),
                    submitted_by=reporter,
                    is_late=rng.random() < 0.05,
                )
            )
        ProgressReport.objects.bulk_create(rows, batch_size=BATCH)
        count += len(rows)
    return count


def _problems(rng: random.Random, projects: list[dict[str, Any]], departments: list[Any], raiser: Any) -> int:
    from onewindow.dispatch.models import Problem, ProblemStep

    rows = []
    for p in projects:
        for _ in range(2):
            raised = dt.date(FIRST_YEAR, 1, 1) + dt.timedelta(days=rng.randrange(0, 3 * 365 - 40))
            due = raised + dt.timedelta(days=30)
            closed = due + dt.timedelta(days=rng.randrange(-25, 30)) if rng.random() < 0.8 else None
            rows.append(
                Problem(
                    project_id=p["pk"],
                    category="land",
                    title="用地指标",
                    raised_by=raiser,
                    raised_on=raised,
                    level="district",
                    assigned_unit=rng.choice(departments),
                    due_on=due,
                    status="closed" if closed else "open",
                    answered_on=closed,
                    closed_on=closed,
                )
            )
    Problem.objects.bulk_create(rows, batch_size=BATCH)
    steps = [
        ProblemStep(problem_id=pk, action="raise", level="district", unit_id=unit, due_on=due)
        for pk, unit, due in Problem.objects.values_list("pk", "assigned_unit_id", "due_on")
    ]
    ProblemStep.objects.bulk_create(steps, batch_size=BATCH)
    return len(rows)


def _leaders(projects: list[dict[str, Any]], city: Any) -> None:
    from onewindow.orgs.domain import Role
    from onewindow.orgs.models import Membership
    from onewindow.projects.models import TeamMember

    leaders = _users(LEADERS, "bench-leader-")
    Membership.objects.bulk_create([Membership(user=u, organisation=city, role=Role.LEADER) for u in leaders])
    TeamMember.objects.bulk_create(
        [TeamMember(project_id=p["pk"], role="leader", user=leaders[i % LEADERS]) for i, p in enumerate(projects)],
        batch_size=BATCH,
    )


def _setup(db_url: str, var_dir: str, results: Any) -> None:
    _django(db_url, var_dir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    rng = random.Random(4)
    started = time.perf_counter()
    districts, departments, city = _organisations()
    reporter = _users(1, "bench-reporter-")[0]
    projects = _projects(rng, districts, departments)
    reports = _reports(rng, projects, reporter)
    problems = _problems(rng, projects, departments, reporter)
    _leaders(projects, city)
    results.put({"seconds": time.perf_counter() - started, "reports": reports, "problems": problems})


# --- the measurement ------------------------------------------------------------------------------

PARTS = {
    "inputs": ("standings", "load_inputs"),
    "classes": ("standings", "project_ranks", "store_project_ranks"),
    "districts": ("standings", "district_inputs", "district_ranks", "store_district_ranks"),
    "warnings": ("run", "warnings_issue"),
    "assessment": ("run", "assessment_compute"),
}


def _instrument() -> dict[str, float]:
    """Wrap the steps of ranking_run with timers (seconds per part, summed over the months)."""
    from onewindow.ranking.services import run, standings

    modules = {"run": run, "standings": standings}
    spent = dict.fromkeys(PARTS, 0.0)
    for part, (module_name, *names) in PARTS.items():
        module = modules[module_name]
        for name in names:
            original = getattr(module, name)

            def timed(*args: Any, _original: Any = original, _part: str = part, **kwargs: Any) -> Any:
                started = time.perf_counter()
                try:
                    return _original(*args, **kwargs)
                finally:
                    spent[_part] += time.perf_counter() - started

            setattr(module, name, timed)
    return spent


def _replay(today: dt.date) -> float:
    from onewindow.ranking.services.run import ranking_replay

    months = _months()
    started = time.perf_counter()
    ranking_replay(first=months[0], last=months[-1], today=today)
    return time.perf_counter() - started


def _reports_hook(period: dt.date) -> dict[str, Any]:
    """Time briefings.services.monthly_reports_generate(period=…) when the briefings app offers it."""
    generate = None
    for name in ("onewindow.briefings.services", "onewindow.briefings.services.reports"):
        try:
            generate = generate or getattr(importlib.import_module(name), "monthly_reports_generate", None)
        except ImportError:
            continue
    if generate is None:
        return {"seconds": None, "count": 0, "note": "briefings.services.monthly_reports_generate not present"}
    started = time.perf_counter()
    outcome = generate(period=period)
    return {"seconds": time.perf_counter() - started, "count": getattr(outcome, "count", None), "note": ""}


def _measure_worker(db_url: str, var_dir: str, results: Any) -> None:
    _django(db_url, var_dir)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from onewindow.ranking.models import AssessmentScore, DistrictRank, ProjectRank, Warning
    from onewindow.ranking.services.run import ranking_run

    today = _months()[-1] + dt.timedelta(days=40)
    spent = _instrument()
    first = _replay(today)
    parts = dict(spent)
    again = _replay(today)
    with CaptureQueriesContext(connection) as captured:
        ranking_run(period=_months()[-1], today=today)
    counts = {
        "ranks": ProjectRank.objects.count(),
        "district_ranks": DistrictRank.objects.count(),
        "warnings": Warning.objects.filter(withdrawn_at__isnull=True).count(),
        "assessment": AssessmentScore.objects.count(),
    }
    reports = _reports_hook(_months()[-1])
    results.put(
        {"first": first, "again": again, "parts": parts, "queries": len(captured), "counts": counts, "reports": reports}
    )


def _in_process(target: Any, *args: Any) -> Any:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=target, args=(*args, results))
    process.start()
    while True:
        try:
            value = results.get(timeout=10)
            break
        except queue.Empty:
            if not process.is_alive():
                raise RuntimeError(f"{target.__name__} failed with exit code {process.exitcode}") from None
    process.join(timeout=120)
    return value


def _measure(label: str, db_url: str) -> tuple[str, str, dict[str, Any]]:
    var_dir = tempfile.mkdtemp(prefix="ow-bench-projects-var-")
    try:
        data = _in_process(_setup, db_url, var_dir)
        result = _in_process(_measure_worker, db_url, var_dir)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    parts = result["parts"]
    main = (
        f"| {label} | {data['seconds']:.0f} | {result['first']:.1f} | {result['first'] / MONTHS:.2f} "
        f"| {result['again']:.1f} | {result['queries']} |"
    )
    split = f"| {label} | " + " | ".join(f"{parts[part]:.1f}" for part in PARTS) + " |"
    return main, split, {"label": label, "data": data, **result}


def _reports_line(outcome: dict[str, Any]) -> str:
    reports = outcome["reports"]
    if reports["seconds"] is None:
        return f"- {outcome['label']}: leaders' monthly reports not measured ({reports['note']})."
    return (
        f"- {outcome['label']}: all {reports['count']} leaders' monthly reports for "
        f"{_months()[-1]:%Y-%m} (SMS text, Word and PDF each) in {reports['seconds']:.1f} s."
    )


def run() -> str:
    rows, splits, outcomes, notes = [], [], [], []
    sqlite_dir = tempfile.mkdtemp(prefix="ow-bench-projects-")
    try:
        main, split, outcome = _measure("SQLite (WAL)", f"sqlite:///{sqlite_dir}/projects.sqlite3")
        rows.append(main)
        splits.append(split)
        outcomes.append(outcome)
    finally:
        shutil.rmtree(sqlite_dir, ignore_errors=True)
    postgres_url, skipped = create_database(POSTGRES_DB)
    if postgres_url is None:
        notes.append(skipped)
    else:
        try:
            main, split, outcome = _measure("PostgreSQL", postgres_url)
            rows.append(main)
            splits.append(split)
            outcomes.append(outcome)
        finally:
            drop_database(POSTGRES_DB)
    counts = outcomes[0]["counts"] if outcomes else {}
    data = outcomes[0]["data"] if outcomes else {"reports": 0, "problems": 0}
    explanation = (
        f"{PROJECTS:,} projects in {DISTRICTS} districts, {MONTHS} months ({FIRST_YEAR}-01 to "
        f"{_months()[-1]:%Y-%m}): {data['reports']:,} progress reports, {data['problems']:,} problems, "
        "bulk-inserted (not through the services). One computation of a month = project classes, district "
        "standings, warnings and the monthly / quarterly / annual assessment of districts and departments, one "
        "transaction and one audit event; every month is a few aggregate queries and bulk upserts whatever the "
        f"number of projects. Results: {counts.get('ranks', 0):,} project classes, "
        f"{counts.get('district_ranks', 0):,} district standings, {counts.get('warnings', 0)} warnings in force, "
        f"{counts.get('assessment', 0):,} assessment scores. 'Recompute' replays the 36 months over the stored "
        "results (the idempotent path of `onewindow ranking run --from … --to …`)."
    )
    header = (
        "| database | data generation s | 36 months s | per month s | recompute 36 months s | queries per month |\n"
        "|---|---:|---:|---:|---:|---:|"
    )
    split_header = (
        "Where the first computation's time goes (seconds over the 36 months):\n\n"
        "| database | " + " | ".join(PARTS) + " |\n|---|" + "---:|" * len(PARTS)
    )
    lines = [explanation, "", header, *rows, "", split_header, *splits, "", *map(_reports_line, outcomes)]
    return "\n".join([*lines, *(["", *notes] if notes else [])]) + "\n"
