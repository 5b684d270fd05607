"""The review side of the cases API (mounted at /api/cases/): task steps, extensions, the joint decision.

Thin: parse the body, call one service of `onewindow.cases.services.review` with the task or case
id, answer with the new state. The service answers a caller who may not see the case exactly as a
missing task or case (404). Every error is {code, message, errors} with a stable code and a Chinese
message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from ninja import Field, Form, Router, Schema
from pydantic import ConfigDict

from onewindow.api.auth import api_user
from onewindow.api.schemas import error_responses
from onewindow.cases.domain import CASE_STATUS_LABELS, CaseStatus, TaskStatus, task_status_label
from onewindow.cases.models import Case, CaseMatter, Task
from onewindow.cases.services import review
from onewindow.errors import InvalidFields
from onewindow.orgs.models import User
from onewindow.workdays.schemas import provisional_field, provisional_resolver

router = Router(tags=["并联审查"])

TEXT = 2000


ERRORS = error_responses(401, 403, 404, 409, 422)


class Body(Schema):
    model_config = ConfigDict(extra="forbid")


class OpinionIn(Body):
    opinion: str = Field("", max_length=TEXT, description="审查意见")


class ReasonIn(Body):
    reason: str = Field(..., max_length=TEXT, description="理由（必填）")


class NoteIn(Body):
    note: str = Field("", max_length=TEXT, description="说明")


class AssignIn(Body):
    assignee_id: int = Field(..., strict=True, description="本部门审核人员的用户 ID")


class TransferIn(Body):
    to_user_id: int = Field(..., strict=True, description="接办人（本部门审核人员）的用户 ID")
    reason: str = Field(..., max_length=TEXT, description="转办理由")


class SupplementIn(Body):
    items: list[str] = Field(..., max_length=50, description="需要补充的材料，逐项列出")
    note: str = Field("", max_length=TEXT, description="补充说明")


class SpecialProcedureIn(Body):
    kind: str = Field(..., description="hearing 听证、testing 检验检测、expert_review 专家评审、public_notice 公示")
    reason: str = Field(..., max_length=TEXT, description="理由")
    expected_end_on: dt.date = Field(..., description="预计结束日期")


class ExtensionIn(Body):
    days: int = Field(10, strict=True, description="延长的工作日数，1 至 10")
    reason: str = Field(..., max_length=TEXT, description="延期理由")


class DecisionIn(Body):
    results: dict[int, str] = Field(..., description="每个办件事项 ID 的决定:approved 准予许可 / rejected 不予许可")
    note: str = Field("", max_length=TEXT, description="决定意见")


class ReviewTaskOut(Schema):
    id: int
    case_id: int
    stage: int
    department_id: int
    status: str
    status_label: str = Field(description="状态（中文）；承诺核查、整改复查为“符合”“不符合”")
    assignee_id: int | None
    started_on: dt.date
    limit_days: int
    extension_days: int
    extension_requested_days: int
    due_on: dt.date
    due_on_provisional: bool = provisional_field("审查期限")
    resolve_due_on_provisional = provisional_resolver("due_on")
    opinion: str


class MatterResultOut(Schema):
    case_matter_id: int
    result: str
    result_label: str


class CaseOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    current_stage: int
    limit_days: int
    extension_days: int
    due_on: dt.date | None
    due_on_provisional: bool = provisional_field("办结期限")
    resolve_due_on_provisional = provisional_resolver("due_on")
    completed_at: dt.datetime | None
    decision_note: str
    results: list[MatterResultOut]


TASK_FIELDS = (
    "id",
    "case_id",
    "stage",
    "department_id",
    "status",
    "assignee_id",
    "started_on",
    "limit_days",
    "extension_days",
    "extension_requested_days",
    "due_on",
    "opinion",
)
CASE_FIELDS = ("id", "number", "status", "current_stage", "limit_days", "extension_days", "due_on", "completed_at")


def _task_out(task: Task) -> dict[str, Any]:
    label = task_status_label(TaskStatus(task.status), is_check=task.is_check)
    return {name: getattr(task, name) for name in TASK_FIELDS} | {"status_label": label}


def _case_out(case: Case) -> dict[str, Any]:
    matters = CaseMatter.objects.filter(case=case).order_by("pk")
    return {name: getattr(case, name) for name in CASE_FIELDS} | {
        "decision_note": case.decision_note,
        "status_label": CASE_STATUS_LABELS[CaseStatus(case.status)],
        "results": [
            {"case_matter_id": m.pk, "result": m.result, "result_label": m.get_result_display()} for m in matters
        ],
    }


def _task(task_id: int) -> Task:
    """A reference to the task: the service locks it and answers a caller who may not see its case with
    the same 404 as a missing task (`services/access.py`)."""
    return Task(pk=task_id)


def _case(case_id: int) -> Case:
    """A reference to the case: the service locks it and answers as for a task."""
    return Case(pk=case_id)


def _user(user_id: int, field: str) -> User:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise InvalidFields("未找到该用户", errors={field: "未找到该用户"}, code="user_not_found")
    return user


TASK_RESPONSES = {200: ReviewTaskOut, **ERRORS}


@router.post("/tasks/{int:task_id}/claim", response=TASK_RESPONSES, summary="领办审查任务")
def task_claim(request: HttpRequest, task_id: int) -> dict[str, Any]:
    """本部门审核人员领取尚无人办理的任务；已由他人办理时返回 409。"""
    user = api_user(request)
    return _task_out(review.task_claim(actor=user, task=_task(task_id)))


@router.post("/tasks/{int:task_id}/assign", response=TASK_RESPONSES, summary="分办审查任务")
def task_assign(request: HttpRequest, task_id: int, payload: AssignIn) -> dict[str, Any]:
    """部门负责人把任务分给本部门的审核人员。"""
    user = api_user(request)
    assignee = _user(payload.assignee_id, "assignee_id")
    return _task_out(review.task_assign(actor=user, task=_task(task_id), assignee=assignee))


@router.post("/tasks/{int:task_id}/transfer", response=TASK_RESPONSES, summary="转办")
def task_transfer(request: HttpRequest, task_id: int, payload: TransferIn) -> dict[str, Any]:
    """经办人或部门负责人把任务转给本部门的其他审核人员，须填写理由。"""
    user = api_user(request)
    to_user = _user(payload.to_user_id, "to_user_id")
    task = review.task_transfer(actor=user, task=_task(task_id), to_user=to_user, reason=payload.reason)
    return _task_out(task)


@router.post("/tasks/{int:task_id}/approve", response=TASK_RESPONSES, summary="审查同意")
def task_approve(request: HttpRequest, task_id: int, payload: OpinionIn) -> dict[str, Any]:
    """同意；需会签的任务在规定人数同意后才办结。本阶段全部办结时自动开启下一阶段或进入待决定。"""
    user = api_user(request)
    return _task_out(review.task_approve(actor=user, task=_task(task_id), opinion=payload.opinion))


@router.post("/tasks/{int:task_id}/reject", response=TASK_RESPONSES, summary="审查不同意")
def task_reject(request: HttpRequest, task_id: int, payload: ReasonIn) -> dict[str, Any]:
    """不同意，须填写理由；会签时任一审核人员不同意即为不同意。"""
    user = api_user(request)
    return _task_out(review.task_reject(actor=user, task=_task(task_id), reason=payload.reason))


@router.post("/tasks/{int:task_id}/supplement", response=TASK_RESPONSES, summary="要求补充材料")
def task_request_supplement(request: HttpRequest, task_id: int, payload: SupplementIn) -> dict[str, Any]:
    """逐项列出需要补充的材料，中止计时并告知申请人。"""
    user = api_user(request)
    task = review.task_request_supplement(actor=user, task=_task(task_id), items=payload.items, note=payload.note)
    return _task_out(task)


@router.post(
    "/tasks/{int:task_id}/supplement/received",
    response=TASK_RESPONSES,
    summary="补充材料已收到",
)
def task_supplement_received(request: HttpRequest, task_id: int, payload: Form[NoteIn]) -> dict[str, Any]:
    """申请人或受理地窗口人员登记补充材料已收到：恢复计时，期限顺延。

    表单提交；可在 files 中附上补充材料文件（可选）。"""
    user = api_user(request)
    files = [upload for upload in request.FILES.getlist("files") if isinstance(upload, UploadedFile)]
    task = review.task_supplement_received(actor=user, task=_task(task_id), note=payload.note, files=files)
    return _task_out(task)


@router.post(
    "/tasks/{int:task_id}/special-procedure",
    response=TASK_RESPONSES,
    summary="启动特别程序",
)
def task_start_special_procedure(request: HttpRequest, task_id: int, payload: SpecialProcedureIn) -> dict[str, Any]:
    """听证、检验检测、专家评审、公示：中止计时，书面告知申请人。"""
    user = api_user(request)
    task = review.task_start_special_procedure(
        actor=user,
        task=_task(task_id),
        kind=payload.kind,
        reason=payload.reason,
        expected_end_on=payload.expected_end_on,
    )
    return _task_out(task)


@router.post(
    "/tasks/{int:task_id}/special-procedure/end",
    response=TASK_RESPONSES,
    summary="结束特别程序",
)
def task_end_special_procedure(request: HttpRequest, task_id: int, payload: NoteIn) -> dict[str, Any]:
    """特别程序结束：恢复计时，期限顺延。"""
    user = api_user(request)
    return _task_out(review.task_end_special_procedure(actor=user, task=_task(task_id), note=payload.note))


@router.post("/tasks/{int:task_id}/send-back", response=TASK_RESPONSES, summary="驳回至受理")
def task_send_back(request: HttpRequest, task_id: int, payload: ReasonIn) -> dict[str, Any]:
    """驳回：办件退回受理环节，其他审查任务取消，受理时限重新计算。"""
    user = api_user(request)
    return _task_out(review.task_send_back(actor=user, task=_task(task_id), reason=payload.reason))


@router.post("/tasks/{int:task_id}/extension", response=TASK_RESPONSES, summary="申请延期")
def task_extension_request(request: HttpRequest, task_id: int, payload: ExtensionIn) -> dict[str, Any]:
    """经办人申请延期（默认 10 个工作日），由部门负责人批准；每项任务只能延期一次。"""
    user = api_user(request)
    task = review.task_extension_request(actor=user, task=_task(task_id), days=payload.days, reason=payload.reason)
    return _task_out(task)


@router.post(
    "/tasks/{int:task_id}/extension/approve",
    response=TASK_RESPONSES,
    summary="批准延期",
)
def task_extension_approve(request: HttpRequest, task_id: int) -> dict[str, Any]:
    """部门负责人批准待审批的延期申请，期限顺延。"""
    user = api_user(request)
    return _task_out(review.task_extension_approve(actor=user, task=_task(task_id)))


CASE_RESPONSES = {200: CaseOut, **ERRORS}


@router.post("/cases/{int:case_id}/extension", response=CASE_RESPONSES, summary="批准办件延期")
def case_extension_approve(request: HttpRequest, case_id: int, payload: ReasonIn) -> dict[str, Any]:
    """牵头部门负责人批准办件延期一次：联合办理 15 个工作日，单一事项 10 个工作日。"""
    user = api_user(request)
    return _case_out(review.case_extension_approve(actor=user, case=_case(case_id), reason=payload.reason))


@router.post("/cases/{int:case_id}/decision", response=CASE_RESPONSES, summary="联合决定")
def case_decide(request: HttpRequest, case_id: int, payload: DecisionIn) -> dict[str, Any]:
    """牵头部门对每个事项作出准予或不予许可的决定，办件办结。"""
    user = api_user(request)
    case = review.case_decide(actor=user, case=_case(case_id), results=payload.results, note=payload.note)
    return _case_out(case)
