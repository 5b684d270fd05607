"""Ending and revising a policy (the system admin's): dated, audited, refused with stable codes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onewindow.audit.models import Event
from onewindow.errors import Conflict, NotFound, PermissionDenied
from onewindow.fees import selectors
from onewindow.fees.domain import FeeInput, Payer, PolicyStatus, policy_status
from onewindow.fees.models import FeePolicy
from onewindow.fees.services import FeeRuleInvalid, fee_policy_end, fee_policy_revise
from onewindow.fees.tests.factories import fee_world
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import RegionFactory, staff

pytestmark = pytest.mark.django_db
D = Decimal
HALVED = "云川发改价格〔2024〕9号"  # the two service fees halved at the lower bound
INPUTS = {
    FeeInput.FLOOR_AREA: D("12345.67"),
    FeeInput.AIR_DEFENCE_AREA_UNBUILT: D("800"),
    FeeInput.CONTRACT_VALUE: D("1"),
}


@pytest.fixture
def admin():
    return staff(Role.SYSTEM_ADMIN, RegionFactory())


def _halved():
    return FeePolicy.objects.get(document_number=HALVED)


def _service_due(world, on):
    items = list(selectors.fee_items_of_stage(world.service_stage))
    result = selectors.fee_estimate(items=items, inputs=INPUTS, payer=Payer(project_category="industrial"), on=on)
    return {x.item.code: x.line.due_amount for x in result.lines}


def test_the_status_of_a_policy_on_a_day():
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    assert policy_status(start, end, dt.date(2025, 12, 31)) is PolicyStatus.FUTURE
    assert policy_status(start, end, start) is PolicyStatus.IN_FORCE
    assert policy_status(start, end, end) is PolicyStatus.IN_FORCE
    assert policy_status(start, None, dt.date(2030, 1, 1)) is PolicyStatus.IN_FORCE
    assert policy_status(start, end, dt.date(2027, 1, 1)) is PolicyStatus.ENDED


def test_ending_a_policy_stops_it_after_that_day_and_records_the_reason(admin):
    world = fee_world()
    policy = _halved()
    fee_policy_end(actor=admin, policy_id=policy.pk, valid_to=dt.date(2026, 6, 30), reason="政策到期")
    assert _service_due(world, dt.date(2026, 6, 30))["SF-HPFW"] == D("2500.00")
    assert _service_due(world, dt.date(2026, 7, 1))["SF-HPFW"] > D("2500.00")
    event = Event.objects.get(stream=f"fee_policy:{policy.pk}", action="fee_policy.ended")
    assert event.changes["reason"] == "政策到期" and event.changes["valid_to"] == "2026-06-30"
    assert event.actor_id == admin.pk


def test_ending_is_refused_before_the_start_or_when_already_ended_earlier(admin):
    fee_world()
    policy = _halved()
    with pytest.raises(FeeRuleInvalid) as caught:
        fee_policy_end(actor=admin, policy_id=policy.pk, valid_to=policy.valid_from - dt.timedelta(days=1), reason="x")
    assert caught.value.code == "fees_policy_end_invalid" and caught.value.field == "valid_to"
    fee_policy_end(actor=admin, policy_id=policy.pk, valid_to=dt.date(2026, 6, 30), reason="到期")
    with pytest.raises(Conflict) as later:
        fee_policy_end(actor=admin, policy_id=policy.pk, valid_to=dt.date(2026, 9, 30), reason="再次")
    assert later.value.code == "fees_policy_already_ended"
    fee_policy_end(actor=admin, policy_id=policy.pk, valid_to=dt.date(2026, 5, 31), reason="提前结束")
    assert FeePolicy.objects.get(pk=policy.pk).valid_to == dt.date(2026, 5, 31)


def test_ending_needs_a_reason_a_known_policy_and_the_system_admin(admin):
    fee_world()
    policy = _halved()
    with pytest.raises(FeeRuleInvalid) as caught:
        fee_policy_end(actor=admin, policy_id=policy.pk, valid_to=dt.date(2026, 6, 30), reason="  ")
    assert caught.value.code == "fees_reason_missing"
    with pytest.raises(NotFound):
        fee_policy_end(actor=admin, policy_id=0, valid_to=dt.date(2026, 6, 30), reason="x")
    clerk = staff(Role.CLERK, RegionFactory())
    with pytest.raises(PermissionDenied):
        fee_policy_end(actor=clerk, policy_id=policy.pk, valid_to=dt.date(2026, 6, 30), reason="x")
    assert FeePolicy.objects.get(pk=policy.pk).valid_to is None
    assert not Event.objects.filter(action="fee_policy.ended").exists()


def test_a_computation_before_the_revision_uses_the_old_version_after_it_the_new(admin):
    world = fee_world()
    old = _halved()
    new = fee_policy_revise(
        actor=admin, policy_id=old.pk, from_date=dt.date(2026, 7, 1), reason="降低收费", factor=D("0.2")
    )
    assert FeePolicy.objects.get(pk=old.pk).valid_to == dt.date(2026, 6, 30)
    assert new.valid_from == dt.date(2026, 7, 1) and new.valid_to is None and new.document_number == HALVED
    assert sorted(i.code for i in new.items.all()) == ["SF-HPFW", "SF-STSC"]
    assert _service_due(world, dt.date(2026, 6, 30)) == {"SF-HPFW": D("2500.00"), "SF-STSC": D("1500.00")}
    assert _service_due(world, dt.date(2026, 7, 1)) == {"SF-HPFW": D("1000.00"), "SF-STSC": D("600.00")}
    revised = Event.objects.get(stream=f"fee_policy:{old.pk}", action="fee_policy.revised")
    assert revised.changes["revision"] == new.pk and revised.changes["changes"] == {"factor": "0.2"}
    assert Event.objects.filter(stream=f"fee_policy:{new.pk}", action="fee_policy.created").exists()


def test_a_bad_revision_changes_nothing(admin):
    fee_world()
    old = _halved()
    count = FeePolicy.objects.count()
    with pytest.raises(FeeRuleInvalid) as bad_factor:
        fee_policy_revise(actor=admin, policy_id=old.pk, from_date=dt.date(2026, 7, 1), factor=D("2"))
    assert bad_factor.value.code == "fees_rule_invalid"
    with pytest.raises(FeeRuleInvalid) as too_early:
        fee_policy_revise(actor=admin, policy_id=old.pk, from_date=old.valid_from, factor=D("0.2"))
    assert too_early.value.code == "fees_policy_end_invalid" and too_early.value.field == "from_date"
    with pytest.raises(FeeRuleInvalid) as unknown:
        fee_policy_revise(actor=admin, policy_id=old.pk, from_date=dt.date(2026, 7, 1), valid_from=dt.date(2020, 1, 1))
    assert unknown.value.code == "fees_revision_invalid"
    assert FeePolicy.objects.count() == count and FeePolicy.objects.get(pk=old.pk).valid_to is None
    assert not Event.objects.filter(action="fee_policy.revised").exists()


def test_an_ended_policy_cannot_be_revised_after_its_end(admin):
    fee_world()
    ended = FeePolicy.objects.exclude(valid_to=None).first()
    assert ended is not None
    with pytest.raises(Conflict) as caught:
        fee_policy_revise(actor=admin, policy_id=ended.pk, from_date=ended.valid_to + dt.timedelta(days=30))
    assert caught.value.code == "fees_policy_already_ended"
