"""The permission matrix of every /api/dispatch endpoint: anonymous callers get 401, an object the
caller may not see is a 404 exactly like a missing one (with its stable code), an action their part
does not allow on an object they see is a 403, and a refused call changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from onewindow.audit.models import Event
from onewindow.dispatch.models import DispatchCycle
from onewindow.dispatch.tests.factories import jpeg
from onewindow.dispatch.tests.matrix import (
    OFFICES,
    REPORTERS,
    SEES_PROBLEM,
    SEES_PROJECT,
    USERS,
    Endpoint,
    Objects,
    answered,
    expect,
)
from onewindow.web.tests.matrix import Matrix

READ = expect(401, 200, allowed=SEES_PROJECT, visible=set())
WRITE = expect(401, 200, allowed=REPORTERS, visible=SEES_PROJECT)
OFFICE = expect(401, 200, allowed=OFFICES, visible=set(USERS), other=403)
EVERYONE = expect(401, 200, allowed=set(USERS), visible=set())
PROBLEM_READ = expect(401, 200, allowed=SEES_PROBLEM, visible=set())
PROJECT_SIDE = expect(401, 200, allowed=SEES_PROJECT, visible=SEES_PROBLEM)
API = "/api/dispatch"


def report(o: Objects) -> dict[str, Any]:
    return {
        "period_end": o.report.period_end.isoformat(),
        "invested_in_period": "88.5",
        "progress_note": "封顶",
        "workers": 9,
    }


ENDPOINTS = [
    Endpoint("cycles", "get", lambda o: f"{API}/cycles", OFFICE),
    Endpoint(
        "cycle-put",
        "put",
        lambda o: f"{API}/cycles/{o.world.east.pk}",
        expect(401, 200, allowed={"district_office", "city_office"}, visible=set(USERS) - OFFICES, other=404),
        data=lambda o: {"kind": "ten_day", "cutoff_day": 30, "remind_days_before": 2},
    ),
    Endpoint(
        "cycle-delete",
        "delete",
        lambda o: f"{API}/cycles/{o.world.east.pk}",
        expect(401, 204, allowed={"district_office", "city_office"}, visible=set(USERS) - OFFICES, other=404),
        setup=lambda o: DispatchCycle.objects.create(region=o.world.east, kind="ten_day") and None,
    ),
    Endpoint("project-cycle", "get", lambda o: f"{API}/projects/{o.project_id}/cycle", READ),
    Endpoint("reports", "get", lambda o: f"{API}/projects/{o.project_id}/reports", READ),
    Endpoint("report-submit", "post", lambda o: f"{API}/projects/{o.project_id}/reports", WRITE, data=report),
    Endpoint("report", "get", lambda o: f"{API}/reports/{o.report.pk}", READ),
    Endpoint(
        "report-photo",
        "multipart",
        lambda o: f"{API}/reports/{o.report.pk}/photos",
        WRITE,
        data=lambda o: {"file": jpeg()},
    ),
    Endpoint(
        "photo-delete",
        "delete",
        lambda o: f"{API}/photos/{o.photo.pk}",
        expect(401, 204, allowed=REPORTERS, visible=SEES_PROJECT),
    ),
    Endpoint("site-reports", "get", lambda o: f"{API}/projects/{o.project_id}/site-reports", READ),
    Endpoint(
        "site-report-submit",
        "post",
        lambda o: f"{API}/projects/{o.project_id}/site-reports",
        WRITE,
        data=lambda o: {"workers": 12, "machines": 3},
    ),
    Endpoint("site-report", "get", lambda o: f"{API}/site-reports/{o.site_report.pk}", READ),
    Endpoint(
        "site-report-photo",
        "multipart",
        lambda o: f"{API}/site-reports/{o.site_report.pk}/photos",
        WRITE,
        data=lambda o: {"file": jpeg()},
    ),
    Endpoint("late-reporters", "get", lambda o: f"{API}/late-reporters", OFFICE),
    Endpoint("missing-site-reports", "get", lambda o: f"{API}/site-reports/missing", OFFICE),
    Endpoint("problems", "get", lambda o: f"{API}/problems", EVERYONE),
    Endpoint("problem-board", "get", lambda o: f"{API}/problems/board", EVERYONE),
    Endpoint("problem", "get", lambda o: f"{API}/problems/{o.problem.pk}", PROBLEM_READ),
    Endpoint(
        "problem-raise",
        "post",
        lambda o: f"{API}/projects/{o.project_id}/problems",
        expect(401, 200, allowed=SEES_PROJECT, visible=set()),
        data=lambda o: {"category": "land", "title": "用地指标未落实", "unit_id": o.world.east_bureau.pk},
    ),
    Endpoint(
        "problem-answer",
        "post",
        lambda o: f"{API}/problems/{o.problem.pk}/answer",
        expect(401, 200, allowed={"unit_staff"}, visible=SEES_PROBLEM),
        data=lambda o: {"answer": "已协调供电公司"},
    ),
    Endpoint(
        "problem-confirm",
        "post",
        lambda o: f"{API}/problems/{o.problem.pk}/confirm",
        PROJECT_SIDE,
        data=lambda o: {},
        setup=answered,
    ),
    Endpoint(
        "problem-return",
        "post",
        lambda o: f"{API}/problems/{o.problem.pk}/return",
        PROJECT_SIDE,
        data=lambda o: {"note": "仍未通电"},
        setup=answered,
    ),
    Endpoint(
        "problem-escalate",
        "post",
        lambda o: f"{API}/problems/{o.problem.pk}/escalate",
        expect(401, 200, allowed={"city_office"}, visible=SEES_PROBLEM),
        data=lambda o: {"unit_id": o.world.city_bureau.pk},
    ),
]


def call(client: Any, endpoint: Endpoint, objs: Objects) -> Any:
    url = endpoint.url(objs)
    data = endpoint.data(objs) if endpoint.data else None
    if endpoint.method == "multipart":
        return client.post(url, data or {})
    if endpoint.method == "get":
        return client.get(url)
    body = json.dumps(data or {}, ensure_ascii=False)
    return getattr(client, endpoint.method)(url, body, content_type="application/json")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_endpoint(client: Any, objs: Objects, endpoint: Endpoint) -> None:
    if endpoint.setup:
        endpoint.setup(objs)
    checks = Matrix(client, objs.world.users, f"{endpoint.name} ({endpoint.method.upper()} {endpoint.url(objs)})")
    for who in USERS:
        with checks.as_user(who):
            events = Event.objects.count()

            response = call(client, endpoint, objs)

            expected = endpoint.expected[who]
            assert response.status_code == expected, response.content.decode()
            if expected >= 400:
                body = response.json()
                assert body["code"] and body["message"]
                assert Event.objects.count() == events
                if expected == 401:
                    assert body["code"] == "not_authenticated"
            elif endpoint.method != "get":
                assert Event.objects.count() > events
    checks.verify()


MISSING = [
    ("get", "/projects/999999/reports", "project_not_found"),
    ("get", "/projects/999999/cycle", "project_not_found"),
    ("get", "/reports/999999", "progress_report_not_found"),
    ("delete", "/photos/999999", "photo_not_found"),
    ("get", "/site-reports/999999", "site_report_not_found"),
    ("get", "/problems/999999", "problem_not_found"),
    ("post", "/problems/999999/answer", "problem_not_found"),
]


@pytest.mark.parametrize(("method", "path", "code"), MISSING)
def test_a_missing_object_answers_like_a_forbidden_one(
    client: Any, objs: Objects, method: str, path: str, code: str
) -> None:
    checks = Matrix(client, objs.world.users, f"{method.upper()} {API}{path}")
    for who in ["stranger", "city_office", "secretary", "unit_staff"]:
        with checks.as_user(who):
            if method == "get":
                response = client.get(f"{API}{path}")
            else:
                response = getattr(client, method)(
                    f"{API}{path}", json.dumps({"answer": "x"}), content_type="application/json"
                )
            assert response.status_code == 404
            assert response.json()["code"] == code
    checks.verify()
