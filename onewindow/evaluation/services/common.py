"""What the evaluation services share: the audit streams and targets, the clock, the working-day limits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from onewindow import clock
from onewindow.audit.services import audit_record
from onewindow.clock import told_at as told_at  # the public API of the evaluation services
from onewindow.evaluation.domain import FollowUpDeadlines, follow_up_deadlines
from onewindow.orgs.models import Organisation, User
from onewindow.workdays.selectors import work_calendar

RATING_TARGET = "evaluation.rating"
FOLLOW_UP_TARGET = "evaluation.follow_up"
INVITATION_TARGET = "evaluation.invitation"  # target id: the case's
WINDOW_SERVICE_TARGET = "evaluation.window_service"

AUDIT_LABELS = {
    "evaluation.invited": "邀请评价",
    "evaluation.rated": "提交评价",
    "evaluation.skipped": "暂不评价",
    "evaluation.sms_link_used": "使用短信评价链接",
    "evaluation.window_service_started": "开启窗口评价",
    "evaluation.follow_up_opened": "差评转办",
    "evaluation.follow_up_verified": "差评核实",
    "evaluation.follow_up_answered": "差评整改答复",
    "evaluation.follow_up_settled": "申请人确认整改结果",
    "evaluation.follow_up_escalated": "差评逾期督办",
    "evaluation.dispute_requested": "申诉评价",
    "evaluation.dispute_decided": "审核评价申诉",
    "evaluation.reason_tag_added": "新增评价原因",
    "evaluation.reason_tag_changed": "修改评价原因",
}


def rating_stream(rating_id: int) -> str:
    """A rating's follow-up and disputes are on its stream: its whole story in one chain."""
    return f"evaluation_rating:{rating_id}"


def record(
    *,
    stream: str,
    action: str,
    target_type: str,
    target_id: object,
    actor: User | None,
    organisation: Organisation | None,
    changes: dict[str, Any],
) -> None:
    audit_record(
        stream=stream,
        action=action,
        target_type=target_type,
        target_id=target_id,
        actor=actor,
        organisation=organisation,
        changes=changes,
    )


@dataclass(frozen=True)
class Now:
    at: dt.datetime
    on: dt.date

    @property
    def month(self) -> dt.date:
        return self.on.replace(day=1)


def now() -> Now:
    """The platform's told time (`onewindow.clock`): the demo's history (months of ratings) is recorded as of
    the day it tells; the audit events keep the real time they were written."""
    at = clock.now()
    return Now(at=at, on=timezone.localdate(at))


def deadlines_from(rated_on: dt.date) -> FollowUpDeadlines:
    return follow_up_deadlines(
        rated_on,
        work_calendar(),
        verify_days=settings.EVALUATION_VERIFY_DAYS,
        answer_days=settings.EVALUATION_ANSWER_DAYS,
    )
