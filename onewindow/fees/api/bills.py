"""The bill's endpoints (mounted at /api/fees/): the department's fee checks, correcting a line, sealing a
check, a bill (缴款通知书) and the payer's bills. Token or session; what one may not see is a 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from onewindow import clock
from onewindow.api.auth import api_user
from onewindow.api.schemas import error_responses
from onewindow.fees import selectors, services
from onewindow.fees.models import Bill, FeeCheck
from onewindow.workdays.selectors import work_calendar_for

router = Router()
ERRORS = error_responses(401, 403, 404, 409, 422)


class FeesCheckOut(Schema):
    id: int
    bill_id: int
    bill_number: str
    department_code: str
    department_name: str
    status: str
    status_label: str
    due_on: dt.date
    warning_level: str


class FeesBillLineOut(Schema):
    id: int
    check_id: int
    department_name: str
    item_code: str
    item_name: str
    account_name: str
    account_number: str
    computed_amount: Decimal
    proposed_due_amount: Decimal
    due_amount: Decimal
    subsidised_amount: Decimal
    policy_document_number: str
    inputs_missing: list[str]
    correction_reason: str
    sealed: bool
    seal_valid: bool


class FeesBillOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    payer_name: str
    payment_code: str | None
    computed_total: Decimal
    due_total: Decimal
    subsidised_total: Decimal
    opened_on: dt.date
    due_on: dt.date
    remaining_days: int | None = Field(description="核定剩余工作日（出具后为空）")
    issued_at: dt.datetime | None
    lines: list[FeesBillLineOut] = []


class FeesBillLineCorrectIn(Schema):
    model_config = ConfigDict(extra="forbid")
    due_amount: Decimal = Field(..., description="应缴金额（元）")
    computed_amount: Decimal | None = Field(None, description="应收金额（仅缺少收费资料的明细）")
    reason: str = Field("", max_length=500, description="更正理由（金额与系统计算不同时必填）")


def _check_out(check: FeeCheck) -> dict[str, Any]:
    return {
        "id": check.pk,
        "bill_id": check.bill_id,
        "bill_number": check.bill.number,
        "department_code": check.department.code,
        "department_name": check.department.display_name,
        "status": check.status,
        "status_label": check.get_status_display(),
        "due_on": check.bill.due_on,
        "warning_level": check.bill.warning_level,
    }


def _bill_out(request: HttpRequest, bill: Bill, *, lines: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": bill.pk,
        "number": bill.number,
        "status": bill.status,
        "status_label": bill.get_status_display(),
        "payer_name": str(bill.payer),
        "payment_code": bill.payment_code,
        "computed_total": bill.computed_total,
        "due_total": bill.due_total,
        "subsidised_total": bill.subsidised_total,
        "opened_on": bill.opened_on,
        "due_on": bill.due_on,
        "issued_at": bill.issued_at,
        "remaining_days": None,
        "lines": [],
    }
    if lines:
        notice = selectors.bill_notice(bill, today=clock.today(), calendar=work_calendar_for(request))
        out["remaining_days"] = notice.remaining_days
        out["lines"] = [
            {
                "id": row.line.pk,
                "check_id": row.line.fee_check_id,
                "department_name": group.department_name,
                "item_code": row.line.item_code,
                "item_name": row.line.item_name,
                "account_name": row.line.account_name,
                "account_number": row.line.account_number,
                "computed_amount": row.line.computed_amount,
                "proposed_due_amount": row.line.proposed_due_amount,
                "due_amount": row.line.due_amount,
                "subsidised_amount": row.line.subsidised_amount,
                "policy_document_number": row.line.policy_document_number,
                "inputs_missing": list(row.line.inputs_missing),
                "correction_reason": row.line.correction_reason,
                "sealed": row.sealed,
                "seal_valid": row.seal_valid,
            }
            for group in notice.groups
            for row in group.lines
        ]
    return out


@router.get("/checks", response={200: list[FeesCheckOut], **ERRORS}, summary="本部门的收费核定任务")
def fee_checks(request: HttpRequest, status: str = "open") -> list[dict[str, Any]]:
    """执收部门的收费核定任务：待核定在前，红色预警在前，按核定截止日期排序（最多200条）。"""
    user = api_user(request)
    return [_check_out(check) for check in selectors.checks_for_collector(user, status=status)[:200]]


@router.get("/bills/{int:bill_id}", response={200: FeesBillOut, **ERRORS}, summary="缴款通知书")
def fee_bill(request: HttpRequest, bill_id: int) -> dict[str, Any]:
    """缴款通知书：编号、缴款码、合计、各部门各账户的明细及其电子签章验证结果。"""
    bill = selectors.bill_get_for_user(user=api_user(request), bill_id=bill_id)
    return _bill_out(request, bill)


@router.post("/lines/{int:line_id}/correct", response={200: FeesBillLineOut, **ERRORS}, summary="更正收费金额")
def fee_line_correct(request: HttpRequest, line_id: int, payload: FeesBillLineCorrectIn) -> dict[str, Any]:
    """执收部门更正一条明细的应缴金额（与系统计算不同时须说明理由）；签章后不能更改。"""
    user = api_user(request)
    line = services.fee_line_correct(
        actor=user,
        line_id=line_id,
        due_amount=payload.due_amount,
        computed_amount=payload.computed_amount,
        reason=payload.reason,
    )
    bill = selectors.bill_get_for_user(user=user, bill_id=line.bill_id)
    out = _bill_out(request, bill)
    return next(row for row in out["lines"] if row["id"] == line.pk)


@router.post("/checks/{int:check_id}/seal", response={200: FeesCheckOut, **ERRORS}, summary="确认并签章")
def fee_check_seal(request: HttpRequest, check_id: int) -> dict[str, Any]:
    """执收部门确认本部门的明细并电子签章；最后一个部门签章后出具缴款通知书。"""
    user = api_user(request)
    services.fee_check_seal(actor=user, check_id=check_id)
    return _check_out(selectors.check_get_for_user(user=user, check_id=check_id))


@router.get("/mine", response={200: list[FeesBillOut], **ERRORS}, summary="我的缴费")
def fees_mine(request: HttpRequest) -> list[dict[str, Any]]:
    """缴款人（及其代办员）的缴款通知书，最新在前（最多200条，不含明细）。"""
    user = api_user(request)
    return [_bill_out(request, bill, lines=False) for bill in selectors.bills_of_payer(user)[:200]]
