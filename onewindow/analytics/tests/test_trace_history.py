"""Tracing on a year of written history (`history_write`, 300 cases in two districts, as in
`test_report_history.py`): every count of the analysis pages equals the list behind it, and for a dozen figures
the number, the list's count and the cases listed are those counted here independently — by reading the rows
in Python, not through the figures' or the trace's queries. Another district's leader lists none of ours."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone

from onewindow import clock
from onewindow.analytics.history.write import history_write
from onewindow.analytics.report.domain import previous_month, year_before
from onewindow.analytics.report.selectors import BUSINESS_START_BUNDLE
from onewindow.analytics.tests.history_district import history_district
from onewindow.analytics.tests.trace_checks import check_every_count, link, traced
from onewindow.cases.models import Case, CaseMatter, CorrectionNotice, Task
from onewindow.cases.tests.factories import (
    clerk_for,
    department,
    head_for,
    published_matter,
    region,
    reviewer_for,
)
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.tests.factories import staff

pytestmark = pytest.mark.django_db
DECIDED = ("approved", "rejected")


@dataclass
class History:
    home: Organisation
    other: Organisation
    leader: User
    other_leader: User
    query: str
    first: dt.date
    last: dt.date


@pytest.fixture(scope="module")
def history(module_db) -> History:
    home, _bundle, _matters = history_district()
    other = region()
    theirs = published_matter(department=department(other), promised_limit_days=5)
    reviewer_for(theirs.matter.department)
    head_for(theirs.matter.department)
    clerk_for(other)
    assert history_write(300, seed=11).cases == 300
    last = clock.today()
    first = last - dt.timedelta(days=365)
    query = f"from={first:%Y-%m-%d}&to={last:%Y-%m-%d}"
    return History(home, other, staff(Role.LEADER, home), staff(Role.LEADER, other), query, first, last)


def local(at: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(at) if at is not None else None


def visible_cases(h: History) -> list[Case]:
    """The cases the home leader may analyse, read here row by row: received in the home district or with a
    review task of one of its departments."""
    subtree = set(Organisation.objects.filter(path__startswith=h.home.path).values_list("pk", flat=True))
    tasks = defaultdict(set)
    for case_id, department_id in Task.objects.values_list("case_id", "department_id"):
        tasks[case_id].add(department_id)
    return [c for c in Case.objects.all() if c.region_id in subtree or tasks[c.pk] & subtree]


def in_period(at: dt.datetime | None, h: History) -> bool:
    return at is not None and h.first <= local(at).date() <= h.last  # type: ignore[union-attr]


def tables_of(client: Client, h: History) -> list[dict]:
    tables = []
    for path in ("demand", "operations", "bottlenecks"):
        tables += client.get(f"/api/analytics/{path}?{h.query}").json()["tables"]
    month = previous_month(h.last.replace(day=1))[0]
    report = client.get(f"/api/analytics/report?month={month:%Y-%m}").json()
    return tables + [t for section in report["sections"] for t in section["tables"]]


def same(client: Client, url: str, ids: set[int], count: int | None = None) -> None:
    """The list behind `url` counts `count` (by default: the cases) and lists exactly the cases `ids`."""
    body = traced(client, url)
    assert body["count"] == (len(ids) if count is None else count), url
    assert body["case_count"] == len(ids) and {i["case_id"] for i in body["items"]} == ids, url


def test_every_count_of_a_year_equals_the_list_behind_it(history):
    client = Client()
    client.force_login(history.leader)
    assert check_every_count(client, tables_of(client, history)) > 100


def test_demand_figures_are_the_cases_counted_independently(history):
    client = Client()
    client.force_login(history.leader)
    tables = tables_of(client, history)
    submitted = [c for c in visible_cases(history) if in_period(c.submitted_at, history)]
    assert len(submitted) > 200

    window = {c.pk for c in submitted if c.channel == "window"}
    same(client, link(tables, "online_share", "window"), window)
    mondays = {c.pk for c in submitted if local(c.submitted_at).isoweekday() == 1}  # type: ignore[union-attr]
    same(client, link(tables, "by_weekday", "count", name="周一"), mondays)
    hours = Counter(local(c.submitted_at).hour for c in submitted)  # type: ignore[union-attr]
    for hour in hours:
        ids = {c.pk for c in submitted if local(c.submitted_at).hour == hour}  # type: ignore[union-attr]
        same(client, link(tables, "by_hour", "count", name=f"{hour:02d}:00"), ids)
    months = Counter(f"{local(c.submitted_at):%Y-%m}" for c in submitted)
    month = months.most_common(1)[0][0]
    same(
        client,
        link(tables, "by_month", "count", name=month),
        {c.pk for c in submitted if f"{local(c.submitted_at):%Y-%m}" == month},
    )
    concerned = defaultdict(set)
    for case_id, department_id in CaseMatter.objects.values_list("case_id", "department_id"):
        concerned[department_id].add(case_id)
    for organisation, ids in concerned.items():
        if ids & {c.pk for c in submitted}:
            name = Organisation.objects.get(pk=organisation).name
            same(client, link(tables, "by_department", "count", name=name), ids & {c.pk for c in submitted})


def test_operations_figures_are_the_cases_counted_independently(history):
    client = Client()
    client.force_login(history.leader)
    tables = tables_of(client, history)
    cases = visible_cases(history)
    decided = [c for c in cases if c.status == "completed" and in_period(c.completed_at, history)]
    extended_tasks = set(Task.objects.filter(extension_days__gt=0).values_list("case_id", flat=True))
    extended = {c.pk for c in decided if c.extension_days > 0 or c.pk in extended_tasks}
    assert extended
    same(client, link(tables, "summary", "extended"), extended)
    on_time = {c.pk for c in decided if c.due_on is not None and local(c.completed_at).date() <= c.due_on}  # type: ignore[union-attr]
    same(client, link(tables, "summary", "on_time_rate"), on_time)

    submitted = {c.pk for c in cases if in_period(c.submitted_at, history)}
    notices = [n for n in CorrectionNotice.objects.all() if n.case_id in submitted]
    same(client, link(tables, "summary", "corrections"), {n.case_id for n in notices}, count=len(notices))
    named = defaultdict(list)
    for notice in notices:
        for item in notice.items:
            if str(item.get("target", "")).startswith("material:"):
                named[str(item.get("label") or item.get("target"))].append(notice)
    material = max(sorted(named), key=lambda m: len(set(named[m])))
    unique = set(named[material])
    same(client, link(tables, "materials_corrected", "count", name=material), {n.case_id for n in unique}, len(unique))
    query = urlencode({"of": "submitted", "material": material})
    same(client, f"/analytics/cases/?{history.query}&{query}", {n.case_id for n in unique})

    decided_ids = {c.pk for c in decided}
    reviews = [
        t for t in Task.objects.filter(kind="review", status__in=DECIDED).order_by("pk") if t.case_id in decided_ids
    ]
    per_department = defaultdict(list)
    for task in reviews:
        per_department[task.department_id].append(task)
    busiest = max(per_department, key=lambda d: len(per_department[d]))
    name = Organisation.objects.get(pk=busiest).name
    tasks = per_department[busiest]
    same(client, link(tables, "times_by_department", "count", name=name), {t.case_id for t in tasks}, len(tasks))

    stages = defaultdict(list)
    for task in reviews:
        if task.decided_at is not None:
            stages[(task.case_id, task.stage)].append(task)
    ended = defaultdict(set)
    for (case_id, stage), members in stages.items():
        if len(members) >= 2:
            last = max(members, key=lambda t: (t.decided_at, t.department_id))
            ended[last.department_id].add((case_id, stage))
    assert ended, "the history writes bundles whose stages have several departments"
    for organisation, ends in ended.items():
        name = Organisation.objects.get(pk=organisation).name
        same(client, link(tables, "finish_last", "last", name=name), {c for c, _s in ends}, len(ends))


def test_workload_and_economy_are_the_cases_counted_independently(history):
    client = Client()
    client.force_login(history.leader)
    tables = tables_of(client, history)
    subtree = set(Organisation.objects.filter(path__startswith=history.home.path).values_list("pk", flat=True))
    open_tasks = [
        t for t in Task.objects.filter(kind="review", status__in=("open", "suspended")) if t.department_id in subtree
    ]
    assert open_tasks, "the most recent cases are still in review"
    per_department = defaultdict(list)
    for task in open_tasks:
        per_department[task.department_id].append(task)
    for organisation, tasks in per_department.items():
        name = Organisation.objects.get(pk=organisation).name
        same(client, link(tables, "workload_by_department", "open", name=name), {t.case_id for t in tasks}, len(tasks))

    month_first, month_last = previous_month(history.last.replace(day=1))
    trend_first = year_before(month_first)
    setups = [
        c
        for c in visible_cases(history)
        if c.status == "completed"
        and c.bundle_version is not None
        and c.bundle_version.bundle.code == BUSINESS_START_BUNDLE
        and trend_first <= local(c.completed_at).date() <= month_last  # type: ignore[union-attr]
    ]
    by_month = defaultdict(set)
    for case in setups:
        by_month[f"{local(case.completed_at):%Y-%m}"].add(case.pk)
    assert by_month
    for month, ids in by_month.items():
        same(client, link(tables, "setups_by_month", "count", name=month), ids)
    same(client, link(tables, "setups_by_month", "count", name="合计"), {c.pk for c in setups})

    month_setups = [c for c in setups if month_first <= local(c.completed_at).date()]  # type: ignore[union-attr]
    by_industry = defaultdict(set)
    for case in month_setups:
        by_industry[case.form_data["industry"]].add(case.pk)
    assert by_industry, "the month's set-ups name their industry"
    for industry, ids in by_industry.items():
        same(client, link(tables, "setups_by_industry", "count", name=industry), ids)


def test_the_forecasts_counts_are_the_cases_behind_them(history):
    """The forecast's inputs are traced: each day of its history, the weeks its backtest held out, each matter
    category's last eight weeks (a bundle's cases as one category)."""
    client = Client()
    client.force_login(history.leader)
    response = client.get("/api/analytics/forecast")
    assert response.status_code == 200
    tables = response.json()["tables"]
    assert check_every_count(client, tables) > 50
    today = clock.today()
    recent = [
        c
        for c in visible_cases(history)
        if today - dt.timedelta(days=56) <= local(c.submitted_at).date() < today  # type: ignore[union-attr]
    ]
    bundles = {c.pk for c in recent if c.bundle_version_id is not None}
    assert bundles, "the history writes the bundle's cases every week"
    same(client, link(tables, "by_category", "recent", name="一件事（联办）"), bundles)
    page = client.get("/analytics/forecast/")
    assert link(tables, "by_category", "recent", name="一件事（联办）").replace("&", "&amp;") in page.content.decode()


def test_another_districts_leader_lists_only_their_own(history):
    theirs = Client()
    theirs.force_login(history.other_leader)
    subtree = set(Organisation.objects.filter(path__startswith=history.other.path).values_list("pk", flat=True))
    own = {c.pk for c in Case.objects.filter(region_id__in=subtree) if in_period(c.submitted_at, history)}
    assert own, "the history writes cases in both districts"
    for url in (f"/analytics/cases/?{history.query}", f"/analytics/cases/?{history.query}&of=open_tasks"):
        body = traced(theirs, url)
        listed = {i["case_id"] for i in body["items"]}
        assert listed <= own | set(Case.objects.filter(region_id__in=subtree).values_list("pk", flat=True))
    same(theirs, f"/analytics/cases/?{history.query}", own)
    foreign = theirs.get(f"/api/analytics/cases?{history.query}&region={history.home.pk}")
    assert (foreign.status_code, foreign.json()["code"]) == (404, "analytics_region_not_found")
    assert theirs.get(f"/analytics/cases/export/?{history.query}&region={history.home.pk}").status_code == 404
