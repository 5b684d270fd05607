"""Case engine (并联审批): the five measurements of issue 3, "Measured, not hoped".

1. Submit + acceptance with its fan-out (1 case, 5 tasks, 7 timeline rows, 7 audit events) in one
   transaction through the services, beside the same rows as plain SQL (psycopg / sqlite3).
2. The full lifecycle (submit, accept, 5 approvals, joint decision; each step its own
   transaction), beside SpiffWorkflow persisted to PostgreSQL (bench/spiff_lifecycle.py).
3. SQL queries per five-department lifecycle.  4. Growth: 20 departments vs 5; 4 vs 2 processes.
5. 1,000,000 tasks in PostgreSQL: the first page of a department's 待办 and of the supervision board.
SQLite runs on a temporary file, PostgreSQL on `ow_bench_cases`, created and dropped here.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import queue
import secrets
import shutil
import statistics
import tempfile
import time
from typing import Any

from bench._postgres import create_database, drop_database

TITLE = "Case engine (并联审批): submit + fan-out, lifecycle, queries, growth, 1M tasks"

SECONDS = 3.0
WINDOWS = 3  # each rate is the best of three windows: this shared machine's speed drifts
LANES = 4  # one region (own daily number sequence) per writer process
TASK_ROWS = 1_000_000
CASE_ROWS = 100_000
BIG_DEPARTMENTS = 200
PAGE_SAMPLES = 60
PAGE_SECONDS = 20.0
POSTGRES_DB = "ow_bench_cases"


def _django(db_url: str, var_dir: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ["ONEWINDOW_VAR_DIR"] = var_dir
    os.environ["DEBUG"] = "0"  # as in production: no query log
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
    import django

    django.setup()


def _context() -> Any:
    return multiprocessing.get_context("spawn")


def _in_process(target: Any, *args: Any) -> Any:
    """Run target(*args, results) in a fresh process; return what it put."""
    results = _context().Queue()
    process = _context().Process(target=target, args=(*args, results))
    process.start()
    while True:
        try:
            value = results.get(timeout=5)
            break
        except queue.Empty:
            if not process.is_alive():
                raise RuntimeError(f"{target.__name__} failed with exit code {process.exitcode}") from None
    process.join(timeout=60)
    return value


# --- data -----------------------------------------------------------------------------------------


def _lane(departments: int) -> dict[str, Any]:
    from django.conf import settings

    from onewindow.cases.tests import factories as f
    from onewindow.catalogue.tests.factories import BundleVersionFactory, StageFactory, StageMatterFactory

    home = f.region()
    versions = [f.published_matter(department=f.department(home)) for _ in range(departments)]
    for version in versions:
        version.materials.update(required=False)  # no uploads: the database is what is measured
    bundle = BundleVersionFactory.create(published=True, name=f"{departments}部门并联审批")
    stage = StageFactory.create(bundle_version=bundle, position=1, lead_department=versions[0].matter.department)
    for version in versions:
        StageMatterFactory.create(stage=stage, matter=version.matter, matter_version=version)
    bundle.unified_form_schema = versions[0].form_schema
    bundle.save(update_fields=["unified_form_schema"])
    applicant = f.applicant_with_user()
    dept_ids = [v.matter.department_id for v in versions]
    return {
        "bundle_id": bundle.pk,
        "title": bundle.name,
        "applicant_id": applicant.pk,
        "applicant_user_id": applicant.user_id,
        "clerk_id": f.clerk_for(home).pk,
        "coordinator_id": f.coordinator_for(versions[0].matter.department).pk,
        "reviewers": {d: f.reviewer_for(versions[i].matter.department).pk for i, d in enumerate(dept_ids)},
        "region_id": home.pk,
        "region_code": home.code,
        "dept_ids": dept_ids,
        "version_ids": [v.pk for v in versions],
        "materials": [(m.key, m.name) for m in versions[0].materials.order_by("position")],
        "algorithm": settings.AUDIT_HASH_ALGORITHM,
    }


def _setup(db_url: str, var_dir: str, results: Any) -> None:
    _django(db_url, var_dir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    results.put({"lanes": [_lane(5) for _ in range(LANES)], "wide": _lane(20)})


# --- the services ---------------------------------------------------------------------------------


class Actors:
    def __init__(self, lane: dict[str, Any]) -> None:
        from onewindow.catalogue.models import BundleVersion
        from onewindow.orgs.models import Applicant, User

        users = User.objects.in_bulk([lane["clerk_id"], lane["coordinator_id"], *lane["reviewers"].values()])
        self.applicant = Applicant.objects.select_related("user").get(pk=lane["applicant_id"])
        self.bundle = BundleVersion.objects.get(pk=lane["bundle_id"])
        self.clerk, self.coordinator = users[lane["clerk_id"]], users[lane["coordinator_id"]]
        self.reviewers = {int(d): users[u] for d, u in lane["reviewers"].items()}

    def new_request(self) -> None:
        """Each request reads its user's memberships again (they are kept on the user object)."""
        from onewindow.orgs.selectors import user_forget_memberships

        for user in (self.applicant.user, self.clerk, self.coordinator, *self.reviewers.values()):
            if user is not None:
                user_forget_memberships(user)


