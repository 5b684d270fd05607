"""The analysis on a small world of cases (`figures_world`): the numbers a leader reads on the pages, in the
export and from the API; the scope (another district's leader sees none of ours); the filters; the number of
queries does not grow with the cases."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from onewindow.analytics.figures import selectors
from onewindow.analytics.figures.selectors import Filters, Period
from onewindow.analytics.figures.tables import demand_for, operations_for
from onewindow.analytics.tests.figures_world import QUERY, World, _decided_single, at, build
from onewindow.api.auth import token_issue
from onewindow.cases.tests.factories import department, published_matter, submitted_case
from onewindow.errors import InvalidFields, NotFound, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import staff
from onewindow.xlsx import read_sheets

pytestmark = pytest.mark.django_db
MARCH = Filters(Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)))


@pytest.fixture
def world(time_machine) -> World:
    return build(time_machine)


def rows(analysis, key):
    return analysis.table(key).rows


def by_name(analysis, key):
    return {r["name"]: r for r in rows(analysis, key)}


def test_demand_counts_the_cases_submitted_in_the_period_by_every_grouping(world):
    demand = demand_for(world.leader, MARCH)
    assert rows(demand, "online_share") == [
        {"total": 4, "online": 3, "window": 1, "online_rate": 75.0, "target": 80.0, "gap": -5.0}
    ]
    assert by_name(demand, "by_channel")["窗口受理"]["count"] == 1
    assert by_name(demand, "by_matter")[world.matter_name] == {"name": world.matter_name, "count": 3, "share": 75.0}
    assert by_name(demand, "by_bundle")["工程建设项目联合审批"]["count"] == 1
    assert by_name(demand, "by_region")[world.home.name]["count"] == 4
    assert by_name(demand, "by_department")[world.department.name]["count"] == 3
    assert len(rows(demand, "by_department")) == 5  # the matter's and the bundle's four
    assert by_name(demand, "by_applicant_kind")["自然人"]["count"] == 4
    hours = by_name(demand, "by_hour")
    assert (hours["10:00"]["count"], hours["15:00"]["count"], hours["02:00"]["count"]) == (3, 1, 0)  # Shanghai time
    weekdays = by_name(demand, "by_weekday")
    assert (weekdays["周一"]["count"], weekdays["周三"]["count"]) == (3, 1)
    assert rows(demand, "by_month") == [{"name": "2026-03", "count": 4}]


def test_the_apps_submissions_count_as_online_handling(world, time_machine):
    time_machine.move_to(at(2), tick=False)
    submitted_case(matter_version=world.quick.matter_version, channel="app")
    demand = demand_for(world.leader, MARCH)
    share = rows(demand, "online_share")[0]
    assert (share["total"], share["online"], share["window"], share["online_rate"]) == (5, 4, 1, 80.0)
    channels = by_name(demand, "by_channel")
    assert (channels["网上申报"]["count"], channels["移动端申报"]["count"], channels["窗口受理"]["count"]) == (3, 1, 1)


def test_the_online_target_is_a_setting(world, settings):
    settings.ANALYTICS_ONLINE_TARGET = 0.7
    assert rows(demand_for(world.leader, MARCH), "online_share")[0]["gap"] == 5.0


def test_operations_split_the_time_of_the_cases_decided_in_the_period(world):
    ops = operations_for(world.leader, MARCH)
    summary = rows(ops, "summary")[0]
    assert (summary["count"], summary["on_time_rate"], summary["corrections"]) == (3, 100.0, 1)
    matter = by_name(ops, "times_by_matter")[world.matter_name]
    # quick: 1 day intake, 3 review; corrected: 1.8 intake (the correction's wait), 4 waiting, 2 review.
    assert (matter["count"], matter["intake_p50"], matter["intake_p90"]) == (2, 1.0, 1.8)
    assert (matter["review_p50"], matter["review_p90"], matter["waiting_p90"]) == (2.0, 3.0, 4.0)
    assert (matter["total_p50"], matter["total_p90"]) == (4.0, 7.8)
    bundle = by_name(ops, "times_by_matter")["工程建设项目联合审批"]
    assert (bundle["review_p50"], bundle["decision_p50"], bundle["total_p50"]) == (4.0, 1.0, 5.0)
    phases = by_name(ops, "phases")
    assert phases["等待申请人（中止计时）"] == {"name": "等待申请人（中止计时）", "p50": 0.0, "p90": 4.0}
    departments = by_name(ops, "times_by_department")
    assert (departments[world.department.name]["p50"], departments[world.department.name]["p90"]) == (2.0, 3.0)


def test_the_critical_path_names_the_department_that_ended_the_bundle_stage(world):
    ops = operations_for(world.leader, MARCH)
    first = rows(ops, "finish_last")[0]
    assert (first["stages_in"], first["last"], first["rate"], first["margin_p50"]) == (1, 1, 100.0, 2.0)
    assert [r["last"] for r in rows(ops, "finish_last")] == [1, 0, 0]


def test_corrections_per_matter_and_the_materials_named_in_the_notices(world):
    ops = operations_for(world.leader, MARCH)
    assert rows(ops, "corrections_by_matter") == [
        {"name": world.matter_name, "submitted": 3, "cases": 1, "rate": 33.3, "notices": 1}
    ]
    assert rows(ops, "materials_corrected") == [{"name": "总平面图", "count": 1}]


def test_the_slowest_cases_link_to_the_cases_behind_them(world):
    slowest = rows(operations_for(world.leader, MARCH), "slowest")
    assert [r["number"] for r in slowest] == [world.corrected.number, world.bundle.number, world.quick.number]
    assert slowest[0]["number_url"] == f"/cases/{world.corrected.pk}/"


def test_another_districts_leader_sees_none_of_ours_and_ours_none_of_theirs(world):
    theirs = demand_for(world.other_leader, MARCH)
    assert rows(theirs, "online_share")[0]["total"] == 1
    assert by_name(theirs, "by_region") == {world.other.name: {"name": world.other.name, "count": 1, "share": 100.0}}
    assert [r["number"] for r in rows(operations_for(world.other_leader, MARCH), "slowest")] == [world.theirs.number]
    with pytest.raises(NotFound):
        selectors.filters_of(world.other_leader, MARCH.period, world.home.pk, None)
    with pytest.raises(NotFound):
        selectors.filters_of(world.leader, MARCH.period, None, staff_department(world))
    with pytest.raises(PermissionDenied):
        selectors.analysis_scope(staff(Role.CLERK, world.home))


def staff_department(world: World) -> int:
    return world.theirs.matters.get().department_id


def test_the_department_and_period_filters(world):
    filtered = selectors.filters_of(world.leader, MARCH.period, world.home.pk, world.department.pk)
    demand = demand_for(world.leader, filtered)
    assert rows(demand, "online_share")[0]["total"] == 3  # the bundle's departments are others
    first_week = Filters(Period(dt.date(2026, 3, 1), dt.date(2026, 3, 7)))
    assert rows(demand_for(world.leader, first_week), "online_share")[0]["total"] == 3  # not the one of 11 March
    assert rows(operations_for(world.leader, first_week), "summary")[0]["count"] == 2  # corrected: decided on 10th


def test_the_period_defaults_to_90_days_and_refuses_wrong_dates():
    today = dt.date(2026, 3, 31)
    assert selectors.period_of("", "", today) == Period(dt.date(2026, 1, 1), today)
    for first, last in [("2026-13-01", ""), ("2026-03-31", "2026-03-01"), ("2024-01-01", "2026-03-31")]:
        with pytest.raises(InvalidFields) as refused:
            selectors.period_of(first, last, today)
        assert refused.value.code == "analytics_period_invalid"


def test_the_queries_do_not_grow_with_the_cases(world, time_machine, django_assert_max_num_queries):
    def count() -> None:
        demand_for(world.leader, MARCH)
        operations_for(world.leader, MARCH)

    count()  # the leader's memberships are read once and kept with the user
    with django_assert_max_num_queries(MAX_QUERIES) as small:
        count()
    matter = published_matter(department=department(world.home))
    for _n in range(4):
        _decided_single(matter, time_machine)
    with django_assert_max_num_queries(MAX_QUERIES) as large:
        count()
    assert len(large.captured_queries) == len(small.captured_queries)
    assert rows(operations_for(world.leader, MARCH), "summary")[0]["count"] == 7


MAX_QUERIES = 36  # both pages' reads: scope, one count per grouping, one read per kind of row


# --- pages, export, API ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/analytics/", "/analytics/demand/", "/analytics/operations/"])
def test_the_pages_render_at_debug_0_with_their_charts_and_tables(world, client, settings, path):
    settings.DEBUG = False
    client.force_login(world.leader)
    response = client.get(f"{path}?{QUERY}")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="analytics-figures"' in page and "/static/analytics/figures." in page
    assert "/static/vendor/echarts.min." in page
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert inline and all('type="application/json"' in tag for tag in inline)  # data only: the CSP allows no script
    assert "领导分析" in page  # the menu entry
    if path == "/analytics/operations/":
        assert f'<a href="/cases/{world.corrected.pk}/">{world.corrected.number}</a>' in page


def test_the_overview_shows_the_leaders_key_figures(world, client):
    client.force_login(world.leader)
    response = client.get(f"/analytics/?{QUERY}")
    charts = response.context["charts"]
    assert charts["online_share"][0]["online_rate"] == 75.0
    assert charts["finish_last"][0]["last"] == 1
    assert "by_hour" not in charts
    findings = response.context["findings"]  # the key findings say it in words, from the same tables
    last = charts["finish_last"][0]
    assert f"并联阶段中最常最后办结的是{last['name']}" in " ".join(f.text for f in findings)
    assert 'href="#table-finish_last"' in response.content.decode()


def test_a_wrong_date_shows_the_default_period_with_the_error_beside_the_field(world, client):
    client.force_login(world.leader)
    response = client.get("/analytics/demand/?from=2026-99-01")
    assert response.status_code == 200
    assert "日期格式应为 YYYY-MM-DD。" in response.content.decode()


def test_the_export_has_a_sheet_per_table(world, client):
    client.force_login(world.leader)
    response = client.get(f"/analytics/operations/export/?{QUERY}")
    assert response.status_code == 200
    sheets = read_sheets(
        __import__("io").BytesIO(b"".join(response.streaming_content)),
        ["运行概况", "补正最多的材料（办事指南应讲清楚的）"],
        max_bytes=10_000_000,
        max_rows=1000,
    )
    assert sheets["补正最多的材料（办事指南应讲清楚的）"][2][:2] == ("总平面图", 1)
    for page in ("overview", "demand"):
        export = client.get(f"/analytics/{page}/export/?{QUERY}")
        assert export.status_code == 200 and export["Content-Disposition"].endswith(
            f'analytics-{page}-20260301-20260331.xlsx"'
        )
    assert client.get("/analytics/nothing/export/").status_code == 404


def test_the_api_with_a_bearer_token(world):
    client = Client()
    headers = {"Authorization": f"Bearer {token_issue(world.leader).token}"}
    response = client.get(f"/api/analytics/demand?{QUERY}", headers=headers)
    assert response.status_code == 200, response.content
    body = response.json()
    online = next(t for t in body["tables"] if t["key"] == "online_share")
    assert online["rows"][0]["online_rate"] == 75.0
    ops = client.get(f"/api/analytics/operations?{QUERY}&region={world.home.pk}", headers=headers).json()
    assert ops["region_id"] == world.home.pk
    slowest = next(t for t in ops["tables"] if t["key"] == "slowest")
    assert slowest["rows"][0]["number"] == world.corrected.number
    wrong = client.get("/api/analytics/demand?from=2026-99-01", headers=headers)
    assert (wrong.status_code, wrong.json()["code"]) == (422, "analytics_period_invalid")
    outside = client.get(f"/api/analytics/demand?region={world.other.pk}", headers=headers)
    assert (outside.status_code, outside.json()["code"]) == (404, "analytics_region_not_found")
