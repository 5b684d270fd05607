"""Tracing the figures to their cases on the figures' small world (`figures_world`, plus a bundle case accepted on
Monday 23 March and still open: one task claimed, two not): every count of every analysis page links to a list
that counts as many, the lists hold exactly the cases behind the figures, another district's leader lists none
of ours, the page at DEBUG=0, the export, a bearer-token API, a wrong slice, the number of queries."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.test import Client

from onewindow.analytics.report.render import report_context
from onewindow.analytics.report.tables import report_for
from onewindow.analytics.tests.figures_world import QUERY, World, at, build
from onewindow.analytics.tests.trace_checks import api_of, case_ids, check_every_count, link, traced
from onewindow.api.auth import token_issue
from onewindow.cases.models import Task
from onewindow.cases.services import review
from onewindow.cases.services.intake import case_accept
from onewindow.cases.tests.factories import clerk_for, reviewer_for, submitted_case
from onewindow.orgs.domain import mask_name
from onewindow.xlsx import read_sheets

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(time_machine) -> World:
    w = build(time_machine)
    time_machine.move_to(at(21), tick=False)  # Monday 23 March
    pending = submitted_case(bundle_version=w.bundle.bundle_version)
    case_accept(actor=clerk_for(pending.region), case=pending)
    first = Task.objects.filter(case=pending, stage=1).order_by("pk").first()
    assert first is not None
    review.task_claim(actor=reviewer_for(first.department), task=first)
    time_machine.move_to(at(24), tick=False)
    w.pending = pending  # type: ignore[attr-defined]
    return w


def stage_one(case) -> list[Task]:
    return list(Task.objects.filter(case=case, stage=1).order_by("pk"))


def tables_of(client: Client, world: World, query: str = QUERY) -> list[dict]:
    """Every table of the analysis APIs: demand, operations, workload, a what-if and the month's report."""
    tables = []
    for path in ("demand", "operations", "bottlenecks"):
        response = client.get(f"/api/analytics/{path}?{query}")
        assert response.status_code == 200, response.content
        tables += response.json()["tables"]
    last = stage_one(world.bundle)[2].department_id
    bundle = world.bundle.bundle_version.bundle_id
    what_if = client.get(f"/api/analytics/what-if?{query}&bundle={bundle}&department={last}&days=2")
    tables += what_if.json()["tables"]
    report = client.get("/api/analytics/report?month=2026-03").json()
    return tables + [t for section in report["sections"] for t in section["tables"]]


def test_every_count_of_every_page_equals_the_list_behind_it(world):
    client = Client()
    client.force_login(world.leader)
    assert check_every_count(client, tables_of(client, world)) > 50
    filtered = f"{QUERY}&region={world.home.pk}&department={world.department.pk}"
    assert check_every_count(client, tables_of(client, world, filtered)) > 10


def test_the_lists_hold_exactly_the_cases_behind_the_figures(world):
    client = Client()
    client.force_login(world.leader)
    tables = tables_of(client, world)
    name = world.matter_name
    quick, corrected, bundle, pending = world.quick.pk, world.corrected.pk, world.bundle.pk, world.pending.pk  # type: ignore[attr-defined]
    assert case_ids(client, link(tables, "by_matter", "count", name=name)) == {quick, corrected, world.open_case.pk}
    assert case_ids(client, link(tables, "online_share", "window")) == {corrected}
    assert case_ids(client, link(tables, "by_hour", "count", name="15:00")) == {corrected}
    assert case_ids(client, link(tables, "summary", "count")) == {quick, corrected, bundle}
    assert case_ids(client, link(tables, "corrections_by_matter", "cases", name=name)) == {corrected}
    materials = traced(client, link(tables, "materials_corrected", "count", name="总平面图"))
    assert (materials["unit"], materials["count"], [i["case_id"] for i in materials["items"]]) == (
        "notices",
        1,
        [corrected],
    )
    review_tasks = traced(client, link(tables, "times_by_department", "count", name=world.department.name))
    assert (review_tasks["unit"], review_tasks["count"], review_tasks["case_count"]) == ("tasks", 2, 2)
    assert {i["case_id"] for i in review_tasks["items"]} == {quick, corrected}
    ended = traced(client, link(tables, "finish_last", "last", last=1))
    assert (ended["unit"], ended["count"], [i["case_id"] for i in ended["items"]]) == ("stages", 1, [bundle])
    third = stage_one(world.pending)[2].department.name  # type: ignore[attr-defined]
    assert case_ids(client, link(tables, "workload_by_department", "unassigned", name=third)) == {pending}
    assert case_ids(client, link(tables, "what_if_summary", "involved")) == {bundle}


