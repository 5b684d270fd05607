"""Opening the one bill: when a case's charging stage opens (its acceptance pushes it to the departments),
the fees of the stage are computed from the application's fee materials on that day, and every collecting
department gets one fee check (收费核定) on the bill's own working-day clock, in parallel.

Runs inside the transaction that opened the stage, under the case lock (`cases.services.stage_hooks`).
Streams: `fee_bill:<id>`; the case's timeline says the bill was pushed (public: the applicant follows it).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q

from onewindow.audit.services import audit_record
from onewindow.cases.domain import Clock
from onewindow.cases.models import Case
from onewindow.cases.services.stage_hooks import StageOpening
from onewindow.cases.services.transitions import case_record
from onewindow.cases.sources import case_source
from onewindow.catalogue.models import Stage
from onewindow.fees import domain
from onewindow.fees.models import (
    Bill,
    BillLine,
    BillStatus,
    FeeAttachment,
    FeeCheck,
    FeeItem,
    FeePolicy,
    StageFeeRule,
)
from onewindow.fees.selectors import fee_policies_in_force, formula_of, policy_of
from onewindow.orgs.models import Organisation, User
from onewindow.workdays.domain import WorkCalendar

BILL_TARGET = "fees.bill"


def bill_audit(
    bill: Bill, action: str, *, actor: User | None, organisation: Organisation | None, changes: dict[str, Any]
) -> None:
    """One event of the bill's stream (`fee_bill:<id>`), in the caller's transaction."""
    audit_record(
        stream=f"fee_bill:{bill.pk}",
        action=action,
        target_type=BILL_TARGET,
        target_id=bill.pk,
        actor=actor,
        organisation=organisation,
        changes=changes,
    )


def charging_stage(case: Case, position: int) -> Stage | None:
    """The bundle stage at `position` of the case's bundle version (None for a single-matter case)."""
    if case.bundle_version_id is None:
        return None
    return Stage.objects.filter(bundle_version_id=case.bundle_version_id, position=position).first()


def stage_fee_items(case: Case, position: int, stage: Stage | None) -> list[FeeItem]:
    """The fee items charged at this stage: the bundle stage's, and those of the stage's matters."""
    matter_ids = case.matters.filter(stage=position).values_list("matter_version__matter_id", flat=True)
    return fee_items_charged(list(matter_ids), stage)


def fee_items_charged(matter_ids: list[int], stage: Stage | None) -> list[FeeItem]:
    """The fee items of these matters and of the bundle stage, by code, with their departments."""
    items = FeeItem.objects.filter(attachments__matter_id__in=matter_ids)
    if stage is not None:
        items = items | FeeItem.objects.filter(attachments__stage=stage)
    return list(items.select_related("department").distinct().order_by("code"))


def _charges(case: Case, position: int) -> bool:
    matter_ids = [version.matter_id for version, stage in case_source(case).matters if stage == position]
    where = Q(matter_id__in=matter_ids)
    if case.bundle_version_id is not None:
        where |= Q(stage__bundle_version_id=case.bundle_version_id, stage__position=position)
    return FeeAttachment.objects.filter(where).exists()


def bill_on_stage_open(opening: StageOpening) -> None:
    """Open the stage's bill if the stage charges fees (listener of `cases.services.stage_hooks`)."""
    case = opening.locked.case
    if not _charges(case, opening.stage):  # one query for the stages that charge nothing (most of them)
        return
    stage = charging_stage(case, opening.stage)
    items = stage_fee_items(case, opening.stage, stage)
    if not items or Bill.objects.filter(case=case, stage_position=opening.stage).exists():
        return
    rule = StageFeeRule.objects.filter(stage=stage).first() if stage is not None else None
    bill = bill_new(case, opening.stage, stage, rule, on=opening.on, calendar=opening.locked.calendar)
    bill.save()
    departments = _checks_create(bill, items)
    _lines_create(bill, items)
    bill_audit(
        bill, "fees.bill_opened", actor=opening.actor, organisation=bill.region, changes=bill_opened(bill, departments)
    )
    case_record(
        locked=opening.locked,
        action="fee_bill_opened",
        actor=opening.actor,
        note=bill_opened_note(bill, departments),
    )


def bill_opened(bill: Bill, departments: dict[int, Organisation]) -> dict[str, Any]:
    """The changes of `fees.bill_opened` (the bill with its lines and totals)."""
    return {
        "number": bill.number,
        "case": bill.case.number,
        "stage": bill.stage_position,
        "due_on": bill.due_on.isoformat(),
        "departments": [department.code for department in departments.values()],
        "computed_total": str(bill.computed_total),
        "due_total": str(bill.due_total),
    }


