"""会签 and the consequences of a commitment in the cases API (mounted at /api/cases/): 加签, the
findings of a post-check or re-check (符合 / 不符合), a false commitment, the applicant's report of a
rectification, and credit records.

Thin: parse, call one service (who may act is decided there: 403 for those who may see the case,
the 404 of a missing task for anyone else) or one scoped selector, answer with the new state.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from ninja import Field, Form, Query, Router, Schema
from pydantic import ConfigDict

from onewindow.api.auth import api_user
from onewindow.api.pagination import PageQuery
from onewindow.api.schemas import error_responses
from onewindow.cases import selectors
from onewindow.cases.api.commitment_out import CreditRecordOut, credit_record_out
from onewindow.cases.api.review import ReviewTaskOut, _task, _task_out, _user
from onewindow.cases.models import Task
from onewindow.cases.services import commitment, countersign

router = Router(tags=["会签与告知承诺"])

TEXT = 2000
# 400: a body the API cannot read (web.middleware: malformed JSON, a NUL character)
ERRORS = error_responses(400, 401, 403, 404, 409, 422)
TASK_RESPONSES = {200: ReviewTaskOut, **ERRORS}


class Body(Schema):
    model_config = ConfigDict(extra="forbid")


# --- 会签 / 加签 -------------------------------------------------------------------------------------


class SignerIn(Body):
    signer_id: int = Field(..., strict=True, description="须同时签署的本部门审核人员的用户 ID")


class SignerOut(Schema):
    user_id: int
    name: str
    is_named: bool = Field(description="由部门负责人加签")
    signed: bool
    approve: bool | None = Field(description="同意为 true，不同意为 false，未签署为 null")
    opinion: str
    signed_at: dt.datetime | None


class CountersignOut(Schema):
    task_id: int
    status: str
    required_signoffs: int = Field(description="须签署的人数（含加签）")
    remaining: int = Field(description="还需签署的人数")
    signers: list[SignerOut] = Field(description="已签署的人员（按时间），然后是尚未签署的加签人员")


def _countersign_out(task: Task) -> dict[str, Any]:
    state = selectors.commitment.task_countersign(task)
    signers = [
        {
            "user_id": row.reviewer.pk,
            "name": str(row.reviewer),
            "is_named": row.is_named,
            "signed": row.signoff is not None,
            "approve": row.signoff.approve if row.signoff else None,
            "opinion": row.signoff.opinion if row.signoff else "",
            "signed_at": row.signoff.signed_at if row.signoff else None,
        }
        for row in state.rows
    ]
    return {
        "task_id": task.pk,
        "status": task.status,
        "required_signoffs": state.required,
        "remaining": state.remaining,
        "signers": signers,
    }


@router.get("/tasks/{int:task_id}/signers", response={200: CountersignOut, **ERRORS}, summary="会签情况")
def task_signers(request: HttpRequest, task_id: int) -> dict[str, Any]:
    """本部门审核人员查看：须签署人数、已签署的人员及意见、尚未签署的加签人员。"""
    task = selectors.task_get_for_reviewer(user=api_user(request), task_id=task_id)
    return _countersign_out(task)


@router.post("/tasks/{int:task_id}/signers", response={200: CountersignOut, **ERRORS}, summary="加签")
def task_add_signer(request: HttpRequest, task_id: int, payload: SignerIn) -> dict[str, Any]:
    """部门负责人指定本部门一名审核人员须同时签署意见；任务须签署人数加一，该人员签署后方可办结。"""
    signer = _user(payload.signer_id, "signer_id")
    task = countersign.task_add_signer(actor=api_user(request), task=_task(task_id), signer=signer)
    return _countersign_out(task)


# --- checks of a commitment -------------------------------------------------------------------------


class CheckIn(Body):
    conforms: bool = Field(..., strict=True, description="true 符合 / false 不符合")
    finding: str = Field("", max_length=TEXT, description="不符合时必填：发现的问题")
    legal_basis: str = Field("", max_length=TEXT, description="整改复查不符合（撤销许可）时必填：法律依据")
    note: str = Field("", max_length=TEXT, description="符合时可填：核查情况")


class FalseCommitmentIn(Body):
    finding: str = Field("", max_length=TEXT, description="承诺不实的事实（必填）")
    legal_basis: str = Field("", max_length=TEXT, description="撤销许可的法律依据（必填）")


class RectificationReportIn(Schema):
    note: str = Field("", max_length=TEXT, description="整改情况（必填）")


@router.post("/tasks/{int:task_id}/check", response=TASK_RESPONSES, summary="登记核查结果")
def task_check(request: HttpRequest, task_id: int, payload: CheckIn) -> dict[str, Any]:
    """承诺核查或整改复查：符合即办结；承诺核查不符合的，责令申请人在事项规定的整改期限（工作日）内整改，
    并生成整改复查任务；整改复查（申请人报告整改完成或期限届满后）不符合的，撤销许可。"""
    user, task = api_user(request), _task(task_id)
    if payload.conforms:
        return _task_out(commitment.task_check_conform(actor=user, task=task, note=payload.note))
    checked = commitment.task_check_not_conform(
        actor=user, task=task, finding=payload.finding, legal_basis=payload.legal_basis
    )
    return _task_out(checked)


@router.post("/tasks/{int:task_id}/false-commitment", response=TASK_RESPONSES, summary="认定虚假承诺")
def task_false_commitment(request: HttpRequest, task_id: int, payload: FalseCommitmentIn) -> dict[str, Any]:
    """承诺不实：立即撤销许可（办件状态 revoked），并记入申请人的信用记录。"""
    task = commitment.task_find_false_commitment(
        actor=api_user(request), task=_task(task_id), finding=payload.finding, legal_basis=payload.legal_basis
    )
    return _task_out(task)


@router.post("/tasks/{int:task_id}/rectification-report", response=TASK_RESPONSES, summary="报告整改完成")
def task_rectification_report(
    request: HttpRequest, task_id: int, payload: Form[RectificationReportIn]
) -> dict[str, Any]:
    """申请人（或受理地窗口人员）报告整改完成，部门随即可以复查。表单提交；可在 files 中附上整改材料（可选）。"""
    files = [upload for upload in request.FILES.getlist("files") if isinstance(upload, UploadedFile)]
    task = commitment.task_report_rectification(
        actor=api_user(request), task=_task(task_id), note=payload.note, files=files
    )
    return _task_out(task)


# --- credit records ----------------------------------------------------------------------------------


class CreditPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[CreditRecordOut]


@router.get("/credit-records", response={200: CreditPageOut, **ERRORS}, summary="信用记录")
def credit_records(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    """申请人：本人及代为办理的申请人的信用记录。工作人员：所辖区域办件中记入的信用记录。最新在前。"""
    records = selectors.commitment.credit_records_for_user(api_user(request))
    page = records[params.offset : params.offset + params.limit]
    return {
        "count": records.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": [credit_record_out(r) for r in page],
    }