def test_the_longest_first_behind_a_duration(world):
    client = Client()
    headers = {"Authorization": f"Bearer {token_issue(world.leader).token}"}
    response = client.get(f"/api/analytics/cases?{QUERY}&of=decided&order=days", headers=headers)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["of"], body["unit"], body["count"], body["case_count"]) == ("decided", "cases", 3, 3)
    first = body["items"][0]
    assert (first["case_id"], first["number"], first["url"]) == (
        world.corrected.pk,
        world.corrected.number,
        f"/cases/{world.corrected.pk}/",
    )
    # submitted Monday 2 March 15:00, decided Tuesday 10 March 10:00: 7.8 days, 4 of them waiting, 6 working days
    assert (first["days"], first["waiting_days"], first["working_days"]) == (7.8, 4.0, 6)
    assert [i["case_id"] for i in body["items"]] == [world.corrected.pk, world.bundle.pk, world.quick.pk]
    assert first["applicant"] == mask_name(world.corrected.applicant.name)
    paged = client.get(f"/api/analytics/cases?{QUERY}&of=decided&order=days&limit=1&offset=1", headers=headers)
    assert [i["case_id"] for i in paged.json()["items"]] == [world.bundle.pk]


def test_a_wrong_slice_is_refused_with_a_stable_code(world):
    client = Client()
    client.force_login(world.leader)
    wrong = client.get(f"/api/analytics/cases?{QUERY}&of=everything&hour=25")
    assert (wrong.status_code, wrong.json()["code"]) == (422, "analytics_trace_invalid")
    assert {e["field"] for e in wrong.json()["errors"]} == {"of", "hour"}
    not_allowed = client.get("/api/analytics/cases?of=open_tasks&month=2026-03")
    assert (not_allowed.status_code, not_allowed.json()["code"]) == (422, "analytics_trace_invalid")
    page = client.get(f"/analytics/cases/?{QUERY}&of=everything")
    assert page.status_code == 422 and "办件清单的条件有误。" in page.content.decode()


def test_another_districts_leader_lists_none_of_ours(world):
    theirs, ours = Client(), Client()
    theirs.force_login(world.other_leader)
    ours.force_login(world.leader)
    foreign = theirs.get(f"/api/analytics/cases?{QUERY}&region={world.home.pk}")
    assert (foreign.status_code, foreign.json()["code"]) == (404, "analytics_region_not_found")
    assert theirs.get(f"/analytics/cases/?{QUERY}&department={world.department.pk}").status_code == 404
    assert case_ids(theirs, f"/analytics/cases/?{QUERY}") == {world.theirs.pk}
    matter = world.quick.matter_version.matter_id
    for slice_ in (f"matter={matter}", f"received_in={world.home.pk}", f"concerns={world.department.pk}"):
        assert traced(theirs, f"/analytics/cases/?{QUERY}&{slice_}")["count"] == 0, slice_
    open_tasks = traced(theirs, f"/analytics/cases/?{QUERY}&of=open_tasks")
    assert open_tasks["count"] == 0
    assert world.theirs.pk not in case_ids(ours, f"/analytics/cases/?{QUERY}")
    assert traced(ours, f"/analytics/cases/?{QUERY}&received_in={world.other.pk}")["count"] == 0


