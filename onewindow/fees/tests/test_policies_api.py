"""The policies' API for the catalogue's keeper: list every version, end one, revise one from a date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from onewindow.api.auth import token_issue
from onewindow.fees.models import FeePolicy
from onewindow.fees.tests.factories import fee_world
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import RegionFactory, UserFactory, staff
from onewindow.web.tests.matrix import Matrix

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_issue(user).token}"}


@pytest.fixture
def admin():
    fee_world()
    return staff(Role.SYSTEM_ADMIN, RegionFactory())


def open_ended() -> FeePolicy:
    policy = FeePolicy.objects.filter(valid_to__isnull=True, kind="reduce").order_by("pk").first()
    assert policy is not None
    return policy


def test_the_keeper_ends_a_policy_and_revises_another_from_a_date(admin) -> None:
    client = Client()
    listed = client.get("/api/fees/policies", headers=bearer(admin))
    assert listed.status_code == 200 and {row["status"] for row in listed.json()} >= {"in_force", "ended"}

    policy = open_ended()
    start = policy.valid_from + dt.timedelta(days=400)
    revised = client.post(
        f"/api/fees/policies/{policy.pk}/revise",
        {"from_date": start.isoformat(), "factor": "0.3", "reason": "减收比例调整"},
        content_type="application/json",
        headers=bearer(admin),
    )
    assert revised.status_code == 201, revised.content
    assert Decimal(revised.json()["factor"]) == Decimal("0.3") and revised.json()["valid_from"] == start.isoformat()
    policy.refresh_from_db()
    assert policy.valid_to == start - dt.timedelta(days=1)  # the old version ends the day before

    ended = client.post(
        f"/api/fees/policies/{revised.json()['id']}/end",
        {"valid_to": (start + dt.timedelta(days=30)).isoformat(), "reason": "政策到期"},
        content_type="application/json",
        headers=bearer(admin),
    )
    assert ended.status_code == 200 and ended.json()["valid_to"] == (start + dt.timedelta(days=30)).isoformat()

    pushed_back = client.post(
        f"/api/fees/policies/{revised.json()['id']}/end",
        {"valid_to": (start + dt.timedelta(days=60)).isoformat(), "reason": "延长"},
        content_type="application/json",
        headers=bearer(admin),
    )
    assert pushed_back.status_code == 409 and pushed_back.json()["code"] == "fees_policy_already_ended"


def test_only_the_keeper_may_read_or_change_policies_through_the_api(admin) -> None:
    policy = open_ended()
    users = {
        "anonymous": None,
        "applicant": UserFactory(),
        "reviewer": staff(Role.REVIEWER, RegionFactory()),
        "leader": staff(Role.LEADER, RegionFactory()),
        "admin": admin,
    }
    client = Client()
    calls = {
        "GET /api/fees/policies": (lambda h: client.get("/api/fees/policies", headers=h), 200),
        "POST end": (
            lambda h: client.post(
                f"/api/fees/policies/{policy.pk}/end",
                {"valid_to": policy.valid_from.isoformat(), "reason": "测试"},
                content_type="application/json",
                headers=h,
            ),
            200,
        ),
    }
    for label, (call, admin_status) in calls.items():
        checks = Matrix(client, users, label)
        for who, status in {"anonymous": 401, "applicant": 403, "reviewer": 403, "leader": 403}.items():
            with checks.as_user(who):
                client.logout()
                user = users[who]
                assert call(bearer(user) if user else {}).status_code == status
        with checks.as_user("admin"):
            client.logout()
            assert call(bearer(admin)).status_code == admin_status
        checks.verify()
