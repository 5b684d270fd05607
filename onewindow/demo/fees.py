"""The demo's fees: Weihai's seven fees on the industrial-project bundle's 施工许可 stage, two service fees on
its 工程建设许可 stage, and the Zaoyang-style policy set (onewindow/demo/data/fees.py). Through the fees
services; idempotent: items are found by code, policies by document number and start date."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from onewindow.catalogue.models import Stage, VersionStatus
from onewindow.demo.data.bundles import INDUSTRIAL_PROJECT
from onewindow.demo.data.fees import POLICIES, SERVICE_FEES, WEIHAI_FEES, FeeItemSpec
from onewindow.fees.models import FeeItem, FeePolicy
from onewindow.fees.services import fee_item_attach, fee_item_create, fee_policy_create, stage_fee_rule_set
from onewindow.orgs.models import Organisation

WEIHAI_STAGE, SERVICE_STAGE = "施工许可", "工程建设许可"


def fees_demo_load() -> int:
    """Rows created (items, attachments and policies are counted together as items and policies)."""
    stages = Stage.objects.filter(
        bundle_version__bundle__code=INDUSTRIAL_PROJECT.code, bundle_version__status=VersionStatus.PUBLISHED
    )
    weihai, service = stages.filter(name=WEIHAI_STAGE).first(), stages.filter(name=SERVICE_STAGE).first()
    if weihai is None or service is None:
        return 0
    loaded = fees_catalogue_load(weihai_stage=weihai, service_stage=service)
    # 一单收费: the departments check within 5 working days, the stage ends once its bill is paid
    stage_fee_rule_set(actor=None, stage=weihai, project_category="industrial", waits_for_payment=True)
    stage_fee_rule_set(actor=None, stage=service, project_category="industrial")
    return loaded


@transaction.atomic
def fees_catalogue_load(*, weihai_stage: Stage, service_stage: Stage) -> int:
    before = FeeItem.objects.count() + FeePolicy.objects.count()
    for specs, stage in ((WEIHAI_FEES, weihai_stage), (SERVICE_FEES, service_stage)):
        for spec in specs:
            fee_item_attach(actor=None, item=_item(spec), stage=stage)
    items = {item.code: item for item in FeeItem.objects.all()}
    for policy in POLICIES:
        if FeePolicy.objects.filter(document_number=policy.document_number, valid_from=policy.valid_from).exists():
            continue
        fee_policy_create(
            actor=None,
            kind=policy.kind,
            document_number=policy.document_number,
            title=policy.title,
            valid_from=policy.valid_from,
            valid_to=policy.valid_to,
            items=[items[code] for code in policy.item_codes],
            factor=Decimal(policy.factor),
            at_lower_bound=policy.at_lower_bound,
            payer_class=policy.payer_class,
            project_category=policy.project_category,
        )
    return FeeItem.objects.count() + FeePolicy.objects.count() - before


def _item(spec: FeeItemSpec) -> FeeItem:
    existing = FeeItem.objects.filter(code=spec.code).first()
    if existing is not None:
        return existing
    params = {k: v for k, v in spec.params.items() if k not in ("lower", "upper")}
    bounds = tuple(Decimal(spec.params[k]) if spec.params.get(k) else None for k in ("lower", "upper"))
    return fee_item_create(
        actor=None,
        code=spec.code,
        name=spec.name,
        legal_basis=spec.legal_basis,
        kind=spec.kind,
        department=Organisation.objects.get(code=spec.department),
        account=spec.account,
        formula_kind=spec.formula_kind,
        formula_params=params,
        unit_label=spec.unit_label,
        bounds=(bounds[0], bounds[1]),
    )
