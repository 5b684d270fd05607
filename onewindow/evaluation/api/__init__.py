"""The evaluation endpoints (mounted at /api/evaluation/): rate an ended case, skip, the rating prompt
(先评价后取证), one's ratings and the answer to a bad one; the follow-ups for staff (verify, answer), disputes
and their decision; statistics (staff) and the public monthly figures (no login).
A bearer token or the browser session, as everywhere (onewindow/api/auth.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils import timezone
from ninja import Form, Query, Router
from ninja.responses import Status

from onewindow.api.auth import api_user
from onewindow.api.pagination import page_body
from onewindow.api.schemas import error_responses
from onewindow.errors import InvalidFields, PermissionDenied
from onewindow.evaluation import selectors, services
from onewindow.evaluation.api.schemas import (
    EvaluationAnswerIn,
    EvaluationCaseRateIn,
    EvaluationDecideIn,
    EvaluationDisputeIn,
    EvaluationDisputeOut,
    EvaluationPageQuery,
    EvaluationPromptOut,
    EvaluationPublicMonthOut,
    EvaluationSettleIn,
    EvaluationSkipIn,
    EvaluationStatisticsOut,
    EvaluationVerifyIn,
    FollowUpOut,
    FollowUpPageOut,
    RatingOut,
    RatingPageOut,
    follow_up_out,
    rating_out,
    tally_out,
)
from onewindow.evaluation.domain import Channel, rate_percent
from onewindow.evaluation.models import Dispute

router = Router(tags=["好差评"])
ERRORS = error_responses(400, 401, 403, 404, 409, 422)


# --- the applicant -------------------------------------------------------------------------------------


@router.post("/cases/{int:case_id}/rating", response={201: list[RatingOut], **ERRORS}, summary="评价办件")
def rate_case(request: HttpRequest, case_id: int, data: EvaluationCaseRateIn) -> Status[list[dict[str, Any]]]:
    """办结（含不予受理、撤回）的办件评价一次：整体及（选填）各审查部门。已评价：409 rating_exists。"""
    user = api_user(request)
    case = selectors.case_for_rater(user=user, case_id=case_id)
    by_department = {d.department_id: d.given() for d in data.departments}
    ratings = services.case_rate(
        case=case, rater=user, channel=Channel.API, given=data.given(), by_department=by_department
    )
    return Status(201, [rating_out(r) for r in ratings])


@router.get("/cases/{int:case_id}/prompt", response={200: EvaluationPromptOut, **ERRORS}, summary="是否提示评价")
def prompt(request: HttpRequest, case_id: int) -> dict[str, bool]:
    """先评价后取证：办件已办结、尚未评价且未跳过时提示评价（自愿，不影响领证）。"""
    user = api_user(request)
    case = selectors.case_for_rater(user=user, case_id=case_id)
    return {"due": selectors.rating_prompt_due(case=case, user=user)}


@router.post("/cases/{int:case_id}/skip", response={201: EvaluationPromptOut, **ERRORS}, summary="暂不评价")
def skip(request: HttpRequest, case_id: int, data: EvaluationSkipIn) -> Status[dict[str, bool]]:
    """记录申请人选择暂不评价（留痕）；之后仍可评价。"""
    user = api_user(request)
    case = selectors.case_for_rater(user=user, case_id=case_id)
    services.rating_skip(case=case, user=user, channel=Channel.API, context=data.context)
    return Status(201, {"due": False})


@router.get("/ratings/mine", response={200: RatingPageOut, **ERRORS}, summary="我的评价")
def mine(request: HttpRequest, params: Query[EvaluationPageQuery]) -> dict[str, Any]:
    return page_body(selectors.ratings_of_user(api_user(request)), params, rating_out)


@router.post("/ratings/{int:rating_id}/settle", response={200: RatingOut, **ERRORS}, summary="对整改答复的意见")
def settle(request: HttpRequest, rating_id: int, data: EvaluationSettleIn) -> dict[str, Any]:
    user = api_user(request)
    rating = selectors.rating_get_for_rater(user=user, rating_id=rating_id)
    services.follow_up_settle(actor=user, rating=rating, settled=data.settled)
    return rating_out(selectors.rating_get_for_rater(user=user, rating_id=rating_id))


# --- staff ---------------------------------------------------------------------------------------------


def _staff(request: HttpRequest) -> Any:
    user = api_user(request)
    if not selectors.is_follow_up_staff(user):
        raise PermissionDenied("只有部门审核人员和效能监察人员可以查看差评整改", code="not_evaluation_staff")
    return user


@router.get("/follow-ups", response={200: FollowUpPageOut, **ERRORS}, summary="差评整改列表")
def follow_ups(request: HttpRequest, params: Query[EvaluationPageQuery]) -> dict[str, Any]:
    rows = selectors.follow_ups_visible_to(_staff(request)).select_related(*selectors.access.RELATED).order_by("-id")
    return page_body(rows, params, follow_up_out)


@router.get("/follow-ups/{int:follow_up_id}", response={200: FollowUpOut, **ERRORS}, summary="差评整改详情")
def follow_up(request: HttpRequest, follow_up_id: int) -> dict[str, Any]:
    return follow_up_out(selectors.follow_up_get_for_user(user=api_user(request), follow_up_id=follow_up_id))


@router.post("/follow-ups/{int:follow_up_id}/verify", response={200: FollowUpOut, **ERRORS}, summary="核实差评")
def verify(request: HttpRequest, follow_up_id: int, data: EvaluationVerifyIn) -> dict[str, Any]:
    user = api_user(request)
    row = selectors.follow_up_get_for_user(user=user, follow_up_id=follow_up_id)
    services.follow_up_verify(actor=user, follow_up=row, verification=data.verification)
    return follow_up_out(selectors.follow_up_get_for_user(user=user, follow_up_id=follow_up_id))


@router.post("/follow-ups/{int:follow_up_id}/answer", response={200: FollowUpOut, **ERRORS}, summary="整改并答复")
def answer(request: HttpRequest, follow_up_id: int, data: EvaluationAnswerIn) -> dict[str, Any]:
    user = api_user(request)
    row = selectors.follow_up_get_for_user(user=user, follow_up_id=follow_up_id)
    services.follow_up_answer(actor=user, follow_up=row, rectification=data.rectification, answer=data.answer)
    return follow_up_out(selectors.follow_up_get_for_user(user=user, follow_up_id=follow_up_id))


def _dispute(dispute: Dispute) -> dict[str, Any]:
    return {
        "id": dispute.pk,
        "rating_id": dispute.rating_id,
        "reason": dispute.reason,
        "decision": dispute.decision,
        "decision_label": dispute.get_decision_display(),
        "evidence_sha256": dispute.evidence_sha256,
    }


@router.post("/ratings/{int:rating_id}/disputes", response={201: EvaluationDisputeOut, **ERRORS}, summary="申诉评价")
def dispute_request(request: HttpRequest, rating_id: int, data: Form[EvaluationDisputeIn]) -> Status[dict[str, Any]]:
    """multipart 表单；evidence 为证明材料（PDF、JPG、PNG 或 OFD，必填）。效能监察审核。"""
    user = _staff(request)
    rating = selectors.rating_get_for_staff(user=user, rating_id=rating_id)
    upload = request.FILES.get("evidence")
    evidence = upload if isinstance(upload, UploadedFile) else None
    dispute = services.dispute_request(
        actor=user, rating=rating, reason=data.reason, explanation=data.explanation, evidence=evidence
    )
    return Status(201, _dispute(dispute))


@router.post(
    "/disputes/{int:dispute_id}/decide", response={200: EvaluationDisputeOut, **ERRORS}, summary="审核评价申诉"
)
def dispute_decide(request: HttpRequest, dispute_id: int, data: EvaluationDecideIn) -> dict[str, Any]:
    user = api_user(request)
    dispute = selectors.dispute_get_for_supervisor(user=user, dispute_id=dispute_id)
    return _dispute(services.dispute_decide(actor=user, dispute=dispute, uphold=data.uphold, note=data.note))


# --- statistics ----------------------------------------------------------------------------------------


def _month(value: str | None, name: str, default: dt.date) -> dt.date:
    if not value:
        return default
    try:
        return dt.date.fromisoformat(f"{value}-01")
    except ValueError:
        raise InvalidFields("月份格式为 YYYY-MM", errors={name: "月份格式为 YYYY-MM"}, code="invalid_month") from None


@router.get("/statistics", response={200: EvaluationStatisticsOut, **ERRORS}, summary="好差评统计")
def statistics(
    request: HttpRequest, by: str = "department", first: str | None = None, last: str | None = None
) -> dict[str, Any]:
    """本人可见范围内的统计：by 为 department、matter、window、clerk、region 或 month；first、last 为 YYYY-MM。"""
    user = _staff(request)
    if by not in selectors.DIMENSIONS:
        raise InvalidFields("统计维度不正确", errors={"by": "统计维度不正确"}, code="invalid_dimension")
    this_month = timezone.localdate().replace(day=1)
    last_month = _month(last, "last", this_month)
    first_month = _month(first, "first", last_month.replace(month=1))
    ratings = selectors.ratings_visible_to_staff(user).filter(month__gte=first_month, month__lte=last_month)
    rates = selectors.follow_up_rates(selectors.follow_ups_visible_to(user).filter(opened_on__gte=first_month))
    return {
        "first_month": first_month,
        "last_month": last_month,
        "overall": tally_out("all", "合计", selectors.tally_of(ratings)),
        "rectification_rate": rate_percent(rates.rectification_rate),
        "on_time_rate": rate_percent(rates.on_time_rate),
        "rows": [tally_out(row.key, row.name, row.tally) for row in selectors.tally_by(ratings, by)],
    }


@router.get(
    "/public/monthly", response={200: list[EvaluationPublicMonthOut], **ERRORS}, auth=None, summary="好差评结果公开"
)
def public_monthly(request: HttpRequest) -> list[dict[str, Any]]:
    """近12个月各部门的评价数与满意率（公开，无个人信息）。"""
    months = selectors.public_monthly(last_month=timezone.localdate().replace(day=1))
    return [
        {
            "month": m.month,
            "overall": tally_out(m.month, "合计", m.tally),
            "departments": [tally_out(r.key[1], r.name, r.tally) for r in m.departments],
        }
        for m in months
    ]