def _submit(actors: Actors) -> Any:
    from onewindow.cases.services.intake import case_submit
    from onewindow.cases.tests.factories import form_values

    return case_submit(
        actor=actors.applicant.user,
        applicant=actors.applicant,
        bundle_version=actors.bundle,
        form_data=form_values(),
        files={},
        channel="online",
    )


def _submit_and_accept(actors: Actors) -> None:
    from django.db import transaction

    from onewindow.cases.services.intake import case_accept

    actors.new_request()
    with transaction.atomic():
        case_accept(actor=actors.clerk, case=_submit(actors))


def _lifecycle(actors: Actors, counts: list[int] | None = None) -> int:
    """One case from submission to the joint decision; returns the number of steps."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from onewindow.cases.models import CaseMatter, Task
    from onewindow.cases.services import intake, review

    def step(call: Any) -> Any:
        actors.new_request()
        if counts is None:
            return call()
        with CaptureQueriesContext(connection) as captured:
            result = call()
        counts.append(len(captured))
        return result

    case = step(lambda: _submit(actors))
    case = step(lambda: intake.case_accept(actor=actors.clerk, case=case))
    tasks = list(Task.objects.filter(case=case).order_by("pk"))
    for task in tasks:
        reviewer = actors.reviewers[task.department_id]
        step(lambda t=task, r=reviewer: review.task_approve(actor=r, task=t, opinion="同意"))
    results = {
        pk: CaseMatter.Result.APPROVED for pk in CaseMatter.objects.filter(case=case).values_list("pk", flat=True)
    }
    step(lambda: review.case_decide(actor=actors.coordinator, case=case, results=results))
    return 3 + len(tasks)


def _service_worker(db_url: str, var_dir: str, lane: dict[str, Any], kind: str, barrier: Any, results: Any) -> None:
    _django(db_url, var_dir)
    actors = Actors(lane)
    one = _submit_and_accept if kind == "submit" else _lifecycle
    one(actors)  # warm up: imports, the calendar cache, the region's sequence row
    results.put(_windows(lambda: one(actors), barrier))


def _windows(one: Any, barrier: Any) -> list[tuple[int, float, int]]:
    """(units, seconds, steps) of each timed window, each started together with the other writers."""
    found = []
    for _ in range(WINDOWS):
        barrier.wait()
        count, steps, started = 0, 0, time.perf_counter()
        while time.perf_counter() - started < SECONDS:
            steps += one() or 0
            count += 1
        found.append((count, time.perf_counter() - started, steps))
    return found


def _count_worker(db_url: str, var_dir: str, lane: dict[str, Any], results: Any) -> None:
    _django(db_url, var_dir)
    from django.conf import settings

    settings.DEBUG = True
    actors = Actors(lane)
    _lifecycle(actors)
    counts: list[int] = []
    _lifecycle(actors, counts)
    results.put(counts)


# --- the same rows as plain SQL -------------------------------------------------------------------


def _case_row(lane: dict[str, Any], number: int, json: Any, now: dt.datetime) -> list[Any]:
    today = now.date()
    code = f"{lane['region_code']}-{today:%Y%m%d}-{number:05d}"
    case = [
        code, "in_review", "online", lane["applicant_id"], lane["region_id"], None, lane["bundle_id"], lane["title"],
        json({"project_name": "滨江科创园一期", "floor_area": 12000}), lane["applicant_user_id"], None, False, now,
        now, today, today + dt.timedelta(days=7), today, False, f"{code}-SL", 45, 0, today + dt.timedelta(days=66),
        1, None, "", "", "normal",
    ]  # fmt: skip
    return case


CASE_COLUMNS = (
    "number, status, channel, applicant_id, region_id, matter_version_id, bundle_version_id, title, form_data, "
    "submitted_by_id, agent_id, is_green_channel, created_at, submitted_at, received_on, intake_due_on, "
    "accepted_on, is_deemed_accepted, acceptance_notice_number, limit_days, extension_days, due_on, "
    "current_stage, completed_at, decision_note, refusal_reason, warning_level"
)
TASK_COLUMNS = (
    "case_id, case_matter_id, department_id, kind, stage, status, assignee_id, required_signoffs, started_on, "
    "limit_days, extension_days, extension_requested_days, due_on, decided_at, opinion, warning_level"
)
TIMELINE_COLUMNS = "case_id, task_id, at, actor_id, action, from_status, to_status, note, is_public"
EVENT_COLUMNS = (
    "stream, seq, occurred_at, actor_id, organisation_id, action, target_type, target_id, changes, request_id, "
    "algorithm, prev_hash, hash"
)


def _rows(n: int, width: int, mark: str) -> str:
    return ", ".join(["(" + ", ".join([mark] * width) + ")"] * n)


def _plain_case(execute: Any, lane: dict[str, Any], json: Any, mark: str) -> None:
    """Submit + accept with fan-out, hand-written: sequence, case, matters, materials, tasks, timeline, audit."""
    from onewindow.audit import domain

    number = execute(
        f'INSERT INTO cases_casesequence (region_code, "on", last) VALUES ({mark}, {mark}, 1) ON CONFLICT '
        '(region_code, "on") DO UPDATE SET last = cases_casesequence.last + 1 RETURNING last',
        [lane["region_code"], dt.date.today()],
    )[0][0]
    now = dt.datetime.now(dt.UTC)
    today, case = now.date(), _case_row(lane, number, json, now)
    case_id = execute(f"INSERT INTO cases_case ({CASE_COLUMNS}) VALUES {_rows(1, 27, mark)} RETURNING id", case)[0][0]
    depts, versions = lane["dept_ids"], lane["version_ids"]
    matter_ids = [
        row[0]
        for row in execute(
            "INSERT INTO cases_casematter (case_id, matter_version_id, department_id, stage, result) "
            f"VALUES {_rows(len(depts), 5, mark)} RETURNING id",
            [v for version, dept in zip(versions, depts, strict=True) for v in (case_id, version, dept, 1, "pending")],
        )
    ]
    execute(
        "INSERT INTO cases_casematerial (case_id, key, name, file, sha256, size, content_type, uploaded_at, "
        f"deferred_due_on) VALUES {_rows(len(lane['materials']), 9, mark)}",
        [v for key, name in lane["materials"] for v in (case_id, key, name, "", "", 0, "", None, None)],
    )
    due = today + dt.timedelta(days=7)
    task_ids = [
        row[0]
        for row in execute(
            f"INSERT INTO cases_task ({TASK_COLUMNS}) VALUES {_rows(len(depts), 16, mark)} RETURNING id",
            [
                v
                for m, d in zip(matter_ids, depts, strict=True)
                for v in (case_id, m, d, "review", 1, "open", None, 1, today, 5, 0, 0, due, None, "", "normal")
            ],
        )
    ]
    execute(
        f"INSERT INTO cases_casedepartment (case_id, department_id) VALUES {_rows(len(depts), 2, mark)}",
        [v for d in sorted(set(depts)) for v in (case_id, d)],
    )
    steps = [(None, "case_submit", "draft", "submitted", lane["applicant_user_id"], lane["region_id"]),
             (None, "case_accept", "submitted", "in_review", lane["clerk_id"], lane["region_id"])]  # fmt: skip
    steps += [(t, "task_open", "", "open", lane["clerk_id"], d) for t, d in zip(task_ids, depts, strict=True)]
    execute(
        f"INSERT INTO cases_timelineentry ({TIMELINE_COLUMNS}) VALUES {_rows(len(steps), 9, mark)}",
        [
            v
            for task, action, old, new, actor, _ in steps
            for v in (case_id, task, now, actor, action, old, new, "", True)
        ],
    )
    stream = f"case:{case_id}"
    seq, prev = execute(
        f"INSERT INTO audit_streamhead (stream, seq, hash) VALUES ({mark}, 0, {mark}) ON CONFLICT (stream) "
        "DO UPDATE SET seq = audit_streamhead.seq RETURNING seq, hash",
        [stream, domain.GENESIS_HASH],
    )[0]
    events = []
    for task, action, old, new, actor, org in steps:
        seq += 1
        changes = {"status": [old, new], **({"task_id": task} if task else {})}
        payload = domain.event_payload(
            {"stream": stream, "seq": seq, "occurred_at": now, "actor_id": actor, "organisation_id": org,
             "action": f"cases.{action}", "target_type": "cases.case", "target_id": str(case_id),
             "changes": changes, "request_id": "", "algorithm": lane["algorithm"]}
        )  # fmt: skip
        digest = domain.event_hash(lane["algorithm"], payload, prev)
        events += [stream, seq, now, actor, org, f"cases.{action}", "cases.case", str(case_id), json(changes), "",
                   lane["algorithm"], prev, digest]  # fmt: skip
        prev = digest
    execute(f"INSERT INTO audit_event ({EVENT_COLUMNS}) VALUES {_rows(len(steps), 13, mark)}", events)
    execute(f"UPDATE audit_streamhead SET seq = {mark}, hash = {mark} WHERE stream = {mark}", [seq, prev, stream])


def _plain_worker(db_url: str, lane: dict[str, Any], barrier: Any, results: Any) -> None:
    if db_url.startswith("sqlite"):
        import json as jsonlib
        import sqlite3

        conn = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
        conn.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")

        def one() -> None:
            conn.execute("BEGIN IMMEDIATE")
            _plain_case(lambda sql, p: conn.execute(sql, p).fetchall(), lane, jsonlib.dumps, "?")
            conn.execute("COMMIT")
    else:
        import psycopg
        from psycopg.types.json import Jsonb

        pg = psycopg.connect(db_url)

        def one() -> None:
            with pg.transaction():
                _plain_case(lambda sql, p: _fetch(pg.execute(sql, p)), lane, Jsonb, "%s")

    one()
    results.put(_windows(one, barrier))


def _fetch(cursor: Any) -> list[Any]:
    return cursor.fetchall() if cursor.description else []


def _rate(target: Any, args_for: Any, processes: int) -> tuple[float, float]:
    """(units per second over all processes, steps per second) with `processes` writers started together."""
    context = _context()
    barrier, results = context.Barrier(processes), context.Queue()
    workers = [context.Process(target=target, args=(*args_for(i), barrier, results)) for i in range(processes)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    rates = []
    for window in zip(*outcomes, strict=True):  # the same window of every process
        elapsed = max(e for _, e, _ in window)
        rates.append((sum(c for c, _, _ in window) / elapsed, sum(s for _, _, s in window) / elapsed))
    return max(rates)


# --- 1,000,000 tasks ------------------------------------------------------------------------------


def _big_people() -> dict[str, Any]:
    from onewindow.orgs.domain import Role
    from onewindow.orgs.models import Organisation
    from onewindow.orgs.services import organisation_create
    from onewindow.orgs.tests.factories import UserFactory, staff

    UserFactory.reset_sequence(100_000)  # type: ignore[no-untyped-call]  # usernames after the seed's
    districts = [
        organisation_create(code=f"BIG{d:02d}", name=f"大区{d}", level=Organisation.Level.DISTRICT) for d in range(10)
    ]
    departments = [
        organisation_create(code=f"BIG{d:02d}D{n:02d}", name=f"部门{n}", level=Organisation.Level.DEPARTMENT,
                            parent=districts[d])
        for d in range(10) for n in range(BIG_DEPARTMENTS // 10)
    ]  # fmt: skip
    return {
        "districts": [o.pk for o in districts],
        "departments": [o.pk for o in departments],
        "reviewers": [staff(Role.REVIEWER, departments[i * 17]).pk for i in range(10)],
        "supervisor": staff(Role.SUPERVISOR, districts[0]).pk,
    }


BIG_CASES_SQL = f"""
INSERT INTO cases_case ({CASE_COLUMNS})
SELECT 'BIG-' || g, 'in_review', 'online', %(applicant)s, (%(districts)s::bigint[])[1 + g %% 10], NULL, %(bundle)s,
       '大批量办件', '{{}}'::jsonb, NULL, NULL, g %% 50 = 0, now(), now(), current_date - 30, current_date - 25,
       current_date - 30, false, 'BIG-' || g || '-SL', 45, 0, current_date + (g %% 90) - 30, 1, NULL, '', '',
       CASE WHEN g %% 90 < 30 THEN 'red' WHEN g %% 90 < 40 THEN 'yellow' ELSE 'normal' END
