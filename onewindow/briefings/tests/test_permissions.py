"""The permission matrix of every briefings page and endpoint, for every kind of user.

Anonymous: pages redirect to the login, the API answers 401. A report, campaign or event the user
may not see is a 404 exactly like a missing one; a write the user may not make on something they
see is a 403. The report is stored as a row (no rendering): reading must not depend on writing.

Each test builds the world once and checks every kind of user against it, each in a savepoint that
is rolled back (onewindow.web.tests.matrix), so one user's write never shows in the next one's check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from onewindow.briefings.models import LeaderReport
from onewindow.briefings.services.campaigns import campaign_create
from onewindow.briefings.services.starts import start_event_create
from onewindow.briefings.tests.helpers import World, report_row, world
from onewindow.notify.models import Delivery
from onewindow.projects.models import Campaign, StartEvent
from onewindow.web.tests.matrix import Matrix

USERS = ["anonymous", "stranger", "other_office", "office", "city_office", "leader", "other_leader", "member"]
LOGGED_IN = [u for u in USERS if u != "anonymous"]
LOGIN = 302
KINDS = ["campaigns", "starts"]


def matrix(**expected: int) -> dict[str, int]:
    return {user: expected[user] for user in USERS}


@dataclass
class Setting:
    w: World
    report: LeaderReport
    campaign: Campaign
    event: StartEvent

    def user(self, who: str) -> Any:
        return self.w.users[who]

    def checks(self, client: Any, endpoint: str) -> Matrix:
        return Matrix(client, self.w.users, endpoint)


@pytest.fixture
def s(db: Any) -> Setting:
    w = world()
    report = report_row(w.leader, w.home)
    campaign = campaign_create(
        actor=w.office,
        name="百日攻坚行动",
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 9, 8),
        target_starts=1,
        target_completions=0,
        target_investment_share=Decimal("0.9"),
        project_codes=[w.project.code],
    )
    event = start_event_create(
        actor=w.office, name="秋季集中开工", held_on=dt.date(2026, 10, 28), project_codes=[w.project.code]
    )
    return Setting(w, report, campaign, event)


SEES_REPORT = {"office", "city_office", "leader"}
SEES_PROJECT = {"office", "city_office", "leader", "member"}
OFFICES = {"other_office", "office", "city_office"}


def visible_or_404(sees: set[str], ok: int = 200, **overrides: int) -> dict[str, int]:
    expected = {user: (ok if user in sees else 404) for user in USERS} | {"anonymous": LOGIN} | overrides
    return matrix(**expected)


# --- report pages ---------------------------------------------------------------------------------

REPORT_LIST_PAGE = matrix(
    anonymous=LOGIN,
    stranger=403,
    other_office=200,
    office=200,
    city_office=200,
    leader=200,
    other_leader=200,
    member=403,
)


def test_report_list_page(client: Any, s: Setting) -> None:
    checks = s.checks(client, "GET /briefings/?period=2026-10")
    for who, status in REPORT_LIST_PAGE.items():
        with checks.as_user(who):
            response = client.get("/briefings/?period=2026-10")
            assert response.status_code == status
            if status == LOGIN:
                assert response["Location"].startswith("/accounts/login/")
            if status == 200:
                assert (s.report.sms_text in response.content.decode()) == (who in SEES_REPORT)
    checks.verify()


@pytest.mark.parametrize("suffix", ["", "docx/", "pdf/"])
def test_report_pages_and_files(client: Any, s: Setting, suffix: str) -> None:
    url = f"/briefings/{s.report.pk}/{suffix}"
    checks = s.checks(client, f"GET {url}")
    for who, status in visible_or_404(SEES_REPORT).items():
        with checks.as_user(who):
            response = client.get(url)
            assert response.status_code == status
            if status == 200 and not suffix:
                assert s.report.sms_text in response.content.decode()
            if status == 200 and suffix:
                assert "attachment" in response["Content-Disposition"]
    checks.verify()


def test_a_missing_report_looks_like_a_forbidden_one(client: Any, s: Setting) -> None:
    checks = s.checks(client, "GET /briefings/999999/ and /api/briefings/reports/999999")
    for who in LOGGED_IN:
        with checks.as_user(who):
            assert client.get("/briefings/999999/").status_code == 404
            assert client.get("/api/briefings/reports/999999").status_code == 404
    checks.verify()


def test_send_page_action(client: Any, s: Setting) -> None:
    url = f"/briefings/{s.report.pk}/send/"
    checks = s.checks(client, f"POST {url}")
    for who, status in visible_or_404(SEES_REPORT, ok=302, leader=403).items():
        with checks.as_user(who):
            response = client.post(url)
            assert response.status_code == status
            assert Delivery.objects.exists() == (status == 302 and who != "anonymous")
    checks.verify()


GENERATE_PAGE = matrix(
    anonymous=LOGIN,
    stranger=403,
    other_office=302,
    office=302,
    city_office=302,
    leader=403,
    other_leader=403,
    member=403,
)


def test_generate_page_action(client: Any, s: Setting, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 6, 9, 0, tzinfo=dt.UTC), tick=False)
    checks = s.checks(client, "POST /briefings/generate/")
    for who, status in GENERATE_PAGE.items():
        with checks.as_user(who):
            response = client.post("/briefings/generate/", {"period": "2026-10"})
            assert response.status_code == status
            if status == 302 and who != "anonymous":
                assert response["Location"].startswith("/briefings/?period=2026-10&job=")  # the job's panel
                expected = {"other_office": {s.w.other_leader.pk}, "office": {s.w.leader.pk}}.get(
                    who, {s.w.leader.pk, s.w.other_leader.pk}
                )
                generated = set(
                    LeaderReport.objects.filter(version__gte=1, generated_by__isnull=False).values_list(
                        "leader", flat=True
                    )
                )
                assert generated == expected
    checks.verify()


def test_generate_with_a_wrong_month_says_so(client: Any, s: Setting) -> None:
    client.force_login(s.user("office"))
    response = client.post("/briefings/generate/", {"period": "2026-13"})
    assert response.status_code == 422
    assert "月份格式应为 YYYY-MM" in response.content.decode()


# --- campaign and start pages ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_campaign_and_start_lists(client: Any, s: Setting, kind: str) -> None:
    checks = s.checks(client, f"GET /briefings/{kind}/")
    for who in USERS:
        with checks.as_user(who):
            response = client.get(f"/briefings/{kind}/")
            if who == "anonymous":
                assert response.status_code == LOGIN
                continue
            assert response.status_code == 200
            name = s.campaign.name if kind == "campaigns" else s.event.name
            assert (name in response.content.decode()) == (who in SEES_PROJECT)
    checks.verify()


@pytest.mark.parametrize("kind", KINDS)
def test_campaign_and_start_pages(client: Any, s: Setting, kind: str) -> None:
    pk = s.campaign.pk if kind == "campaigns" else s.event.pk
    checks = s.checks(client, f"GET /briefings/{kind}/{pk}/")
    for who, status in visible_or_404(SEES_PROJECT).items():
        with checks.as_user(who):
            response = client.get(f"/briefings/{kind}/{pk}/")
            assert response.status_code == status
            if status == 200:
                assert s.w.project.name in response.content.decode()
            missing = client.get(f"/briefings/{kind}/999999/")
            assert missing.status_code == (LOGIN if who == "anonymous" else 404)
    checks.verify()


OFFICE_ONLY = matrix(
    anonymous=LOGIN,
    stranger=403,
    other_office=200,
    office=200,
    city_office=200,
    leader=403,
    other_leader=403,
    member=403,
)


@pytest.mark.parametrize("kind", KINDS)
def test_new_forms(client: Any, s: Setting, kind: str) -> None:
    checks = s.checks(client, f"GET /briefings/{kind}/new/")
    for who, status in OFFICE_ONLY.items():
        with checks.as_user(who):
            assert client.get(f"/briefings/{kind}/new/").status_code == status
    checks.verify()


def test_creating_pages(client: Any, s: Setting) -> None:
    campaign = {
        "name": "三季度攻坚",
        "starts_on": "2026-07-01",
        "ends_on": "2026-09-30",
        "target_starts": "2",
        "target_completions": "1",
        "target_investment_share": "90",
        "projects": "",
    }
    event = {"name": "冬季集中开工", "held_on": "2026-12-01", "venue": "", "projects": ""}
    checks = s.checks(client, "POST /briefings/campaigns/new/ and /briefings/starts/new/")
    for who, status in OFFICE_ONLY.items():
        with checks.as_user(who):
            created = 302 if status == 200 else status
            assert client.post("/briefings/campaigns/new/", campaign).status_code == created
            assert client.post("/briefings/starts/new/", event).status_code == created
            assert Campaign.objects.filter(name="三季度攻坚").exists() == (created == 302 and who != "anonymous")
            assert StartEvent.objects.filter(name="冬季集中开工").exists() == (created == 302 and who != "anonymous")
    checks.verify()


def test_a_bad_campaign_form_keeps_what_was_typed(client: Any, s: Setting) -> None:
    client.force_login(s.user("office"))
    response = client.post(
        "/briefings/campaigns/new/",
        {
            "name": "三季度攻坚",
            "starts_on": "2026-07-01",
            "ends_on": "2026-06-01",
            "target_investment_share": "120",
            "projects": "NOPE",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "请填写 0 至 100 之间的百分数" in page
    assert 'value="三季度攻坚"' in page


# Writes on a campaign / event: managers (offices over all its projects) 302; those who only see it 403.
MEMBER_WRITES = visible_or_404(SEES_PROJECT, ok=302, leader=403, member=403)


@pytest.mark.parametrize("kind", KINDS)
def test_adding_and_removing_projects(client: Any, s: Setting, kind: str) -> None:
    target = s.campaign if kind == "campaigns" else s.event
    part = "members" if kind == "campaigns" else "projects"
    checks = s.checks(client, f"POST /briefings/{kind}/{target.pk}/{part}/ and …/remove/")
    for who, status in MEMBER_WRITES.items():
        with checks.as_user(who):
            added = client.post(f"/briefings/{kind}/{target.pk}/{part}/", {"projects": s.w.lagging.code})
            assert added.status_code == status
            assert target.projects.filter(pk=s.w.lagging.pk).exists() == (status == 302 and who != "anonymous")
            removed = client.post(f"/briefings/{kind}/{target.pk}/{part}/{s.w.project.pk}/remove/")
            assert removed.status_code == status
            assert target.projects.filter(pk=s.w.project.pk).exists() == (status != 302 or who == "anonymous")
    checks.verify()


# --- API ------------------------------------------------------------------------------------------


def api_matrix(sees: set[str], ok: int = 200, **overrides: int) -> dict[str, int]:
    expected = {user: (ok if user in sees else 404) for user in USERS} | {"anonymous": 401} | overrides
    return matrix(**expected)


REPORT_LIST_ENDPOINT = matrix(
    anonymous=401,
    stranger=403,
    other_office=200,
    office=200,
    city_office=200,
    leader=200,
    other_leader=200,
    member=403,
)


def test_report_list_endpoint(client: Any, s: Setting) -> None:
    checks = s.checks(client, "GET /api/briefings/reports?period=2026-10")
    for who, status in REPORT_LIST_ENDPOINT.items():
        with checks.as_user(who):
            response = client.get("/api/briefings/reports?period=2026-10")
            assert response.status_code == status
            if status == 200:
                ids = [item["id"] for item in response.json()["items"]]
                assert (s.report.pk in ids) == (who in SEES_REPORT)
    checks.verify()


@pytest.mark.parametrize("suffix", ["", "/docx", "/pdf"])
def test_report_endpoints(client: Any, s: Setting, suffix: str) -> None:
    url = f"/api/briefings/reports/{s.report.pk}{suffix}"
    checks = s.checks(client, f"GET {url}")
    for who, status in api_matrix(SEES_REPORT).items():
        with checks.as_user(who):
            response = client.get(url)
            assert response.status_code == status
            if status == 404:
                assert response.json()["code"] == "leader_report_not_found"
            if status == 200 and not suffix:
                assert response.json()["sms_text"] == s.report.sms_text
    checks.verify()


def test_send_endpoint(client: Any, s: Setting) -> None:
    url = f"/api/briefings/reports/{s.report.pk}/send"
    checks = s.checks(client, f"POST {url}")
    for who, status in api_matrix(SEES_REPORT, ok=202, leader=403).items():
        with checks.as_user(who):
            response = client.post(url)
            assert response.status_code == status
            if status == 202:  # a job, finished at once by the tests' immediate backend
                deliveries = response.json()["result"]["deliveries"]
                assert [d["channel"] for d in deliveries] == ["sms", "email"]
            else:
                assert not Delivery.objects.exists()
    checks.verify()


GENERATE_ENDPOINT = matrix(
    anonymous=401,
    stranger=403,
    other_office=202,
    office=202,
    city_office=202,
    leader=403,
    other_leader=403,
    member=403,
)


def test_generate_endpoint(client: Any, s: Setting, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 6, 9, 0, tzinfo=dt.UTC), tick=False)
    checks = s.checks(client, "POST /api/briefings/reports/generate")
    for who, status in GENERATE_ENDPOINT.items():
        with checks.as_user(who):
            response = client.post(
                "/api/briefings/reports/generate", {"period": "2026-09"}, content_type="application/json"
            )
            assert response.status_code == status
            if status == 202:  # a job, finished at once by the tests' immediate backend
                assert response.json()["status"] == "succeeded"
                assert response.json()["result"]["created"] >= 1
            else:
                assert not LeaderReport.objects.filter(period=dt.date(2026, 9, 1)).exists()
    checks.verify()


def test_generate_endpoint_refuses_a_bad_month(client: Any, s: Setting) -> None:
    client.force_login(s.user("office"))
    response = client.post("/api/briefings/reports/generate", {"period": "October"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


@pytest.mark.parametrize("kind", KINDS)
def test_campaign_and_start_list_endpoints(client: Any, s: Setting, kind: str) -> None:
    checks = s.checks(client, f"GET /api/briefings/{kind}")
    for who in USERS:
        with checks.as_user(who):
            response = client.get(f"/api/briefings/{kind}")
            if who == "anonymous":
                assert response.status_code == 401
                continue
            assert response.status_code == 200
            pk = s.campaign.pk if kind == "campaigns" else s.event.pk
            assert (pk in [item["id"] for item in response.json()]) == (who in SEES_PROJECT)
    checks.verify()


@pytest.mark.parametrize("kind", KINDS)
def test_campaign_and_start_detail_endpoints(client: Any, s: Setting, kind: str) -> None:
    pk = s.campaign.pk if kind == "campaigns" else s.event.pk
    checks = s.checks(client, f"GET /api/briefings/{kind}/{pk}")
    for who, status in api_matrix(SEES_PROJECT).items():
        with checks.as_user(who):
            response = client.get(f"/api/briefings/{kind}/{pk}")
            assert response.status_code == status
            if status == 404:
                assert response.json()["code"] == (
                    "campaign_not_found" if kind == "campaigns" else "start_event_not_found"
                )
    checks.verify()


CREATE_ENDPOINTS = matrix(
    anonymous=401,
    stranger=403,
    other_office=201,
    office=201,
    city_office=201,
    leader=403,
    other_leader=403,
    member=403,
)


def test_create_endpoints(client: Any, s: Setting) -> None:
    campaign = {
        "name": "三季度攻坚",
        "starts_on": "2026-07-01",
        "ends_on": "2026-09-30",
        "target_investment_share": 0.9,
    }
    event = {"name": "冬季集中开工", "held_on": "2026-12-01"}
    checks = s.checks(client, "POST /api/briefings/campaigns and /api/briefings/starts")
    for who, status in CREATE_ENDPOINTS.items():
        with checks.as_user(who):
            created = client.post("/api/briefings/campaigns", campaign, content_type="application/json")
            assert created.status_code == status
            assert client.post("/api/briefings/starts", event, content_type="application/json").status_code == status
    checks.verify()


@pytest.mark.parametrize("kind", KINDS)
def test_member_endpoints(client: Any, s: Setting, kind: str) -> None:
    target = s.campaign if kind == "campaigns" else s.event
    part = "members" if kind == "campaigns" else "projects"
    checks = s.checks(client, f"POST and DELETE /api/briefings/{kind}/{target.pk}/{part}")
    for who, status in api_matrix(SEES_PROJECT, leader=403, member=403).items():
        with checks.as_user(who):
            added = client.post(
                f"/api/briefings/{kind}/{target.pk}/{part}",
                {"codes": [s.w.lagging.code]},
                content_type="application/json",
            )
            assert added.status_code == status
            removed = client.delete(f"/api/briefings/{kind}/{target.pk}/{part}/{s.w.project.pk}")
            assert removed.status_code == status
            if status == 200:
                assert set(target.projects.all()) == {s.w.lagging}
            else:
                assert set(target.projects.all()) == {s.w.project}
    checks.verify()
