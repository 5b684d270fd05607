"""差评整改: a bad rating opens a follow-up for the department concerned; it verifies (核实, within 1
working day), rectifies and answers the applicant (整改、反馈, within 15 working days); the applicant
says whether the answer settled the matter; an overdue one is escalated to the supervisors (督办) by the
periodic job. Every step one transaction with its event on the rating's stream."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db import transaction

from onewindow.errors import Conflict, InvalidFields, PermissionDenied
from onewindow.evaluation import selectors
from onewindow.evaluation.domain import (
    FollowUpAction,
    FollowUpDeadlines,
    FollowUpStatus,
    TransitionNotAllowed,
    is_overdue,
    next_status,
    pending_due_on,
)
from onewindow.evaluation.models import FollowUp, Rating
from onewindow.evaluation.services.common import FOLLOW_UP_TARGET, deadlines_from, now, rating_stream, record
from onewindow.notify.services import notify_send
from onewindow.orgs.models import User

MAX_TEXT = 2000
ESCALATION_TOPIC = "evaluation.escalated"


def _event(follow_up: FollowUp, action: str, actor: User | None, changes: dict[str, object]) -> None:
    record(
        stream=rating_stream(follow_up.rating_id),
        action=f"evaluation.{action}",
        target_type=FOLLOW_UP_TARGET,
        target_id=follow_up.pk,
        actor=actor,
        organisation=follow_up.department,
        changes={"status": follow_up.status, **changes},
    )


def follow_up_open(*, rating: Rating) -> FollowUp:
    """Inside the rating's transaction: the follow-up of a bad rating, its deadlines in working days."""
    deadlines = deadlines_from(rating.rated_on)
    follow_up = FollowUp.objects.create(
        rating=rating,
        department=rating.department,
        opened_on=rating.rated_on,
        verify_due_on=deadlines.verify_due_on,
        answer_due_on=deadlines.answer_due_on,
    )
    _event(
        follow_up,
        "follow_up_opened",
        None,
        {"verify_due_on": deadlines.verify_due_on.isoformat(), "answer_due_on": deadlines.answer_due_on.isoformat()},
    )
    return follow_up


def _lock(follow_up: FollowUp) -> FollowUp:
    return FollowUp.objects.select_for_update(of=("self",)).select_related("department__parent").get(pk=follow_up.pk)


def _move(follow_up: FollowUp, action: FollowUpAction) -> None:
    try:
        follow_up.status = next_status(FollowUpStatus(follow_up.status), action)
    except TransitionNotAllowed:
        raise Conflict("该差评整改已进入下一环节，请刷新页面", code="follow_up_moved_on") from None


def _require_department(actor: User, follow_up: FollowUp) -> None:
    if not selectors.may_act_on(actor, follow_up):
        raise PermissionDenied("只有责任单位的审核人员可以办理差评整改", code="not_the_department")


def _text(errors: dict[str, str], name: str, value: str, label: str) -> str:
    value = value.strip()
    if not value:
        errors[name] = f"请填写{label}"
    elif len(value) > MAX_TEXT:
        errors[name] = f"{label}不超过 {MAX_TEXT} 字"
    return value


@transaction.atomic
def follow_up_verify(*, actor: User, follow_up: FollowUp, verification: str) -> FollowUp:
    """核实: what the department found."""
    follow_up = _lock(follow_up)
    _require_department(actor, follow_up)
    errors: dict[str, str] = {}
    text = _text(errors, "verification", verification, "核实情况")
    if errors:
        raise InvalidFields("请填写核实情况", errors=errors, code="follow_up_invalid")
    _move(follow_up, FollowUpAction.VERIFY)
    follow_up.verification, follow_up.verified_by, follow_up.verified_at = text, actor, now().at
    follow_up.save(update_fields=["status", "verification", "verified_by", "verified_at"])
    _event(follow_up, "follow_up_verified", actor, {})
    return follow_up


