"""Reads of the fee catalogue (public data: no personal data, so no scoping) and the fee estimate:
the items of a matter or a stage, the policies in force on a day, and every line computed by `fees.domain`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from onewindow.catalogue.models import Matter, Stage, VersionStatus
from onewindow.errors import InvalidFields, NotFound
from onewindow.fees import domain
from onewindow.fees.models import FeeItem, FeePolicy, PolicyKind


def formula_of(item: FeeItem) -> domain.Formula:
    """The item's formula, its bounds included; FormulaInvalid when its parameters are wrong."""
    params = {**item.formula_params, "lower": item.lower_bound, "upper": item.upper_bound}
    return domain.formula_parse(item.formula_kind, params)


def policy_of(policy: FeePolicy) -> domain.Policy:
    return domain.Policy(
        kind=domain.PolicyKind(policy.kind),
        document_number=policy.document_number,
        title=policy.title,
        valid_from=policy.valid_from,
        valid_to=policy.valid_to,
        item_codes=frozenset(item.code for item in policy.items.all()),
        factor=policy.factor,
        at_lower_bound=policy.at_lower_bound,
        payer_class=policy.payer_class,
        project_category=policy.project_category,
    )


def fee_items_all() -> QuerySet[FeeItem]:
    return FeeItem.objects.select_related("department").order_by("code")


def fee_policies_in_force(day: dt.date) -> QuerySet[FeePolicy]:
    in_force = Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    return FeePolicy.objects.filter(in_force).prefetch_related("items").order_by("document_number")


def fee_items_of_stage(stage: Stage) -> QuerySet[FeeItem]:
    return fee_items_all().filter(attachments__stage=stage)


def fee_items_of_matter(matter: Matter) -> QuerySet[FeeItem]:
    return fee_items_all().filter(attachments__matter=matter)


def stages_with_fees() -> QuerySet[Stage]:
    """Stages of published bundle versions that charge fees: what an applicant may estimate."""
    return (
        Stage.objects.filter(bundle_version__status=VersionStatus.PUBLISHED, fee_attachments__isnull=False)
        .select_related("bundle_version")
        .distinct()
        .order_by("bundle_version__bundle__code", "position")
    )


def stage_get(stage_id: int) -> Stage:
    stage = stages_with_fees().filter(pk=stage_id).first()
    if stage is None:
        raise NotFound(_("未找到该阶段，或该阶段不收费。"), code="fees_stage_not_found")
    return stage


def matter_get(matter_id: int) -> Matter:
    matter = Matter.objects.filter(pk=matter_id, fee_attachments__isnull=False).distinct().first()
    if matter is None:
        raise NotFound(_("未找到该事项，或该事项不收费。"), code="fees_matter_not_found")
    return matter


@dataclass(frozen=True)
class EstimateLine:
    item: FeeItem
    line: domain.Line


@dataclass(frozen=True)
class FeeEstimate:
    on: dt.date
    lines: tuple[EstimateLine, ...]
    computed_total: Decimal
    due_total: Decimal
    subsidised_total: Decimal


def fee_estimate(
    *, items: Sequence[FeeItem], inputs: Mapping[domain.FeeInput, Decimal], payer: domain.Payer, on: dt.date
) -> FeeEstimate:
    """Every item's line on `on` under the policies in force that day. FeeInputMissing names a missing input."""
    policies = [policy_of(p) for p in fee_policies_in_force(on)]
    by_code = {item.code: item for item in items}
    result = domain.estimate(
        [domain.Item(item.code, item.name, formula_of(item)) for item in items], inputs, payer, on, policies
    )
    return FeeEstimate(
        on=on,
        lines=tuple(EstimateLine(by_code[line.item.code], line) for line in result.lines),
        computed_total=result.computed_total,
        due_total=result.due_total,
        subsidised_total=result.subsidised_total,
    )


def fee_estimate_for(
    *, stage_id: int | None, matter_id: int | None, raw_inputs: Mapping[str, object], payer: domain.Payer, on: dt.date
) -> tuple[Stage | Matter, FeeEstimate]:
    """The estimate of one stage's or one matter's fees. InvalidFields (422, fees_input_invalid or
    fees_input_missing) for unusable or missing fee materials; NotFound for an unknown target."""
    if (stage_id is None) == (matter_id is None):
        raise InvalidFields(
            _("请选择一个阶段或一个事项。"),
            errors={"stage_id": _("请选择一个阶段或一个事项。")},
            code="fees_target_invalid",
        )
    target: Stage | Matter = stage_get(stage_id) if stage_id is not None else matter_get(matter_id or 0)
    items = list(fee_items_of_stage(target) if isinstance(target, Stage) else fee_items_of_matter(target))
    try:
        inputs = domain.inputs_parse(raw_inputs)
    except domain.InputsInvalid as error:
        raise InvalidFields(_("收费资料有误，请检查。"), errors=error.errors, code="fees_input_invalid") from None
    missing = domain.missing_inputs([formula_of(item) for item in items], inputs)
    if missing:
        errors = {str(name): domain.missing_input_message(name) for name in missing}
        raise InvalidFields("；".join(errors.values()), errors=errors, code="fees_input_missing")
    return target, fee_estimate(items=items, inputs=inputs, payer=payer, on=on)


def estimate_lines(result: FeeEstimate) -> list[dict[str, object]]:
    """The estimate's lines as the API and the page show them."""
    return [_line_row(entry) for entry in result.lines]


def _line_row(entry: EstimateLine) -> dict[str, object]:
    item, line, policy = entry.item, entry.line, entry.line.policy
    return {
        "code": item.code,
        "name": item.name,
        "kind": item.kind,
        "kind_label": str(item.get_kind_display()),
        "department": item.department.name,
        "account_name": item.account_name,
        "account_number": item.account_number,
        "unit_label": item.unit_label,
        "computed_amount": line.computed_amount,
        "due_amount": line.due_amount,
        "subsidised_amount": line.subsidised_amount,
        "relieved_amount": line.relieved_amount,
        "policy": None
        if policy is None
        else {
            "document_number": policy.document_number,
            "title": policy.title,
            "kind": str(policy.kind),
            "kind_label": str(PolicyKind(policy.kind).label),
        },
    }


def catalogue_items() -> list[dict[str, object]]:
    return [
        {
            "code": item.code,
            "name": item.name,
            "kind_label": str(item.get_kind_display()),
            "department": item.department.name,
            "legal_basis": item.legal_basis,
            "unit_label": item.unit_label,
            "lower_bound": item.lower_bound,
            "upper_bound": item.upper_bound,
        }
        for item in fee_items_all()
    ]


def catalogue_policies(on: dt.date) -> list[dict[str, object]]:
    return [
        {
            "document_number": policy.document_number,
            "title": policy.title,
            "kind": policy.kind,
            "kind_label": str(policy.get_kind_display()),
            "valid_from": policy.valid_from,
            "valid_to": policy.valid_to,
            "items": [item.name for item in policy.items.all()],
        }
        for policy in fee_policies_in_force(on)
    ]


def fee_policies_all() -> QuerySet[FeePolicy]:
    """Every policy row, in force, future and ended: the staff's list (newest start first)."""
    return FeePolicy.objects.prefetch_related("items").order_by("document_number", "-valid_from")


def fee_policy_rows(on: dt.date) -> list[tuple[FeePolicy, domain.PolicyStatus]]:
    return [(policy, policy_status_on(policy, on)) for policy in fee_policies_all()]


def policy_status_on(policy: FeePolicy, on: dt.date) -> domain.PolicyStatus:
    return domain.policy_status(policy.valid_from, policy.valid_to, on)
