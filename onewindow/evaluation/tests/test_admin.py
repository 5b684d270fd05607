"""The reason tags are kept in the admin by the system admin, audited, never deleted."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.audit.models import Event
from onewindow.cases.tests.factories import region
from onewindow.evaluation.models import ReasonTag
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import staff

pytestmark = pytest.mark.django_db


def test_the_system_admin_adds_a_reason_tag_on_the_record(client: Any) -> None:
    admin = staff(Role.SYSTEM_ADMIN, region())
    client.force_login(admin)
    response = client.post(
        "/admin/evaluation/reasontag/add/", {"code": "no_parking", "label": "停车不便", "order": "9", "is_active": "on"}
    )
    assert response.status_code == 302, response.content[:500]
    tag = ReasonTag.objects.get(code="no_parking")
    assert Event.objects.filter(stream=f"evaluation_reason_tag:{tag.pk}", action="evaluation.reason_tag_added").exists()
    assert client.post(f"/admin/evaluation/reasontag/{tag.pk}/delete/").status_code == 403


def test_the_seeded_tags_are_offered() -> None:
    labels = set(ReasonTag.objects.values_list("label", flat=True))
    assert {"服务态度差", "办事效率低", "多次跑", "材料要求不清"} <= labels