@transaction.atomic
def follow_up_answer(*, actor: User, follow_up: FollowUp, rectification: str, answer: str) -> FollowUp:
    """整改并答复: what was put right, and the answer the applicant reads."""
    follow_up = _lock(follow_up)
    _require_department(actor, follow_up)
    errors: dict[str, str] = {}
    rectification = _text(errors, "rectification", rectification, "整改措施")
    answer = _text(errors, "answer", answer, "答复内容")
    if errors:
        raise InvalidFields(f"有 {len(errors)} 处需要填写", errors=errors, code="follow_up_invalid")
    _move(follow_up, FollowUpAction.ANSWER)
    moment = now()
    follow_up.rectification, follow_up.answer = rectification, answer
    follow_up.answered_by, follow_up.answered_at, follow_up.answered_on = actor, moment.at, moment.on
    follow_up.save(update_fields=["status", "rectification", "answer", "answered_by", "answered_at", "answered_on"])
    _event(follow_up, "follow_up_answered", actor, {"on_time": moment.on <= follow_up.answer_due_on})
    return follow_up


@transaction.atomic
def follow_up_settle(*, actor: User, rating: Rating, settled: bool) -> FollowUp:
    """The applicant says whether the answer settled the matter (满意 / 不满意 with the answer)."""
    rating = selectors.rating_get_for_rater(user=actor, rating_id=rating.pk)
    follow_up = FollowUp.objects.filter(rating=rating).first()
    if follow_up is None:
        raise Conflict("该评价没有整改答复", code="no_follow_up")
    follow_up = _lock(follow_up)
    _move(follow_up, FollowUpAction.SETTLE if settled else FollowUpAction.UNSETTLE)
    follow_up.settled_at = now().at
    follow_up.save(update_fields=["status", "settled_at"])
    _event(follow_up, "follow_up_settled", actor, {"settled": settled})
    return follow_up


def _escalate_one(follow_up_id: int, today: dt.date) -> bool:
    with transaction.atomic():
        follow_up = _lock(FollowUp(pk=follow_up_id))
        status = FollowUpStatus(follow_up.status)
        due_on = pending_due_on(status, deadlines_of(follow_up))
        if follow_up.escalated_stage == status.value or not is_overdue(today, due_on):
            return False
        follow_up.escalated_at, follow_up.escalated_stage = now().at, status.value
        follow_up.save(update_fields=["escalated_at", "escalated_stage"])
        _event(follow_up, "follow_up_escalated", None, {"due_on": due_on.isoformat() if due_on else None})
        _tell_supervisors(follow_up, status)
        return True


def _tell_supervisors(follow_up: FollowUp, status: FollowUpStatus) -> None:
    """督办: the supervisors above the department are told after the commit (no personal data)."""
    stage = "核实" if status is FollowUpStatus.AWAITING_VERIFICATION else "整改答复"
    body = (
        f"【政务服务】差评整改逾期：{follow_up.department.display_name}的一件差评{stage}已超过期限，"
        f"请登录平台督办（差评整改 #{follow_up.pk}）。"
    )
    for supervisor in selectors.supervisors_of(follow_up.department):
        key = f"evaluation.escalated:{follow_up.pk}:{status.value}:{supervisor.pk}"
        transaction.on_commit(partial(_send, supervisor, body, key))


def _send(recipient: User, body: str, key: str) -> None:
    notify_send(recipient=recipient, subject="差评整改逾期督办", body=body, topic=ESCALATION_TOPIC, dedupe_key=key)


def deadlines_of(follow_up: FollowUp) -> FollowUpDeadlines:
    return FollowUpDeadlines(follow_up.verify_due_on, follow_up.answer_due_on)


def follow_ups_escalate_overdue(*, today: dt.date | None = None) -> str:
    """The periodic job: each follow-up past its current deadline goes to the supervisors once per stage
    (verification overdue, then answer overdue). Idempotent."""
    today = today or now().on
    candidates = FollowUp.objects.filter(
        status__in=[FollowUpStatus.AWAITING_VERIFICATION, FollowUpStatus.VERIFIED]
    ).values_list("pk", flat=True)
    escalated = sum(_escalate_one(pk, today) for pk in candidates)
    return f"{escalated} escalated"
