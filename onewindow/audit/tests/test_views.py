from __future__ import annotations

import pytest
from django.urls import reverse

from onewindow.audit import registry, signing
from onewindow.audit.services import checkpoint_create
from onewindow.audit.tests.factories import OrganisationFactory, UserFactory, record, staff
from onewindow.orgs.domain import Role

pytestmark = pytest.mark.django_db

PAGES = ["audit:log", "audit:checkpoints", "audit:verify"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.CLERK, None])
def test_everyone_but_the_audit_admin_is_refused(client, name, role):
    client.force_login(staff(role) if role else UserFactory())
    assert client.get(reverse(name)).status_code == 403


def test_the_audit_admin_reads_the_log_newest_first_with_filters(client):
    record("case:1", 2, changes={"status": ["draft", "submitted"]})
    record("case:2", 1, action="catalogue.matter_published")
    client.force_login(staff(Role.AUDIT_ADMIN))
    response = client.get(reverse("audit:log"))
    assert response.status_code == 200
    assert [e.event.stream for e in response.context["entries"]] == ["case:2", "case:1", "case:1"]
    assert "draft → submitted" in response.text
    filtered = client.get(reverse("audit:log"), {"action": "catalogue.matter_published"})
    assert [e.event.stream for e in filtered.context["entries"]] == ["case:2"]


def test_a_reversed_date_range_is_explained_not_a_500(client):
    client.force_login(staff(Role.AUDIT_ADMIN))
    response = client.get(
        reverse("audit:log"), {"occurred_on_or_after": "2026-02-01", "occurred_on_or_before": "2026-01-01"}
    )
    assert response.status_code == 200
    assert "起始日期不能晚于截止日期" in response.text
    assert client.get(reverse("audit:log"), {"actor_id": "abc", "page": "x"}).status_code == 200


def test_the_log_is_paginated(client):
    record("case:1", 51)
    client.force_login(staff(Role.AUDIT_ADMIN))
    second = client.get(reverse("audit:log"), {"stream": "case:1", "page": 2})
    assert [e.event.seq for e in second.context["entries"]] == [1]


def test_the_audit_admin_lists_checkpoints_and_verifies_now(client):
    record("case:1", 2)
    checkpoint = checkpoint_create()
    client.force_login(staff(Role.AUDIT_ADMIN))
    assert checkpoint.root in client.get(reverse("audit:checkpoints")).text
    response = client.post(reverse("audit:verify"))
    assert response.context["report"].ok
    assert "未发现断链" in response.text


def test_the_trail_is_an_htmx_fragment_and_404_for_whoever_may_not_see_the_object(client, monkeypatch):
    city = OrganisationFactory()
    viewer = staff(organisation=city)
    monkeypatch.setitem(registry._TRAIL_ACCESS, "tests.thing", lambda user, pk: user == viewer and pk == "5")
    record("thing:5", target_type="tests.thing", target_id=5, organisation=city)
    client.force_login(viewer)
    response = client.get(reverse("audit:trail", args=["tests.thing", "5"]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text and "<table" in response.text
    for who in (UserFactory(), staff(organisation=city)):
        client.force_login(who)
        assert client.get(reverse("audit:trail", args=["tests.thing", "5"])).status_code == 404


def test_the_verify_page_names_a_checkpoint_signed_by_a_key_the_deployment_does_not_know(client, settings):
    record("case:1", 2)
    own = settings.AUDIT_SIGNING_KEY
    settings.AUDIT_SIGNING_KEY = signing.generate_private_key_pem().decode()
    forged = checkpoint_create(force=True)
    settings.AUDIT_SIGNING_KEY = own
    client.force_login(staff(Role.AUDIT_ADMIN))
    response = client.post(reverse("audit:verify"))
    assert not response.context["report"].ok
    assert f"检查点 #{forged.pk}：由未登记的公钥 {forged.key_fingerprint} 签名" in response.text
    assert "未登记的密钥" in response.text
