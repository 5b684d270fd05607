"""The system admin's policy page: every policy listed, ended or revised through its forms; refusals beside
the field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from onewindow.audit.models import Event
from onewindow.fees.models import FeePolicy
from onewindow.fees.tests.factories import fee_world
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import RegionFactory, staff

pytestmark = pytest.mark.django_db
HALVED = "云川发改价格〔2024〕9号"


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(staff(Role.SYSTEM_ADMIN, RegionFactory()))
    return client


def _revision(policy, **overrides):
    data = {
        "from_date": "2026-07-01",
        "kind": policy.kind,
        "title": policy.title,
        "factor": "0.2",
        "at_lower_bound": "on",
        "project_category": policy.project_category,
        "items": [item.pk for item in policy.items.all()],
        "reason": "降低收费",
    }
    return {**data, **overrides}


def test_the_catalogue_links_to_the_policies_for_the_system_admin_only(client, admin_client):
    fee_world()
    assert "/fees/policies/" in admin_client.get("/fees/").content.decode()
    assert "/fees/policies/" not in client.get("/fees/").content.decode()
    client.force_login(staff(Role.CLERK, RegionFactory()))
    assert "/fees/policies/" not in client.get("/fees/").content.decode()


def test_the_list_shows_policies_in_force_and_ended(admin_client):
    fee_world()
    page = admin_client.get("/fees/policies/").content.decode()
    assert page.count('ow-fees-policy-row"') == FeePolicy.objects.count()
    assert "云川发改价格〔2022〕4号" in page and "已失效" in page and "现行" in page


def test_ending_a_policy_from_the_page(admin_client):
    fee_world()
    policy = FeePolicy.objects.get(document_number=HALVED)
    response = admin_client.post(
        f"/fees/policies/{policy.pk}/end/", {"valid_to": "2026-06-30", "reason": "到期"}, follow=True
    )
    assert response.status_code == 200 and "已失效该政策" in response.content.decode()
    assert FeePolicy.objects.get(pk=policy.pk).valid_to == dt.date(2026, 6, 30)


def test_a_refused_end_date_is_shown_beside_the_field_and_kept(admin_client):
    fee_world()
    policy = FeePolicy.objects.get(document_number=HALVED)
    response = admin_client.post(f"/fees/policies/{policy.pk}/end/", {"valid_to": "2000-01-01", "reason": "写错"})
    page = response.content.decode()
    assert response.status_code == 422 and "失效日期不能早于该政策的生效日期" in page
    assert 'value="2000-01-01"' in page and 'value="写错"' in page and "invalid-feedback" in page
    missing = admin_client.post(f"/fees/policies/{policy.pk}/end/", {"valid_to": "", "reason": ""})
    assert missing.status_code == 422 and "请填写此项。" in missing.content.decode()
    assert FeePolicy.objects.get(pk=policy.pk).valid_to is None


def test_revising_a_policy_from_the_page(admin_client):
    fee_world()
    policy = FeePolicy.objects.get(document_number=HALVED)
    response = admin_client.post(f"/fees/policies/{policy.pk}/revise/", _revision(policy), follow=True)
    assert response.status_code == 200 and "已新增该政策的修订版本" in response.content.decode()
    new = FeePolicy.objects.get(document_number=HALVED, valid_from=dt.date(2026, 7, 1))
    assert str(new.factor) == "0.2000" and new.at_lower_bound and new.items.count() == 2
    assert FeePolicy.objects.get(pk=policy.pk).valid_to == dt.date(2026, 6, 30)
    event = Event.objects.get(stream=f"fee_policy:{policy.pk}", action="fee_policy.revised")
    assert event.changes["changes"] == {"factor": "0.2"} and event.changes["reason"] == "降低收费"


def test_a_refused_revision_keeps_what_was_typed(admin_client):
    fee_world()
    policy = FeePolicy.objects.get(document_number=HALVED)
    count = FeePolicy.objects.count()
    bad_factor = admin_client.post(f"/fees/policies/{policy.pk}/revise/", _revision(policy, factor="1"))
    page = bad_factor.content.decode()
    assert bad_factor.status_code == 422 and "减收比例" in page and 'value="2026-07-01"' in page
    end_first = admin_client.post(f"/fees/policies/{policy.pk}/revise/", _revision(policy, valid_to="2026-06-01"))
    assert end_first.status_code == 422 and "新版本的失效日期不能早于其生效日期" in end_first.content.decode()
    too_early = admin_client.post(f"/fees/policies/{policy.pk}/revise/", _revision(policy, from_date="2020-01-01"))
    assert too_early.status_code == 422 and "新版本的生效日期应晚于" in too_early.content.decode()
    garbage = admin_client.post(
        f"/fees/policies/{policy.pk}/revise/", _revision(policy, factor="abc", items=["x"], from_date="明天")
    )
    assert garbage.status_code == 422 and "请选择列出的收费项目。" in garbage.content.decode()
    assert 'value="明天"' in garbage.content.decode()
    other = admin_client.post(f"/fees/policies/{policy.pk}/revise/", _revision(policy, items=["999999"]))
    assert other.status_code == 422 and "请选择列出的收费项目。" in other.content.decode()
    assert FeePolicy.objects.count() == count


def test_an_unknown_policy_is_404(admin_client):
    fee_world()
    assert admin_client.post("/fees/policies/0/end/", {"valid_to": "2026-06-30", "reason": "x"}).status_code == 404
