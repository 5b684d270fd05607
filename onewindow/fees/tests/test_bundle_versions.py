"""A bundle's next version charges what its stages charged: the draft made from the published version copies each
stage's fee items and rule (each recorded), and editing the draft's stages keeps them on the stages kept by name."""

from __future__ import annotations

import pytest

from onewindow.audit.models import Event
from onewindow.catalogue.services import StageSpec, bundle_version_draft_from, bundle_version_update
from onewindow.catalogue.tests.factories import MatterFactory
from onewindow.fees.models import StageFeeRule
from onewindow.fees.services import stage_fee_rule_set
from onewindow.fees.tests.factories import fee_world

pytestmark = pytest.mark.django_db


def charged(stage):
    """The stage's fee item codes and its rule."""
    rule = StageFeeRule.objects.filter(stage=stage).first()
    shown = rule and (rule.check_limit_days, rule.project_category, rule.waits_for_payment)
    return sorted(stage.fee_attachments.values_list("item__code", flat=True)), shown


def test_the_next_version_s_draft_charges_what_each_stage_charged():
    world = fee_world()
    stage_fee_rule_set(actor=None, stage=world.weihai_stage, check_limit_days=3, waits_for_payment=True)
    published = world.weihai_stage.bundle_version
    before = {stage.name: charged(stage) for stage in published.stages.all()}

    draft = bundle_version_draft_from(actor=None, version=published)

    after = {stage.name: charged(stage) for stage in draft.stages.all()}
    assert after == before
    assert after["施工许可"][1] == (3, "", True) and len(after["施工许可"][0]) == 7
    assert {stage.name: charged(stage) for stage in published.stages.all()} == before  # the published one keeps its own
    weihai = draft.stages.get(name="施工许可")
    assert Event.objects.filter(action="fee_stage_rule.set", stream=f"fee_stage_rule:{weihai.pk}").exists()
    attached = Event.objects.filter(action="fee_item.attached", changes__stage=weihai.pk)
    assert attached.count() == 7


def test_editing_the_draft_s_stages_keeps_the_fees_of_the_stages_kept_by_name():
    world = fee_world()
    draft = bundle_version_draft_from(actor=None, version=world.weihai_stage.bundle_version)
    weihai_fees = charged(draft.stages.get(name="施工许可"))
    assert len(weihai_fees[0]) == 7
    lead = world.weihai_stage.lead_department

    bundle_version_update(
        actor=None,
        version=draft,
        name=draft.name,
        stages=[  # 施工许可 moved first, 工程建设许可 renamed: a new stage, charging nothing yet
            StageSpec(name="施工许可", lead_department=lead, matters=[MatterFactory()]),
            StageSpec(name="工程规划许可", lead_department=lead, matters=[MatterFactory()]),
        ],
    )

    first, second = draft.stages.order_by("position")
    assert (first.name, charged(first)) == ("施工许可", weihai_fees)
    assert (second.name, charged(second)) == ("工程规划许可", ([], None))
