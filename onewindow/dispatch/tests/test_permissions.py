"""The permission matrix of every dispatch page: anonymous users go to the login page, an object the
user may not see is a 404 exactly like a missing one, an action their part does not allow on an
object they see is a 403, and a refused request changes nothing (no audit event is written)."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.audit.models import Event
from onewindow.dispatch.tests.factories import jpeg
from onewindow.dispatch.tests.matrix import (
    DONE,
    LOGIN,
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

READ = expect(LOGIN, 200, allowed=SEES_PROJECT, visible=set())
WRITE_FORM = expect(LOGIN, 200, allowed=REPORTERS, visible=SEES_PROJECT)
WRITE = expect(LOGIN, DONE, allowed=REPORTERS, visible=SEES_PROJECT)
OFFICE_PAGE = expect(LOGIN, 200, allowed=OFFICES, visible=set(USERS), other=403)
PROJECT_SIDE = SEES_PROJECT  # the service team (leader and commissioner included) and the office


def report(o: Objects) -> dict[str, Any]:
    return {
        "period_end": o.report.period_end.isoformat(),
        "invested_in_period": "88",
        "progress_note": "封顶",
        "workers": "9",
    }


PAGES = [
    Endpoint("home", "get", lambda o: "/dispatch/", expect(LOGIN, 200, allowed=set(USERS), visible=set())),
    Endpoint(
        "reports",
        "get",
        lambda o: f"/dispatch/projects/{o.project_id}/reports/",
        READ,
        shows=lambda o: o.world.project.name,
    ),
    Endpoint("report-form", "get", lambda o: f"/dispatch/projects/{o.project_id}/reports/enter/", WRITE_FORM),
    Endpoint("report-enter", "post", lambda o: f"/dispatch/projects/{o.project_id}/reports/enter/", WRITE, data=report),
    Endpoint(
        "report", "get", lambda o: f"/dispatch/reports/{o.report.pk}/", READ, shows=lambda o: o.report.progress_note
    ),
    Endpoint(
        "report-photo",
        "post",
        lambda o: f"/dispatch/reports/{o.report.pk}/photos/",
        WRITE,
        data=lambda o: {"file": jpeg()},
    ),
    Endpoint("photo", "get", lambda o: f"/dispatch/photos/{o.photo.pk}/", READ),
    Endpoint("photo-delete", "post", lambda o: f"/dispatch/photos/{o.photo.pk}/delete/", WRITE),
    Endpoint("site-reports", "get", lambda o: f"/dispatch/projects/{o.project_id}/site-reports/", READ),
    Endpoint(
        "site-report-enter",
        "post",
        lambda o: f"/dispatch/projects/{o.project_id}/site-reports/",
        WRITE,
        data=lambda o: {"workers": "12", "machines": "3", "note": ""},
    ),
    Endpoint("site-report", "get", lambda o: f"/dispatch/site-reports/{o.site_report.pk}/", READ),
    Endpoint(
        "site-report-photo",
        "post",
        lambda o: f"/dispatch/site-reports/{o.site_report.pk}/photos/",
        WRITE,
        data=lambda o: {"file": jpeg()},
    ),
    Endpoint("late", "get", lambda o: "/dispatch/late/", OFFICE_PAGE),
    Endpoint("missing", "get", lambda o: "/dispatch/site-reports/missing/", OFFICE_PAGE),
    Endpoint("cycles", "get", lambda o: "/dispatch/cycles/", OFFICE_PAGE),
    Endpoint(
        "cycle-save",
        "post",
        lambda o: f"/dispatch/cycles/{o.world.east.pk}/",
        expect(LOGIN, DONE, allowed={"district_office", "city_office"}, visible=set(USERS) - OFFICES, other=404),
        data=lambda o: {"kind": "ten_day", "cutoff_day": "30", "remind_days_before": "2"},
    ),
    Endpoint("board", "get", lambda o: "/dispatch/problems/", expect(LOGIN, 200, allowed=set(USERS), visible=set())),
    Endpoint(
        "problem",
        "get",
        lambda o: f"/dispatch/problems/{o.problem.pk}/",
        expect(LOGIN, 200, allowed=SEES_PROBLEM, visible=set()),
        shows=lambda o: o.problem.title,
    ),
    Endpoint(
        "problem-answer",
        "post",
        lambda o: f"/dispatch/problems/{o.problem.pk}/answer/",
        expect(LOGIN, DONE, allowed={"unit_staff"}, visible=SEES_PROBLEM),
        data=lambda o: {"note": "已协调供电公司"},
    ),
    Endpoint(
        "problem-confirm",
        "post",
        lambda o: f"/dispatch/problems/{o.problem.pk}/confirm/",
        expect(LOGIN, DONE, allowed=PROJECT_SIDE, visible=SEES_PROBLEM),
        setup=answered,
    ),
    Endpoint(
        "problem-return",
        "post",
        lambda o: f"/dispatch/problems/{o.problem.pk}/return/",
        expect(LOGIN, DONE, allowed=PROJECT_SIDE, visible=SEES_PROBLEM),
        data=lambda o: {"note": "仍未通电"},
        setup=answered,
    ),
    Endpoint(
        "problem-escalate",
        "post",
        lambda o: f"/dispatch/problems/{o.problem.pk}/escalate/",
        expect(LOGIN, DONE, allowed={"city_office"}, visible=SEES_PROBLEM),
        data=lambda o: {"unit": str(o.world.city_bureau.pk), "note": "市级协调"},
    ),
    Endpoint(
        "problem-form",
        "get",
        lambda o: f"/dispatch/projects/{o.project_id}/problems/new/",
        expect(LOGIN, 200, allowed=PROJECT_SIDE, visible=set()),
    ),
    Endpoint(
        "problem-raise",
        "post",
        lambda o: f"/dispatch/projects/{o.project_id}/problems/new/",
        expect(LOGIN, DONE, allowed=PROJECT_SIDE, visible=set()),
        data=lambda o: {
            "category": "land",
            "title": "用地指标未落实",
            "unit": str(o.world.east_bureau.pk),
            "level": "district",
        },
    ),
]


@pytest.mark.parametrize("endpoint", PAGES, ids=lambda e: e.name)
def test_page(client: Any, objs: Objects, endpoint: Endpoint) -> None:
    if endpoint.setup:
        endpoint.setup(objs)
    checks = Matrix(client, objs.world.users, f"{endpoint.name} ({endpoint.method.upper()} {endpoint.url(objs)})")
    for who in USERS:
        with checks.as_user(who):
            events = Event.objects.count()
            call = getattr(client, endpoint.method)
            response = call(endpoint.url(objs), endpoint.data(objs) if endpoint.data else {})

            expected = endpoint.expected[who]
            assert response.status_code == expected
            if who == "anonymous":
                assert response["Location"].startswith("/accounts/login/")
            if expected in {403, 404}:
                assert Event.objects.count() == events
            if expected == 200 and endpoint.shows:
                assert endpoint.shows(objs) in response.content.decode()
            if endpoint.method == "post" and expected == DONE and who != "anonymous":
                assert Event.objects.count() > events
    checks.verify()


MISSING = [
    "/dispatch/projects/999999/reports/",
    "/dispatch/projects/999999/reports/enter/",
    "/dispatch/reports/999999/",
    "/dispatch/photos/999999/",
    "/dispatch/projects/999999/site-reports/",
    "/dispatch/site-reports/999999/",
    "/dispatch/problems/999999/",
    "/dispatch/projects/999999/problems/new/",
]


@pytest.mark.parametrize("url", MISSING)
def test_a_missing_object_looks_like_a_forbidden_one(client: Any, objs: Objects, url: str) -> None:
    checks = Matrix(client, objs.world.users, f"GET {url}")
    for who in ["stranger", "district_office", "city_office", "secretary"]:
        with checks.as_user(who):
            assert client.get(url).status_code == 404
    checks.verify()


def test_the_board_and_the_office_lists_show_only_what_the_user_sees(client: Any, objs: Objects) -> None:
    checks = Matrix(client, objs.world.users, "GET /dispatch/problems/")
    for who in sorted(SEES_PROJECT):
        with checks.as_user(who):
            board = client.get("/dispatch/problems/").content.decode()
            assert objs.problem.title in board
    checks.verify()


def test_the_missing_site_reports_list_is_scoped(client: Any, objs: Objects) -> None:
    objs.site_report.delete()
    checks = Matrix(client, objs.world.users, "GET /dispatch/site-reports/missing/")
    for who, sees in [("other_office", False), ("district_office", True), ("city_office", True)]:
        with checks.as_user(who):
            page = client.get("/dispatch/site-reports/missing/").content.decode()
            assert (objs.world.project.name in page) == sees
            if sees:
                assert objs.world.user("secretary").name in page
    checks.verify()


def test_the_board_shows_a_problem_to_its_unit_but_not_to_strangers(client: Any, objs: Objects) -> None:
    checks = Matrix(client, objs.world.users, "GET /dispatch/problems/")
    for who, sees in [("stranger", False), ("other_office", False), ("unit_staff", True)]:
        with checks.as_user(who):
            board = client.get("/dispatch/problems/").content.decode()
            assert (objs.problem.title in board) == sees
    checks.verify()
