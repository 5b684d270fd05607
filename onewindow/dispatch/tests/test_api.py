"""The dispatch API as a client sees it: the year to date in the answer, Chinese errors per field,
strict types, photos by upload, a problem from raised to escalated."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine

from onewindow.dispatch.tests.factories import World, jpeg, world

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 4, 15, 4, tzinfo=dt.UTC)
API = "/api/dispatch"


@pytest.fixture
def w() -> World:
    return world()


def post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body, ensure_ascii=False), content_type="application/json")


@time_machine.travel(NOON)
def test_a_report_answers_with_its_period_and_the_year_to_date(client: Any, w: World) -> None:
    client.force_login(w.user("secretary"))
    post(
        client,
        f"{API}/projects/{w.project.pk}/reports",
        {"period_end": "2026-03-30", "invested_in_period": 300, "progress_note": "基础", "workers": 10},
    )

    response = post(
        client,
        f"{API}/projects/{w.project.pk}/reports",
        {"invested_in_period": "120.5", "progress_note": "主体", "workers": 40},
    )

    body = response.json()
    assert response.status_code == 200
    assert (body["period_start"], body["period_end"]) == (
        "2026-03-31",
        "2026-04-30",
    )  # the day after March's cut-off on the 30th
    assert (body["invested_in_period"], body["invested_year_to_date"]) == ("120.50", "420.50")
    assert body["is_late"] is False
    listed = client.get(f"{API}/projects/{w.project.pk}/reports?limit=1").json()
    assert listed["count"] == 2 and listed["items"][0]["period_end"] == "2026-04-30"

    photo = client.post(f"{API}/reports/{body['id']}/photos", {"file": jpeg(), "caption": "全景"})
    assert photo.status_code == 200 and photo.json()["content_type"] == "image/jpeg"
    assert client.get(photo.json()["url"]).status_code == 200


@time_machine.travel(NOON)
def test_wrong_input_is_explained_per_field_in_chinese(client: Any, w: World) -> None:
    client.force_login(w.user("secretary"))
    url = f"{API}/projects/{w.project.pk}/reports"

    wrong = post(client, url, {"invested_in_period": "1.234", "progress_note": "", "workers": -2})
    extra = post(client, url, {"invested_in_period": "1", "progress_note": "x", "invested_year_to_date": "9"})
    boolean = post(client, url, {"invested_in_period": True, "progress_note": "x"})
    limit = client.get(f"{API}/projects/{w.project.pk}/reports?limit=1000")

    assert wrong.status_code == 422 and wrong.json()["code"] == "progress_report_invalid"
    assert {e["field"]: e["message"] for e in wrong.json()["errors"]} == {
        "invested_in_period": "金额最多保留两位小数",
        "progress_note": "请填写形象进度",
        "workers": "请输入 0 或正整数",
    }
    assert extra.status_code == 422 and boolean.status_code == 422  # the year to date is never typed
    assert limit.status_code == 422 and "limit" in limit.content.decode()


@time_machine.travel(NOON)
def test_a_problem_through_the_api(client: Any, w: World) -> None:
    client.force_login(w.user("secretary"))
    raised = post(
        client,
        f"{API}/projects/{w.project.pk}/problems",
        {"category": "funding", "title": "配套资金未到位", "unit_id": w.east_bureau.pk},
    )
    problem = raised.json()
    assert raised.status_code == 200
    assert (problem["level"], problem["status"], problem["unit"]["id"]) == ("district", "open", w.east_bureau.pk)
    assert problem["steps"][0]["action_label"] == "提出并交办"

    confirm_too_early = post(client, f"{API}/problems/{problem['id']}/confirm", {})
    assert confirm_too_early.status_code == 409 and confirm_too_early.json()["code"] == "problem_transition_not_allowed"

    client.force_login(w.user("city_office"))
    moved = post(
        client, f"{API}/problems/{problem['id']}/escalate", {"unit_id": w.city_bureau.pk, "due_on": "2026-04-30"}
    )
    assert moved.status_code == 200 and moved.json()["level_label"] == "市直部门调度"
    board = client.get(f"{API}/problems/board").json()
    assert board[0]["unit"]["id"] == w.city_bureau.pk and board[0]["open_count"] == 1
    filtered = client.get(f"{API}/problems?level=city_department&overdue=true").json()
    assert filtered["count"] == 0
    assert client.get(f"{API}/problems?status=bogus").status_code == 422