def bill_opened_note(bill: Bill, departments: dict[int, Organisation]) -> str:
    names = "、".join(department.display_name for department in departments.values())
    return f"第{bill.stage_position}阶段收费推送{names}核定，{bill.due_on:%Y-%m-%d}前出具缴款通知书"


def bill_new(
    case: Case, position: int, stage: Stage | None, rule: StageFeeRule | None, *, on: dt.date, calendar: WorkCalendar
) -> Bill:
    """The stage's bill as it opens (not saved): its payer, fee materials, clock and rule."""
    limit = rule.check_limit_days if rule else domain.BILL_CHECK_LIMIT_DAYS
    inputs, _unusable = domain.bill_inputs(case.form_data)
    return Bill(
        number=f"{case.number}-JF{position}",
        case=case,
        stage_position=position,
        stage_name=stage.name if stage else "",
        region_id=case.region_id,
        payer_id=case.applicant_id,
        payer_classes=domain.payer_classes(case.form_data),
        project_category=rule.project_category if rule else "",
        industry=str(case.form_data.get(domain.INDUSTRY_FIELD) or "")[:60],
        inputs={str(name): str(value) for name, value in inputs.items()},
        computed_on=on,
        opened_on=on,
        limit_days=limit,
        due_on=Clock(started_on=on, limit_days=limit).due_on(calendar),
        waits_for_payment=bool(rule and rule.waits_for_payment),
        status=BillStatus.CHECKING,
    )


def _checks_create(bill: Bill, items: list[FeeItem]) -> dict[int, Organisation]:
    departments = {item.department_id: item.department for item in items}
    FeeCheck.objects.bulk_create([FeeCheck(bill=bill, department_id=pk) for pk in sorted(departments)])
    return dict(sorted(departments.items()))


def _lines_create(bill: Bill, items: list[FeeItem]) -> None:
    checks = {check.department_id: check for check in bill.checks.all()}
    policies = {(p.document_number, p.valid_from): p for p in fee_policies_in_force(bill.computed_on)}
    lines = bill_lines_new(bill, checks, items, policies)
    BillLine.objects.bulk_create(lines)
    bill.save(update_fields=["computed_total", "due_total", "subsidised_total"])


def bill_lines_new(
    bill: Bill, checks: dict[int, FeeCheck], items: list[FeeItem], policies: dict[tuple[str, dt.date], FeePolicy]
) -> list[BillLine]:
    """The bill's lines (not saved), computed on its day under `policies` (those in force that day are
    applied), and the bill's totals set from them."""
    inputs, unusable = domain.bill_inputs(bill.case.form_data)
    payer = domain.Payer(classes=frozenset(bill.payer_classes), project_category=bill.project_category)
    domain_policies = [policy_of(p) for p in policies.values()]
    lines = []
    for item in items:
        formula = formula_of(item)
        missing = [str(name) for name in domain.missing_inputs([formula], inputs)] + [
            str(name) for name in unusable if formula.needs == name
        ]
        line = (
            None
            if missing
            else domain.line_compute(
                domain.Item(item.code, item.name, formula), inputs, payer, bill.computed_on, domain_policies
            )
        )
        lines.append(_line_row(bill, checks[item.department_id], item, line, missing, policies))
    bill.computed_total = sum((line.computed_amount for line in lines), Decimal(0))
    bill.due_total = sum((line.due_amount for line in lines), Decimal(0))
    bill.subsidised_total = sum((line.subsidised_amount for line in lines), Decimal(0))
    return lines


def _line_row(
    bill: Bill,
    check: FeeCheck,
    item: FeeItem,
    line: domain.Line | None,
    missing: list[str],
    policies: dict[tuple[str, dt.date], FeePolicy],
) -> BillLine:
    """A line as computed; with missing fee materials its amounts are 0 until the department corrects them."""
    policy = line.policy if line else None
    computed = line.computed_amount if line else domain.ZERO
    due = line.due_amount if line else domain.ZERO
    return BillLine(
        bill=bill,
        fee_check=check,
        item=item,
        item_code=item.code,
        item_name=item.name,
        kind=item.kind,
        account_name=item.account_name,
        account_number=item.account_number,
        computed_amount=computed,
        due_amount=due,
        proposed_due_amount=due,
        subsidised_amount=line.subsidised_amount if line else domain.ZERO,
        policy=policies[(policy.document_number, policy.valid_from)] if policy else None,
        policy_kind=str(policy.kind) if policy else "",
        policy_document_number=policy.document_number if policy else "",
        inputs_missing=missing,
    )
