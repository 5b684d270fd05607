"""Every write of the fee catalogue: one transaction each, one audit event inside it.

Streams: `fee_item:<id>` for an item and its attachments, `fee_policy:<id>` for a policy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.catalogue.models import Matter, Stage
from onewindow.errors import Conflict, DomainError
from onewindow.fees import domain
from onewindow.fees.models import FeeAttachment, FeeItem, FeePolicy
from onewindow.fees.selectors import formula_of

if TYPE_CHECKING:
    from onewindow.orgs.models import Organisation, User


class FeeRuleInvalid(DomainError):
    code = "fees_rule_invalid"
    status = 422


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@transaction.atomic
def fee_item_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    legal_basis: str,
    kind: str,
    department: Organisation,
    account: tuple[str, str],
    formula_kind: str,
    formula_params: Mapping[str, Any],
    unit_label: str = "",
    bounds: tuple[Decimal | None, Decimal | None] = (None, None),
) -> FeeItem:
    """A new fee item; its formula is checked by the domain rules first (fees_rule_invalid, 422)."""
    if FeeItem.objects.filter(code=code).exists():
        raise Conflict(_("收费项目编码%(code)s已存在。") % {"code": code}, code="fees_item_exists")
    item = FeeItem(
        code=code,
        name=name,
        legal_basis=legal_basis,
        kind=kind,
        department=department,
        account_name=account[0],
        account_number=account[1],
        formula_kind=formula_kind,
        formula_params=dict(formula_params),
        unit_label=unit_label,
        lower_bound=bounds[0],
        upper_bound=bounds[1],
    )
    try:
        formula_of(item)
    except domain.FormulaInvalid as error:
        raise FeeRuleInvalid(str(error), field="formula_params") from None
    item.save()
    changes = {"code": code, "name": name, "formula_kind": formula_kind, "formula_params": item.formula_params}
    changes |= {"lower_bound": _money(bounds[0]), "upper_bound": _money(bounds[1]), "account": account[1]}
    _audit_item(item, "fee_item.created", actor, changes)
    return item


def _audit_item(item: FeeItem, action: str, actor: User | None, changes: dict[str, Any]) -> None:
    audit_record(
        stream=f"fee_item:{item.pk}",
        action=action,
        target_type="fees.feeitem",
        target_id=item.pk,
        actor=actor,
        organisation=item.department,
        changes=changes,
    )


@transaction.atomic
def fee_item_attach(
    *, actor: User | None, item: FeeItem, matter: Matter | None = None, stage: Stage | None = None
) -> FeeAttachment:
    """Charge `item` with a matter or a bundle stage (exactly one). Attaching twice changes nothing."""
    if (matter is None) == (stage is None):
        raise FeeRuleInvalid(_("收费项目应挂接到一个事项或一个阶段。"), code="fees_attachment_invalid")
    attachment, created = FeeAttachment.objects.get_or_create(item=item, matter=matter, stage=stage)
    if created:
        where: dict[str, Any] = (
            {"matter": matter.code} if matter is not None else {"stage": stage.pk if stage else None}
        )
        _audit_item(item, "fee_item.attached", actor, where)
    return attachment


@transaction.atomic
def fee_policy_create(
    *,
    actor: User | None,
    kind: str,
    document_number: str,
    title: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
    items: Iterable[FeeItem],
    factor: Decimal = Decimal(1),
    at_lower_bound: bool = False,
    payer_class: str = "",
    project_category: str = "",
) -> FeePolicy:
    """A policy document's rule over `items`, in force from `valid_from` to `valid_to` (inclusive)."""
    try:
        domain.policy_check(
            kind=domain.PolicyKind(kind),
            factor=factor,
            payer_class=payer_class,
            valid_from=valid_from,
            valid_to=valid_to,
        )
    except domain.FormulaInvalid as error:
        raise FeeRuleInvalid(str(error)) from None
    if FeePolicy.objects.filter(document_number=document_number, valid_from=valid_from).exists():
        raise Conflict(_("该文号同一生效日期的政策已存在。"), code="fees_policy_exists")
    policy = FeePolicy.objects.create(
        kind=kind,
        document_number=document_number,
        title=title,
        valid_from=valid_from,
        valid_to=valid_to,
        factor=factor,
        at_lower_bound=at_lower_bound,
        payer_class=payer_class,
        project_category=project_category,
    )
    codes = sorted(item.code for item in items)
    policy.items.set(FeeItem.objects.filter(code__in=codes))
    audit_record(
        stream=f"fee_policy:{policy.pk}",
        action="fee_policy.created",
        target_type="fees.feepolicy",
        target_id=policy.pk,
        actor=actor,
        changes={
            "kind": kind,
            "document_number": document_number,
            "valid_from": valid_from.isoformat(),
            "valid_to": valid_to.isoformat() if valid_to else None,
            "factor": str(factor),
            "at_lower_bound": at_lower_bound,
            "payer_class": payer_class,
            "project_category": project_category,
            "items": codes,
        },
    )
    return policy
