"""Writes of the fee catalogue (each with its audit event) and the estimate read over the database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onewindow.audit.models import Event
from onewindow.errors import Conflict
from onewindow.fees import selectors
from onewindow.fees.domain import FeeInput, Payer
from onewindow.fees.models import FeeAttachment, FeeItem, FeePolicy
from onewindow.fees.services import FeeRuleInvalid, fee_item_attach, fee_item_create, fee_policy_create
from onewindow.fees.tests.factories import fee_world
from onewindow.orgs.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db
D = Decimal
INPUTS = {
    FeeInput.FLOOR_AREA: D("12345.67"),
    FeeInput.AIR_DEFENCE_AREA_UNBUILT: D("800"),
    FeeInput.CONTRACT_VALUE: D("36000000"),
}


def _create(**overrides):
    fields = {
        "actor": None,
        "code": "T-1",
        "name": "测试费",
        "legal_basis": "测试依据",
        "kind": "administrative",
        "department": DepartmentFactory(),
        "account": ("测试账户", "123"),
        "formula_kind": "per_unit",
        "formula_params": {"base": "floor_area", "factor": "2"},
    }
    return fee_item_create(**{**fields, **overrides})


def test_creating_an_item_records_an_audit_event():
    item = _create(bounds=(D("10"), D("100")))
    event = Event.objects.get(stream=f"fee_item:{item.pk}")
    assert event.action == "fee_item.created"
    assert event.changes["lower_bound"] == "10" and event.changes["upper_bound"] == "100"


def test_a_bad_formula_is_refused_and_nothing_is_saved():
    with pytest.raises(FeeRuleInvalid) as caught:
        _create(formula_params={"base": "floor_area", "factor": "abc"})
    assert caught.value.code == "fees_rule_invalid" and "单价" in caught.value.message
    with pytest.raises(FeeRuleInvalid, match="下限不能高于上限"):
        _create(bounds=(D("100"), D("10")))
    assert not FeeItem.objects.exists() and not Event.objects.filter(stream__startswith="fee_item:").exists()


def test_a_duplicate_code_is_a_conflict():
    _create()
    with pytest.raises(Conflict):
        _create()


def test_attaching_twice_changes_nothing():
    world = fee_world()
    item = FeeItem.objects.get(code="SF-CSPT")
    before = Event.objects.filter(stream=f"fee_item:{item.pk}").count()
    fee_item_attach(actor=None, item=item, stage=world.weihai_stage)
    assert FeeAttachment.objects.filter(item=item).count() == 1
    assert Event.objects.filter(stream=f"fee_item:{item.pk}").count() == before


def test_attachment_needs_exactly_one_target():
    item = _create()
    with pytest.raises(FeeRuleInvalid):
        fee_item_attach(actor=None, item=item)


def test_a_policy_is_audited_with_its_items_and_period():
    world = fee_world()
    assert world.weihai_stage.fee_attachments.count() == 7
    policy = FeePolicy.objects.get(document_number="云川发改价格〔2024〕9号")
    event = Event.objects.get(stream=f"fee_policy:{policy.pk}")
    assert event.changes["items"] == ["SF-HPFW", "SF-STSC"] and event.changes["factor"] == "0.5"


def test_a_bad_policy_is_refused():
    with pytest.raises(FeeRuleInvalid, match="减收比例"):
        fee_policy_create(
            actor=None,
            kind="reduce",
            document_number="X",
            title="X",
            valid_from=dt.date(2026, 1, 1),
            valid_to=None,
            items=[],
            factor=D("2"),
        )
    assert not FeePolicy.objects.exists()


def test_the_weihai_stage_estimate_for_an_industrial_project():
    world = fee_world()
    items = list(selectors.fee_items_of_stage(world.weihai_stage))
    result = selectors.fee_estimate(
        items=items, inputs=INPUTS, payer=Payer(project_category="industrial"), on=dt.date(2026, 6, 1)
    )
    assert len(result.lines) == 7
    assert (result.computed_total, result.due_total, result.subsidised_total) == (
        D("3514851.23"),
        D("1463000.00"),
        D("1940740.20"),
    )
    waived = next(x for x in result.lines if x.item.code == "SF-XQC")
    assert waived.line.policy is not None and waived.line.policy.document_number == "云川政发〔2024〕12号"
    assert waived.item.department.code == "9901-ZJ"


def test_the_service_fees_are_halved_at_the_lower_bound():
    world = fee_world()
    items = list(selectors.fee_items_of_stage(world.service_stage))
    result = selectors.fee_estimate(
        items=items, inputs=INPUTS, payer=Payer(project_category="industrial"), on=dt.date(2026, 6, 1)
    )
    assert {x.item.code: x.line.due_amount for x in result.lines} == {"SF-HPFW": D("2500.00"), "SF-STSC": D("1500.00")}


def test_the_tables_offer_exactly_the_domain_kinds():
    from onewindow.fees import domain, models

    assert set(models.FeeKind.values) == set(domain.FeeKind)
    assert set(models.FormulaKind.values) == set(domain.FormulaKind)
    assert set(models.PolicyKind.values) == set(domain.PolicyKind)
