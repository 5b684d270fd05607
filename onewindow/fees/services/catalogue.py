"""Every write of the fee catalogue: one transaction each, one audit event inside it.

Streams: `fee_item:<id>` for an item and its attachments, `fee_policy:<id>` for a policy.
Ending and revising a policy are the system admin's (the role that keeps the catalogue).
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
from onewindow.errors import Conflict, DomainError, NotFound, PermissionDenied
from onewindow.fees import domain
from onewindow.fees.models import FeeAttachment, FeeItem, FeePolicy, StageFeeRule
from onewindow.fees.selectors import formula_of
from onewindow.orgs.domain import Role
from onewindow.orgs.selectors import user_has_role

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
def stage_fee_rule_set(
    *,
    actor: User | None,
    stage: Stage,
    check_limit_days: int = domain.BILL_CHECK_LIMIT_DAYS,
    project_category: str = "",
    waits_for_payment: bool = False,
) -> StageFeeRule:
    """How a charging stage collects its fees (the checks' limit, its projects' category, whether the stage
    waits for payment). Setting the same rule again changes nothing."""
    if not 1 <= check_limit_days <= 60:
        raise FeeRuleInvalid(_("核定时限应为1至60个工作日。"), field="check_limit_days")
    wanted = {
        "check_limit_days": check_limit_days,
        "project_category": project_category,
        "waits_for_payment": waits_for_payment,
    }
    rule = StageFeeRule.objects.select_for_update().filter(stage=stage).first()
    if rule is not None and all(getattr(rule, name) == value for name, value in wanted.items()):
        return rule
    rule, _created = StageFeeRule.objects.update_or_create(stage=stage, defaults=wanted)
    audit_record(
        stream=f"fee_stage_rule:{stage.pk}",
        action="fee_stage_rule.set",
        target_type="fees.stagefeerule",
        target_id=rule.pk,
        actor=actor,
        organisation=stage.lead_department,
        changes={"stage": stage.pk, **wanted},
    )
    return rule


def stage_fees_carry(source: Stage, stage: Stage, actor: User | None) -> None:
    """A bundle's new version, or its draft's stages written again, keeps the fee items and the rule of the stage
    of the same name (`catalogue.services.stage_hooks`), each recorded as set anew."""
    for attachment in source.fee_attachments.select_related("item").order_by("pk"):
        fee_item_attach(actor=actor, item=attachment.item, stage=stage)
    rule = StageFeeRule.objects.filter(stage=source).first()
    if rule is not None:
        stage_fee_rule_set(
            actor=actor,
            stage=stage,
            check_limit_days=rule.check_limit_days,
            project_category=rule.project_category,
            waits_for_payment=rule.waits_for_payment,
        )


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


REVISABLE = frozenset(
    {"kind", "document_number", "title", "valid_to", "factor", "at_lower_bound", "payer_class", "project_category"}
)
REASON_MAX = 500


def _require_catalogue_keeper(actor: User) -> None:
    if not user_has_role(actor, Role.SYSTEM_ADMIN):
        raise PermissionDenied(_("只有系统管理员可以修改收费政策。"), code="fees_not_system_admin")


def _policy_locked(policy_id: int) -> FeePolicy:
    policy = FeePolicy.objects.select_for_update().filter(pk=policy_id).first()
    if policy is None:
        raise NotFound(_("未找到该收费政策。"), code="fees_policy_not_found")
    return policy


def _reason_clean(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise FeeRuleInvalid(_("请填写原因。"), code="fees_reason_missing", field="reason")
    if len(reason) > REASON_MAX:
        raise FeeRuleInvalid(_("原因不能超过500个字。"), code="fees_reason_missing", field="reason")
    return reason


def _end_check(policy: FeePolicy, valid_to: dt.date, *, field: str) -> None:
    if valid_to < policy.valid_from:
        message = _("失效日期不能早于该政策的生效日期（%(day)s）。") % {"day": policy.valid_from.isoformat()}
        raise FeeRuleInvalid(message, code="fees_policy_end_invalid", field=field)
    if policy.valid_to is not None and policy.valid_to <= valid_to:
        message = _("该政策已于%(day)s失效，不能再设更晚的失效日期。") % {"day": policy.valid_to.isoformat()}
        raise Conflict(message, code="fees_policy_already_ended", field=field)


@transaction.atomic
def fee_policy_end(*, actor: User, policy_id: int, valid_to: dt.date, reason: str) -> FeePolicy:
    """The policy stops applying after `valid_to` (inclusive), with the reason in its audit trail. Refused before
    its start (fees_policy_end_invalid), or when it already ends on or before that day (fees_policy_already_ended)."""
    _require_catalogue_keeper(actor)
    reason = _reason_clean(reason, required=True)
    policy = _policy_locked(policy_id)
    _end_check(policy, valid_to, field="valid_to")
    previous = policy.valid_to
    policy.valid_to = valid_to
    policy.save(update_fields=["valid_to"])
    _audit_policy(
        policy,
        "fee_policy.ended",
        actor,
        {"valid_to": valid_to.isoformat(), "previous_valid_to": previous.isoformat() if previous else None}
        | {"reason": reason},
    )
    return policy


@transaction.atomic
def fee_policy_revise(
    *,
    actor: User,
    policy_id: int,
    from_date: dt.date,
    reason: str = "",
    items: Iterable[FeeItem] | None = None,
    **changes: Any,
) -> FeePolicy:
    """A new version of the policy from `from_date`: the old row ends the day before, the new one takes the old
    fields with `changes` (and `items`) applied. Both in one transaction, each audited."""
    _require_catalogue_keeper(actor)
    unknown = sorted(set(changes) - REVISABLE)
    if unknown:
        raise FeeRuleInvalid(
            _("不能修改这些字段：%(names)s") % {"names": "、".join(unknown)}, code="fees_revision_invalid"
        )
    reason = _reason_clean(reason, required=False)
    old = _policy_locked(policy_id)
    if from_date <= old.valid_from:
        message = _("新版本的生效日期应晚于原政策的生效日期（%(day)s）。") % {"day": old.valid_from.isoformat()}
        raise FeeRuleInvalid(message, code="fees_policy_end_invalid", field="from_date")
    old_end = from_date - dt.timedelta(days=1)
    if old.valid_to != old_end:
        _end_check(old, old_end, field="from_date")
    fields: dict[str, Any] = {name: getattr(old, name) for name in REVISABLE} | {"valid_to": None} | changes
    if fields["valid_to"] is not None and fields["valid_to"] < from_date:
        message = _("新版本的失效日期不能早于其生效日期。")
        raise FeeRuleInvalid(message, code="fees_rule_invalid", field="valid_to")
    changed = {name: _text(value) for name, value in changes.items() if value != _field_before(old, name)}
    new_items = list(old.items.all()) if items is None else list(items)
    old.valid_to = old_end
    old.save(update_fields=["valid_to"])
    new = fee_policy_create(actor=actor, valid_from=from_date, items=new_items, **fields)
    _audit_policy(
        old,
        "fee_policy.revised",
        actor,
        {"valid_to": old_end.isoformat(), "revision": new.pk, "from_date": from_date.isoformat()}
        | {"changes": changed, "items": sorted(item.code for item in new_items), "reason": reason},
    )
    return new


def _field_before(policy: FeePolicy, name: str) -> Any:
    """The old row's value of a revisable field (its end counts as open: the revision's end is its own)."""
    return None if name == "valid_to" else getattr(policy, name)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _audit_policy(policy: FeePolicy, action: str, actor: User | None, changes: dict[str, Any]) -> None:
    audit_record(
        stream=f"fee_policy:{policy.pk}",
        action=action,
        target_type="fees.feepolicy",
        target_id=policy.pk,
        actor=actor,
        changes=changes,
    )