def test_the_pages_link_their_counts_and_the_list_renders_at_debug_0(world, client, settings):
    settings.DEBUG = False
    client.force_login(world.leader)
    demand = client.get(f"/analytics/demand/?{QUERY}").content.decode()
    matter = world.quick.matter_version.matter_id
    href = f"/analytics/cases/?from=2026-03-01&amp;to=2026-03-31&amp;of=submitted&amp;matter={matter}"
    assert f'<a href="{href}">3</a>' in demand
    response = client.get(html.unescape(href))
    assert response.status_code == 200
    page = response.content.decode()
    assert "共 3 件办件" in page and world.matter_name in page
    assert f'<a href="/cases/{world.corrected.pk}/">{world.corrected.number}</a>' in page
    applicant = world.corrected.applicant.name
    assert mask_name(applicant) in page and applicant not in page
    assert not re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", page)
    operations = client.get(f"/analytics/operations/?{QUERY}").content.decode()
    assert "of=shared_stages&amp;ended_by=" in operations and "of=review_tasks&amp;task_department=" in operations
    assert "of=open_tasks&amp;task_department=" in client.get(f"/analytics/bottlenecks/?{QUERY}").content.decode()
    report = client.get("/analytics/report/?month=2026-03").content.decode()
    assert 'href="/analytics/cases/?from=2026-03-01&amp;to=2026-03-31&amp;of=submitted"' in report


def test_the_report_document_carries_no_links(world):
    import datetime as dt

    report = report_for(world.leader, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    context = report_context(report, "测试中心")
    cells = [cell for _h, tables in context["sections"] for _t, rows in tables for row in rows for cell in row]
    assert cells and all(link is None for _text, link in cells)
    linked = report_context(report, "测试中心", linked=True)
    assert any(link for _h, tables in linked["sections"] for _t, rows in tables for row in rows for _x, link in row)


def test_the_list_pages_and_its_export(world, client, monkeypatch):
    monkeypatch.setattr("onewindow.analytics.trace.views.PAGE_SIZE", 2)
    client.force_login(world.leader)
    second = client.get(f"/analytics/cases/?{QUERY}&of=decided&order=days&page=2")
    page = second.content.decode()
    assert "2 / 2" in page and "第 3–3 件，共 3 件" in page and world.quick.number in page
    assert world.corrected.number not in page
    response = client.get(f"/analytics/cases/export/?{QUERY}&of=decided&order=days")
    assert response.status_code == 200
    sheets = read_sheets(io.BytesIO(b"".join(response.streaming_content)), ["办件清单"], max_bytes=10**7, max_rows=100)
    rows = sheets["办件清单"]
    assert rows[0][0].startswith("本期办结的办件") and ("共 3 件办件",) in rows
    header = rows.index(next(r for r in rows if r and r[0] == "办件编号"))
    listed = rows[header + 1 :]
    assert [r[0] for r in listed] == [world.corrected.number, world.bundle.number, world.quick.number]
    assert listed[0][2] == mask_name(world.corrected.applicant.name) and listed[0][6] == 7.8


def test_the_queries_do_not_grow_with_the_cases_on_a_page(world, client, time_machine, django_assert_max_num_queries):
    client.force_login(world.leader)
    url = f"/analytics/cases/?{QUERY}&of=decided"

    def read() -> None:
        assert client.get(url).status_code == 200
        assert client.get(api_of(url)).status_code == 200

    read()
    with django_assert_max_num_queries(80) as small:
        read()
    for _n in range(3):
        time_machine.move_to(at(0), tick=False)
        case = submitted_case(matter_version=world.quick.matter_version)
        time_machine.move_to(at(1), tick=False)
        case_accept(actor=clerk_for(case.region), case=case)
        time_machine.move_to(at(2), tick=False)
        for task in Task.objects.filter(case=case, status="open"):
            review.task_approve(actor=reviewer_for(task.department), task=task)
    time_machine.move_to(at(24), tick=False)
    assert traced(client, url)["count"] == 6
    with django_assert_max_num_queries(80) as large:
        read()
    assert len(large.captured_queries) == len(small.captured_queries)
