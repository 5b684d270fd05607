"""The bottlenecks on the figures' small world (`figures_world`): the bundle's stage 1 has three departments
(two approve on day 1, the third on day 3, ending the stage), stage 2 one department (day 3 → day 4), the joint
decision on day 5 (Saturday 7 March). Plus, on day 20, a second bundle case accepted and still open: one task
claimed by a reviewer, the others unassigned. Another district's leader sees none of it."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client

from onewindow.analytics.bottlenecks import selectors
from onewindow.analytics.bottlenecks.tables import what_if_for, workload_for
from onewindow.analytics.figures.selectors import Filters, Period
from onewindow.analytics.tests.figures_world import QUERY, World, at, build
from onewindow.api.auth import token_issue
from onewindow.cases.models import Case, Task
from onewindow.cases.services import review
from onewindow.cases.services.intake import case_accept
from onewindow.cases.tests.factories import clerk_for, reviewer_for, submitted_case
from onewindow.errors import InvalidFields, NotFound
from onewindow.xlsx import read_sheets

pytestmark = pytest.mark.django_db
MARCH = Filters(Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)))


@pytest.fixture
def world(time_machine) -> World:
    w = build(time_machine)
    time_machine.move_to(at(21), tick=False)  # Monday 23 March
    pending = submitted_case(bundle_version=w.bundle.bundle_version)
    case_accept(actor=clerk_for(pending.region), case=pending)
    first = Task.objects.filter(case=pending, stage=1).order_by("pk").first()
    assert first is not None
    review.task_claim(actor=reviewer_for(first.department), task=first)
    time_machine.move_to(at(24), tick=False)  # Thursday 26 March: three working days later
    w.pending = pending  # type: ignore[attr-defined]
    return w


def stage_one(case: Case) -> list[Task]:
    return list(Task.objects.filter(case=case, stage=1).order_by("pk"))


def ask(world, department_id: int, days: int):
    return selectors.what_if_ask(world.leader, world.bundle.bundle_version.bundle_id, department_id, str(days))


def test_the_replay_moves_the_bundle_by_what_its_critical_path_moves(world):
    last = stage_one(world.bundle)[2].department_id  # ended stage 1, two working days after the others
    for days, saved, replayed in [(1, 1, "2026-03-05"), (2, 2, "2026-03-04"), (9, 2, "2026-03-04")]:
        analysis, results = what_if_for(world.leader, MARCH, ask(world, last, days))
        [result] = results
        assert (result.involved, result.saved_days, result.replayed_on.isoformat()) == (True, saved, replayed)
        summary = analysis.table("what_if_summary").rows[0]
        assert (summary["cases"], summary["involved"], summary["affected"], summary["saved_total"]) == (1, 1, 1, saved)
        assert summary["replayed_on_time_rate"] == 100.0
        [row] = analysis.table("what_if_cases").rows
        assert (row["number"], row["saved_days"], row["decided_on"]) == (world.bundle.number, saved, "2026-03-07")
        assert row["number_url"] == f"/cases/{world.bundle.pk}/"


def test_shortening_a_department_that_was_not_last_saves_nothing(world):
    early = stage_one(world.bundle)[0].department_id
    analysis, [result] = what_if_for(world.leader, MARCH, ask(world, early, 5))
    assert (result.involved, result.saved_days) == (True, 0)
    summary = analysis.table("what_if_summary").rows[0]
    assert (summary["affected"], summary["saved_total"], summary["saved_median"]) == (0, 0, 0.0)
    outside = world.department.pk  # the single matter's department: no task in the bundle
    _analysis, [untouched] = what_if_for(world.leader, MARCH, ask(world, outside, 5))
    assert (untouched.involved, untouched.saved_days) == (False, 0)


def test_the_workload_per_department_and_reviewer(world):
    tasks = stage_one(world.pending)
    workload = workload_for(world.leader, MARCH)
    departments = {r["name"]: r for r in workload.table("workload_by_department").rows}
    claimed = departments[tasks[0].department.name]
    assert (claimed["open"], claimed["unassigned"], claimed["age_max"], claimed["red"]) == (1, 0, 3, 0)
    assert (claimed["decided"], claimed["review_median"]) == (1, 1.0)  # the first bundle: day 0 → day 1
    third = departments[tasks[2].department.name]
    assert (third["open"], third["unassigned"], third["decided"], third["review_median"]) == (1, 1, 1, 3.0)
    matter = departments[world.department.name]  # quick: 3 working days; corrected: 4 less the 2 stopped (Thu, Fri)
    assert (matter["open"], matter["decided"], matter["review_median"]) == (0, 2, 2.5)
    reviewers = workload.table("workload_by_reviewer").rows
    mine = [r for r in reviewers if r["department"] == tasks[0].department.name and r["open"] == 1]
    assert len(mine) == 1 and mine[0]["reviewer"] == str(Task.objects.get(pk=tasks[0].pk).assignee)
    unassigned = [r for r in reviewers if r["reviewer"] == "（未分派）"]
    assert sum(r["open"] for r in unassigned) == 2  # the other two stage-1 tasks


def test_another_districts_leader_sees_none_of_ours(world):
    theirs = workload_for(world.other_leader, MARCH)
    names = {r["name"] for r in theirs.table("workload_by_department").rows}
    assert world.department.name not in names and len(names) == 1  # their own matter's department
    with pytest.raises(NotFound):
        selectors.what_if_ask(world.other_leader, world.bundle.bundle_version.bundle_id, world.department.pk, "2")
    with pytest.raises(NotFound):
        selectors.what_if_ask(world.leader, 999999, world.department.pk, "2")
    with pytest.raises(InvalidFields) as wrong:
        selectors.what_if_ask(world.leader, world.bundle.bundle_version.bundle_id, world.department.pk, "0")
    assert wrong.value.code == "analytics_what_if_invalid"


def test_the_queries_do_not_grow_with_the_cases(world, time_machine, django_assert_max_num_queries):
    last = stage_one(world.bundle)[2].department_id

    def read() -> None:
        workload_for(world.leader, MARCH)
        what_if_for(world.leader, MARCH, ask(world, last, 2))

    read()
    with django_assert_max_num_queries(30) as small:
        read()
    for _n in range(3):
        time_machine.move_to(at(0), tick=False)
        case = submitted_case(bundle_version=world.bundle.bundle_version)
        case_accept(actor=clerk_for(case.region), case=case)
        time_machine.move_to(at(1), tick=False)
        for task in Task.objects.filter(case=case, stage=1).order_by("pk"):
            review.task_approve(actor=reviewer_for(task.department), task=task)
    with django_assert_max_num_queries(30) as large:
        read()
    assert len(large.captured_queries) == len(small.captured_queries)


# --- page, export, API ------------------------------------------------------------------------------------


def test_the_page_renders_at_debug_0_with_the_what_if(world, client, settings):
    settings.DEBUG = False
    client.force_login(world.leader)
    last = stage_one(world.bundle)[2].department_id
    bundle = world.bundle.bundle_version.bundle_id
    response = client.get(f"/analytics/bottlenecks/?{QUERY}&bundle={bundle}&whatif_department={last}&days=2")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="analytics-bottlenecks"' in page and "/static/analytics/bottlenecks." in page
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert inline and all('type="application/json"' in tag for tag in inline)
    assert f'<a href="/cases/{world.bundle.pk}/">{world.bundle.number}</a>' in page
    assert response.context["charts"]["what_if_saved"] == [{"name": "2", "count": 1}]
    wrong = client.get(f"/analytics/bottlenecks/?bundle={bundle}&whatif_department={last}&days=abc")
    assert wrong.status_code == 200 and "天数应为 1 至 60 的整数。" in wrong.content.decode()
    assert 'href="/analytics/bottlenecks/' in client.get(f"/analytics/?{QUERY}").content.decode()


def test_the_export_has_a_sheet_per_table(world, client):
    client.force_login(world.leader)
    last = stage_one(world.bundle)[2].department_id
    bundle = world.bundle.bundle_version.bundle_id
    response = client.get(f"/analytics/bottlenecks/export/?{QUERY}&bundle={bundle}&whatif_department={last}&days=2")
    assert response.status_code == 200
    sheets = read_sheets(
        io.BytesIO(b"".join(response.streaming_content)),
        ["推演：逐件重放", "经办人工作量"],
        max_bytes=10_000_000,
        max_rows=1000,
    )
    assert sheets["推演：逐件重放"][2][:4] == (world.bundle.number, "2026-03-07", "2026-03-04", 2)


def test_the_api_with_a_bearer_token(world):
    client = Client()
    headers = {"Authorization": f"Bearer {token_issue(world.leader).token}"}
    response = client.get(f"/api/analytics/bottlenecks?{QUERY}", headers=headers)
    assert response.status_code == 200, response.content
    keys = [t["key"] for t in response.json()["tables"]]
    assert keys == ["workload_by_department", "workload_by_reviewer"]
    last = stage_one(world.bundle)[2].department_id
    bundle = world.bundle.bundle_version.bundle_id
    what_if = client.get(f"/api/analytics/what-if?{QUERY}&bundle={bundle}&department={last}&days=2", headers=headers)
    assert what_if.status_code == 200, what_if.content
    body = what_if.json()
    assert body["cases"] == [
        {
            "case_id": world.bundle.pk,
            "saved_days": 2,
            "decided_on": "2026-03-07",
            "replayed_on": "2026-03-04",
            "due_on": body["cases"][0]["due_on"],
            "involved": True,
        }
    ]
    assert (body["case_count"], body["limit"], body["offset"]) == (1, 100, 0)
    past = client.get(
        f"/api/analytics/what-if?{QUERY}&bundle={bundle}&department={last}&days=2&limit=1&offset=1", headers=headers
    ).json()
    assert (past["case_count"], past["cases"], past["tables"][0]["rows"][0]["cases"]) == (1, [], 1)
    too_many = client.get(f"/api/analytics/what-if?bundle={bundle}&department={last}&days=2&limit=501", headers=headers)
    assert too_many.status_code == 422
    wrong = client.get(f"/api/analytics/what-if?bundle={bundle}&department={last}&days=99", headers=headers)
    assert (wrong.status_code, wrong.json()["code"]) == (422, "analytics_what_if_invalid")
    outside = client.get(f"/api/analytics/what-if?bundle={bundle}&department=999999&days=2", headers=headers)
    assert (outside.status_code, outside.json()["code"]) == (404, "analytics_department_not_found")
