"""The API with a bearer token, as the mobile app and the certificates side call it."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.api.auth import token_issue
from onewindow.evaluation.tests.factories import World, build_world

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user).token}"}


def test_rate_follow_up_and_settle_with_bearer_tokens(client: Any) -> None:
    world: World = build_world()
    applicant, reviewer = bearer(world.user("applicant")), bearer(world.user("reviewer"))
    case_url = f"/api/evaluation/cases/{world.case.pk}"
    assert client.get(f"{case_url}/prompt", **applicant).json() == {"due": True}
    body = {
        "level": 1,
        "tags": ["repeated_visits"],
        "comment": "跑了三次",
        "departments": [{"department_id": world.department.pk, "level": 2}],
    }
    response = client.post(f"{case_url}/rating", body, content_type="application/json", **applicant)
    assert response.status_code == 201, response.content
    overall, per_department = response.json()
    assert (overall["level_label"], per_department["level_label"]) == ("非常不满意", "不满意")
    assert client.get(f"{case_url}/prompt", **applicant).json() == {"due": False}

    items = client.get("/api/evaluation/follow-ups", **reviewer).json()["items"]
    assert len(items) == 2 and {item["rater"] for item in items} == {"匿名（未同意回访）"}
    follow_up_id = next(item["id"] for item in items if item["rating_id"] == overall["id"])
    url = f"/api/evaluation/follow-ups/{follow_up_id}"
    early = client.post(
        f"{url}/answer", {"rectification": "a", "answer": "b"}, content_type="application/json", **reviewer
    )
    assert early.status_code == 409 and early.json()["code"] == "follow_up_moved_on"
    assert (
        client.post(f"{url}/verify", {"verification": "属实"}, content_type="application/json", **reviewer).json()[
            "status"
        ]
        == "verified"
    )
    answered = client.post(
        f"{url}/answer",
        {"rectification": "一次性告知", "answer": "已整改"},
        content_type="application/json",
        **reviewer,
    )
    assert answered.json()["status"] == "answered"

    mine = client.get("/api/evaluation/ratings/mine", **applicant).json()["items"]
    assert next(r for r in mine if r["id"] == overall["id"])["follow_up"]["answer"] == "已整改"
    settled = client.post(
        f"/api/evaluation/ratings/{overall['id']}/settle",
        {"settled": True},
        content_type="application/json",
        **applicant,
    )
    assert settled.json()["follow_up"]["status"] == "settled"

    stats = client.get("/api/evaluation/statistics?by=department", **bearer(world.user("supervisor"))).json()
    assert stats["overall"]["total"] == 2 and stats["overall"]["satisfaction_rate"] == "0.0%"
    assert stats["rectification_rate"] == "50.0%"


def test_a_bad_level_is_422_with_the_field(client: Any) -> None:
    world = build_world()
    response = client.post(
        f"/api/evaluation/cases/{world.case.pk}/rating",
        {"level": 9},
        content_type="application/json",
        **bearer(world.user("applicant")),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "rating_invalid"


def test_without_a_token_the_api_answers_401(client: Any) -> None:
    world = build_world()
    assert (
        client.post(f"/api/evaluation/cases/{world.case.pk}/skip", {}, content_type="application/json").status_code
        == 401
    )
