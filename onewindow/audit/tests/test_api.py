from __future__ import annotations

import pytest

from onewindow.audit.services import checkpoint_create
from onewindow.audit.tests.factories import record, staff
from onewindow.orgs.domain import Role

pytestmark = pytest.mark.django_db


def test_anonymous_callers_must_log_in(client):
    response = client.get("/api/audit/events")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("path", ["/api/audit/events", "/api/audit/checkpoints"])
@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.CLERK])
def test_only_the_audit_admin_reads_the_api(client, path, role):
    client.force_login(staff(role))
    response = client.get(path)
    assert response.status_code == 403
    assert response.json()["code"] == "audit_admin_only"
    assert "审计管理员" in response.json()["message"]


def test_the_audit_admin_pages_through_filtered_events_with_a_capped_limit(client):
    record("case:1", 3, changes={"status": ["a", "b"]})
    record("case:2", 1)
    client.force_login(staff(Role.AUDIT_ADMIN))
    body = client.get("/api/audit/events", {"stream": "case:1", "limit": 1000, "offset": 1}).json()
    assert body["count"] == 3 and body["limit"] == 200
    assert [item["seq"] for item in body["items"]] == [2, 1]
    assert body["items"][0]["changes"] == {"status": ["a", "b"]}


def test_bad_filters_get_a_chinese_error_with_a_code(client):
    client.force_login(staff(Role.AUDIT_ADMIN))
    response = client.get("/api/audit/events", {"limit": 0, "occurred_on_or_after": "yesterday"})
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"


def test_the_audit_admin_lists_checkpoints(client):
    record("case:1")
    checkpoint = checkpoint_create()
    client.force_login(staff(Role.AUDIT_ADMIN))
    body = client.get("/api/audit/checkpoints").json()
    assert body["count"] == 1 and body["items"][0]["root"] == checkpoint.root
