"""The evaluation API's schemas and how a row becomes one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from onewindow.api.pagination import PageQuery
from onewindow.evaluation import selectors
from onewindow.evaluation.domain import rate_percent
from onewindow.evaluation.models import FollowUp, Rating
from onewindow.evaluation.services import Given


class EvaluationPageQuery(PageQuery):
    pass


class EvaluationGivenIn(Schema):
    model_config = ConfigDict(extra="forbid")
    level: int = Field(..., strict=True, description="5 非常满意、4 满意、3 基本满意、2 不满意、1 非常不满意")
    tags: list[str] = Field(default_factory=list, max_length=20, description="原因编码（基本满意及以下）")
    comment: str = Field("", max_length=500)
    may_contact: bool = Field(False, strict=True, description="同意回访：不同意时工作人员看不到评价人")

    def given(self) -> Given:
        return Given(level=self.level, tags=tuple(self.tags), comment=self.comment, may_contact=self.may_contact)


class EvaluationDepartmentGivenIn(EvaluationGivenIn):
    department_id: int = Field(..., strict=True, description="办理该办件的审查部门")


class EvaluationCaseRateIn(EvaluationGivenIn):
    departments: list[EvaluationDepartmentGivenIn] = Field(
        default_factory=list, max_length=50, description="对各部门的评价（选填）"
    )


class EvaluationSkipIn(Schema):
    model_config = ConfigDict(extra="forbid")
    context: str = Field("certificate", max_length=40, description="在何处跳过，如 certificate（领证前）")


class EvaluationPromptOut(Schema):
    due: bool = Field(description="办件已办结、尚未评价、未跳过，且本人可评价")


class EvaluationFollowUpBrief(Schema):
    status: str
    status_label: str
    answer: str
    answered_at: dt.datetime | None


class RatingOut(Schema):
    id: int
    subject: str
    case_id: int | None
    department: str
    channel: str
    level: int
    level_label: str
    tags: list[str]
    comment: str
    rated_at: dt.datetime
    follow_up: EvaluationFollowUpBrief | None


class RatingPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[RatingOut]


class EvaluationSettleIn(Schema):
    model_config = ConfigDict(extra="forbid")
    settled: bool = Field(..., strict=True, description="对整改答复是否满意")


def rating_out(rating: Rating) -> dict[str, Any]:
    return {
        "id": rating.pk,
        "subject": rating.subject,
        "case_id": rating.case_id,
        "department": rating.department.display_name,
        "channel": rating.channel,
        "level": rating.level,
        "level_label": rating.get_level_display(),
        "tags": rating.tags,
        "comment": rating.comment,
        "rated_at": rating.rated_at,
        "follow_up": _brief(rating),
    }


def _brief(rating: Rating) -> dict[str, Any] | None:
    try:
        follow_up = rating.follow_up
    except FollowUp.DoesNotExist:
        return None
    return {
        "status": follow_up.status,
        "status_label": follow_up.get_status_display(),
        "answer": follow_up.answer,
        "answered_at": follow_up.answered_at,
    }


# --- staff ---------------------------------------------------------------------------------------------


class FollowUpOut(Schema):
    id: int
    rating_id: int
    level: int
    level_label: str
    tags: list[str]
    comment: str
    rater: str = Field(description="评价人：仅在其同意回访时显示，否则为匿名")
    case_number: str | None
    window: str | None
    department: str
    status: str
    status_label: str
    verify_due_on: dt.date
    answer_due_on: dt.date
    escalated: bool
    verification: str
    rectification: str
    answer: str
    answered_on: dt.date | None


class FollowUpPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[FollowUpOut]


def follow_up_out(follow_up: FollowUp) -> dict[str, Any]:
    rating = follow_up.rating
    return {
        "id": follow_up.pk,
        "rating_id": rating.pk,
        "level": rating.level,
        "level_label": rating.get_level_display(),
        "tags": rating.tags,
        "comment": rating.comment,
        "rater": selectors.rater_shown(rating),
        "case_number": rating.case.number if rating.case else None,
        "window": str(rating.window) if rating.window else None,
        "department": follow_up.department.display_name,
        "status": follow_up.status,
        "status_label": follow_up.get_status_display(),
        "verify_due_on": follow_up.verify_due_on,
        "answer_due_on": follow_up.answer_due_on,
        "escalated": follow_up.escalated_at is not None,
        "verification": follow_up.verification,
        "rectification": follow_up.rectification,
        "answer": follow_up.answer,
        "answered_on": follow_up.answered_on,
    }


class EvaluationVerifyIn(Schema):
    model_config = ConfigDict(extra="forbid")
    verification: str = Field("", max_length=2000, description="核实情况")


class EvaluationAnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")
    rectification: str = Field("", max_length=2000, description="整改措施")
    answer: str = Field("", max_length=2000, description="答复申请人")


class EvaluationDisputeIn(Schema):
    reason: str = Field(..., description="malicious 恶意差评、wrong_service 非本单位服务、other 其他")
    explanation: str = Field("", max_length=2000)


class EvaluationDisputeOut(Schema):
    id: int
    rating_id: int
    reason: str
    decision: str
    decision_label: str
    evidence_sha256: str


class EvaluationDecideIn(Schema):
    model_config = ConfigDict(extra="forbid")
    uphold: bool = Field(..., strict=True, description="true：申诉成立，该评价不计入统计")
    note: str = Field("", max_length=2000, description="审核意见（必填）")


class EvaluationTallyOut(Schema):
    key: str
    name: str
    total: int
    very_satisfied: int
    satisfied: int
    basically_satisfied: int
    dissatisfied: int
    very_dissatisfied: int
    satisfaction_rate: str = Field(description="如 96.3%；无评价为 —")


class EvaluationStatisticsOut(Schema):
    first_month: dt.date
    last_month: dt.date
    overall: EvaluationTallyOut
    rectification_rate: str
    on_time_rate: str
    rows: list[EvaluationTallyOut]


def tally_out(key: object, name: str, tally: Any) -> dict[str, Any]:
    return {
        "key": key.isoformat() if isinstance(key, dt.date) else str(key),
        "name": name,
        "total": tally.total,
        "very_satisfied": tally.very_satisfied,
        "satisfied": tally.satisfied,
        "basically_satisfied": tally.basically_satisfied,
        "dissatisfied": tally.dissatisfied,
        "very_dissatisfied": tally.very_dissatisfied,
        "satisfaction_rate": rate_percent(tally.satisfaction_rate),
    }


class EvaluationPublicMonthOut(Schema):
    month: dt.date
    overall: EvaluationTallyOut
    departments: list[EvaluationTallyOut]
