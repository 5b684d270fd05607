"""What the history's bills (一单收费) are written against: each charging stage of a product with its fee
items, rule and collecting departments, who seals each department's check, and the fee policies, read once.

A stage charges when fee items are attached to it or to its matters (`fees.services.opening`, the listener
that opens a bill with the stage). Its bill is paid through the simulated provider (the demo's and the
bench's), so without that provider, or without a collecting department's reviewer, head or coordinator to
seal its check, a charging product is left out of the history (`world.py`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from onewindow.catalogue.models import Stage
from onewindow.fees.models import FeeItem, FeePolicy, StageFeeRule
from onewindow.fees.services.opening import fee_items_charged
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation, User

PROVIDER = "simulated"
SEALER_ROLES = (Role.REVIEWER, Role.DEPARTMENT_HEAD, Role.LEAD_COORDINATOR)  # who may seal (`may_collect`)


@dataclass(frozen=True)
class ChargingStage:
    position: int
    stage: Stage | None  # the bundle stage (None: a single matter's fees)
    rule: StageFeeRule | None
    items: list[FeeItem]  # by code, with their departments
    departments: dict[int, Organisation]  # the collecting departments, by id: one fee check each
    sealers: dict[int, User]  # department id → who seals its check
    policies: dict[tuple[str, dt.date], FeePolicy]  # every policy (`fee_policies`)

    @property
    def waits_for_payment(self) -> bool:
        return bool(self.rule and self.rule.waits_for_payment)


def provider_on() -> bool:
    """Whether the simulated provider may take payments here (it needs its HMAC key)."""
    return bool(getattr(settings, "FEES_SIMULATED_SECRET", ""))


def charging_stages(
    staff: dict[tuple[int, str], User],
    stages: dict[int, list[int]],
    bundle_stages: dict[int, Stage],
    policies: dict[tuple[str, dt.date], FeePolicy],
) -> dict[int, ChargingStage] | None:
    """The charging stages by position (`stages`: position → the matter ids of that stage); None when one of
    them could not be collected (no provider, nobody to seal a department's check)."""
    charging: dict[int, ChargingStage] = {}
    for position, matter_ids in stages.items():
        stage = bundle_stages.get(position)
        items = fee_items_charged(matter_ids, stage)
        if not items:
            continue
        departments = {item.department_id: item.department for item in items}
        sealers = {pk: user for pk in departments if (user := _sealer(staff, pk)) is not None}
        if len(sealers) < len(departments) or not provider_on():
            return None
        rule = StageFeeRule.objects.filter(stage=stage).first() if stage is not None else None
        departments = dict(sorted(departments.items()))
        charging[position] = ChargingStage(position, stage, rule, items, departments, sealers, policies)
    return charging


def _sealer(staff: dict[tuple[int, str], User], department: int) -> User | None:
    return next((user for role in SEALER_ROLES if (user := staff.get((department, role))) is not None), None)


def fee_policies() -> dict[tuple[str, dt.date], FeePolicy]:
    """Every policy, whatever its period (a line applies those in force on its bill's day)."""
    rows = FeePolicy.objects.prefetch_related("items").order_by("document_number", "valid_from")
    return {(policy.document_number, policy.valid_from): policy for policy in rows}