FROM generate_series(0, %(cases)s - 1) AS g
"""
BIG_MATTERS_SQL = """
INSERT INTO cases_casematter (case_id, matter_version_id, department_id, stage, result)
SELECT id, %(version)s, %(department)s, 1, 'pending' FROM cases_case WHERE number LIKE 'BIG-%%' ORDER BY id
"""
BIG_CASE_DEPARTMENTS_SQL = """
INSERT INTO cases_casedepartment (case_id, department_id)
SELECT DISTINCT case_id, department_id FROM cases_task
WHERE case_id IN (SELECT id FROM cases_case WHERE number LIKE 'BIG-%%')
"""
BIG_TASKS_SQL = f"""
INSERT INTO cases_task ({TASK_COLUMNS}, is_green_channel)
SELECT m.case_id, m.id, (%(departments)s::bigint[])[1 + g %% {BIG_DEPARTMENTS}], 'review', 1,
       CASE WHEN g < %(cases)s THEN (CASE WHEN g %% 5 = 0 THEN 'suspended' ELSE 'open' END)
            WHEN g %% 10 = 9 THEN 'rejected' WHEN g %% 10 = 8 THEN 'cancelled' ELSE 'approved' END,
       CASE WHEN g %% 7 = 0 THEN %(someone)s END, 1, current_date - 20, 5, 0, 0, current_date + (g %% 61) - 30,
       NULL, '', CASE WHEN g %% 61 < 30 THEN 'red' WHEN g %% 61 < 33 THEN 'yellow' ELSE 'normal' END,
       m.is_green_channel
FROM generate_series(0, %(tasks)s - 1) AS g
JOIN (SELECT cm.id, cm.case_id, c.is_green_channel, row_number() OVER (ORDER BY cm.id) - 1 AS n
      FROM cases_casematter cm JOIN cases_case c ON c.id = cm.case_id WHERE c.number LIKE 'BIG-%%') AS m
  ON m.n = g %% %(cases)s
"""


def _big_build(data: dict[str, Any], people: dict[str, Any]) -> float:
    from django.db import connection

    lane = data["lanes"][0]
    started = time.perf_counter()
    params = {
        "applicant": lane["applicant_id"], "districts": people["districts"], "bundle": lane["bundle_id"],
        "cases": CASE_ROWS, "version": lane["version_ids"][0], "department": lane["dept_ids"][0],
        "departments": people["departments"], "someone": lane["clerk_id"], "tasks": TASK_ROWS,
    }  # fmt: skip
    with connection.cursor() as cursor:
        for name, sql in (
            ("cases", BIG_CASES_SQL),
            ("case matters", BIG_MATTERS_SQL),
            ("tasks", BIG_TASKS_SQL),
            ("case departments", BIG_CASE_DEPARTMENTS_SQL),
        ):
            cursor.execute(sql, params)
            print(f"   {name}: {cursor.rowcount:,} rows after {time.perf_counter() - started:.0f} s", flush=True)
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def _timed(call: Any) -> list[float]:
    """Up to PAGE_SAMPLES timings (ms), fewer when the page is slow: at most PAGE_SECONDS in all."""
    samples: list[float] = []
    begun = time.perf_counter()
    while len(samples) < PAGE_SAMPLES and (len(samples) < 3 or time.perf_counter() - begun < PAGE_SECONDS):
        started = time.perf_counter()
        call(len(samples))
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _big_pages(db_url: str, var_dir: str, data: dict[str, Any], results: Any) -> None:
    _django(db_url, var_dir)
    from django.core.paginator import Paginator

    from onewindow.cases import selectors
    from onewindow.orgs.models import User
    from onewindow.orgs.selectors import user_forget_memberships

    people = _big_people()
    build_seconds = _big_build(data, people)
    reviewers = list(User.objects.filter(pk__in=people["reviewers"]))
    supervisor = User.objects.get(pk=people["supervisor"])

    def todo(i: int) -> None:
        user = reviewers[i % len(reviewers)]
        user_forget_memberships(user)  # every request reads the roles again
        list(Paginator(selectors.tasks_todo(user=user), 20).get_page(1))

    def board(i: int) -> None:
        user_forget_memberships(supervisor)
        found = selectors.supervision_board(user=supervisor)
        list(found.cases[:20])
        list(Paginator(found.tasks, 20).get_page(1))

    todo(0)
    todo_ms = _timed(todo)
    print(f"   待办 page: {len(todo_ms)} samples, median {statistics.median(todo_ms):.1f} ms", flush=True)
    board(0)
    board_ms = _timed(board)
    print(f"   board page: {len(board_ms)} samples, median {statistics.median(board_ms):.1f} ms", flush=True)
    results.put({"build": build_seconds, "todo": todo_ms, "board": board_ms})


# --- the report -----------------------------------------------------------------------------------


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _goal(met: bool) -> str:
    return "met" if met else "**not met**"


def _sqlite(url: str, var_dir: str) -> dict[str, Any]:
    print("   SQLite: migrate and seed", flush=True)
    data = _in_process(_setup, url, var_dir)
    lanes = data["lanes"]
    print("   SQLite: submit + fan-out, plain SQL, lifecycle", flush=True)
    return {
        "service": _rate(_service_worker, lambda i: (url, var_dir, lanes[0], "submit"), 1)[0],
        "plain": _rate(_plain_worker, lambda i: (url, lanes[1]), 1)[0],
        "life": _rate(_service_worker, lambda i: (url, var_dir, lanes[2], "lifecycle"), 1),
        "counts": _in_process(_count_worker, url, var_dir, lanes[3]),
    }


def _postgres(url: str, var_dir: str) -> dict[str, Any]:
    from bench.spiff_lifecycle import commit_floor_rate, spiff_rate

    print("   PostgreSQL: migrate and seed", flush=True)
    data = _in_process(_setup, url, var_dir)
    lanes = data["lanes"]
    print("   PostgreSQL: submit + fan-out with 4 and 2 processes, plain SQL with 4", flush=True)
    found: dict[str, Any] = {
        "service4": _rate(_service_worker, lambda i: (url, var_dir, lanes[i], "submit"), 4)[0],
        "service2": _rate(_service_worker, lambda i: (url, var_dir, lanes[i], "submit"), 2)[0],
        "plain4": _rate(_plain_worker, lambda i: (url, lanes[i]), 4)[0],
    }
    print("   PostgreSQL: lifecycles (5 and 20 departments), query counts, SpiffWorkflow", flush=True)
    found["life5"] = _rate(_service_worker, lambda i: (url, var_dir, lanes[0], "lifecycle"), 1)
    found["life20"] = _rate(_service_worker, lambda i: (url, var_dir, data["wide"], "lifecycle"), 1)
    found["counts"] = _in_process(_count_worker, url, var_dir, lanes[1])
    found["spiff"] = max(spiff_rate(url, SECONDS)[0] for _ in range(WINDOWS))
    found["commits"] = max(commit_floor_rate(url, SECONDS) for _ in range(WINDOWS))
    print(f"   so far: { {k: v for k, v in found.items() if k != 'counts'} } counts {found['counts']}", flush=True)
    print(f"   PostgreSQL: {TASK_ROWS:,} tasks (INSERT … SELECT generate_series), then the pages", flush=True)
    found["big"] = _in_process(_big_pages, url, var_dir, data)
    return found


def _report(sq: dict[str, Any], pg: dict[str, Any] | None, notes: list[str]) -> str:
    ratio_sqlite = sq["service"] / sq["plain"]
    rows = [
        "| measurement | result | goal | |",
        "|---|---:|---|---|",
        f"| 1. SQLite, 1 process: submit + fan-out via services / plain sqlite3 (cases/s) "
        f"| {sq['service']:,.0f} / {sq['plain']:,.0f} = {ratio_sqlite:.2f} | ≥ 0.5 | {_goal(ratio_sqlite >= 0.5)} |",
    ]
    counts_line = f"SQLite {sum(sq['counts'])} ({', '.join(map(str, sq['counts']))})"
    if pg is not None:
        ratio_pg = pg["service4"] / pg["plain4"]
        life, spiff = pg["life5"][0], pg["spiff"]
        step5, step20 = 1 / pg["life5"][1], 1 / pg["life20"][1]
        scale = pg["service4"] / pg["service2"]
        todo, board = _percentiles(pg["big"]["todo"]), _percentiles(pg["big"]["board"])
        counts_line += f"; PostgreSQL {sum(pg['counts'])} ({', '.join(map(str, pg['counts']))})"
        rows += [
            f"| 1. PostgreSQL, 4 processes: services / plain psycopg (cases/s) "
            f"| {pg['service4']:,.0f} / {pg['plain4']:,.0f} = {ratio_pg:.2f} | ≥ 0.7 | {_goal(ratio_pg >= 0.7)} |",
            f"| 2. Lifecycle, PostgreSQL, 1 process (cases/s) vs SpiffWorkflow persisted "
            f"| {life:,.1f} vs {spiff:,.1f} = {life / spiff:.2f}× | ≥ 2× | {_goal(life >= 2 * spiff)} |",
            f"| 2. (bound) Eight durable one-row commits and nothing else, PostgreSQL (cases/s) "
            f"| {pg['commits']:,.1f} | (reported) | |",
        ]
        notes.append(
            f"Goal 2 asks for {2 * spiff:,.1f} cases/s, {1000 / (2 * spiff):.1f} ms a case. Eight durable commits "
            f"alone (the issue asks for each step in its own transaction) take {1000 / pg['commits']:.1f} ms "
            f"of that here ({pg['commits']:,.1f} such cases/s), before any statement of the steps themselves."
        )
    rows.append(
        f"| 2. Lifecycle, SQLite, 1 process (cases/s) | {sq['life'][0]:,.1f} | (reported) | |",
    )
    judged = pg["counts"] if pg is not None else sq["counts"]  # the goal is for the production database
    rows.append(f"| 3. SQL queries per five-department lifecycle (per step) | {counts_line} | ≤ 30 | "
                f"{_goal(sum(judged) <= 30)} |")  # fmt: skip
    notes.append(
        "Query counts include each step's BEGIN and COMMIT (16 for the eight steps). Between them, each step is "
        "the statement that locks the case and reads what the step needs (the head of its audit stream, the "
        "calendar's revision, the actor's memberships; for a task, the task and its stage's tasks; at acceptance "
        "and the decision, the matters and the filed materials; at submission, the day's case number), then the "
        "ORM's writes as the step makes them: one statement per row save or batch of added rows, and per record "
        "a timeline INSERT and one audit statement (two on SQLite, which has no data-modifying CTE), a fan-out's "
        "records in one batch. Until issue 13 the writes of a step were hand-written and deferred to one "
        "statement on PostgreSQL (32 in all, the floor for a transaction per step that locks before it writes); "
        "docs/adr/0002 says why they were given up."
    )
    if pg is not None:
        rows += [
            f"| 4. Per-step cost, 20 departments / 5 (PostgreSQL) | {step20 * 1000:.1f} ms / {step5 * 1000:.1f} ms "
            f"= {step20 / step5:.2f} | ≤ 1.3 | {_goal(step20 / step5 <= 1.3)} |",
            f"| 4. Submit + fan-out, 4 processes / 2 (PostgreSQL) | {pg['service4']:,.0f} / {pg['service2']:,.0f} "
            f"= {scale:.2f} | ≥ 1.25 | {_goal(scale >= 1.25)} |",
            f"| 5. 1M tasks: a department's 待办, first page, p50 / p95 (ms) | {todo[0]:.1f} / {todo[1]:.1f} "
            f"| p95 < 45 | {_goal(todo[1] < 45)} |",
            f"| 5. 1M tasks: supervision board (district), first page, p50 / p95 (ms) | {board[0]:.1f} / "
            f"{board[1]:.1f} | p95 < 45 | {_goal(board[1] < 45)} |",
        ]
        notes.append(
            f"The {TASK_ROWS:,} tasks ({CASE_ROWS:,} cases, {BIG_DEPARTMENTS} departments in 10 districts; 10% open "
            "or suspended, since a case matter has at most one open task) were built in "
            f"{pg['big']['build']:.0f} s."
        )
    explanation = (
        f"Each rate is the best of {WINDOWS} windows of {SECONDS:.0f} s per configuration (SpiffWorkflow's too) on "
        f"{os.cpu_count()} CPU cores; every writer process has "
        "its own region (its own daily case-number row, which serialises writers of one region by design). "
        "'Submit + fan-out' is case_submit and case_accept in one transaction (1 case, 5 matters, 5 tasks, "
        "5 case departments, 7 timeline rows, 7 audit events); 'plain' writes the same rows with the fewest "
        "hand-written statements (multi-row INSERTs, the audit hashes computed the same way). The lifecycle is "
        "submit, accept, five approvals and the joint decision, each its own transaction; the services run as in "
        "production (DEBUG off) and every step reads its actor's memberships anew, as a request does. Query counts "
        "are per step, outside any test transaction (no savepoints); the pages are timed in Python, including the role "
        "query, the paginator's COUNT and the prefetch. Rates on this shared machine still vary from one run to "
        "the next: compare the ratios measured within one run."
    )
    return "\n".join([explanation, "", *rows, "", *notes]) + "\n"


def run() -> str:
    notes: list[str] = []
    sqlite_dir = tempfile.mkdtemp(prefix="ow-bench-cases-")
    var_dir = tempfile.mkdtemp(prefix="ow-bench-cases-var-")
    pg: dict[str, Any] | None = None
    try:
        sq = _sqlite(f"sqlite:///{sqlite_dir}/cases.sqlite3", var_dir)
        postgres_url, skipped = create_database(POSTGRES_DB)
        if postgres_url is None:
            notes.append(skipped)
        else:
            try:
                pg = _postgres(postgres_url, var_dir)
            finally:
                drop_database(POSTGRES_DB)
    finally:
        shutil.rmtree(sqlite_dir, ignore_errors=True)
        shutil.rmtree(var_dir, ignore_errors=True)
    return _report(sq, pg, notes)
