"""Recording ratings: a case's (the service as a whole and each department that handled it), a window
service's (the 评价器 tablet), through the portal, the API, the tablet or the SMS link; the applicant's
skip; the invitation a case's end opens (with its SMS link, sent after the commit).

One rating per service whatever the channel: the database's `rating_one_per_service` decides between
two concurrent submissions; the loser gets `Conflict` code `rating_exists` (409).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, transaction

from onewindow.cases.domain import CaseStatus
from onewindow.cases.models import Case, CaseMatter
from onewindow.cases.selectors import lead_department
from onewindow.cases.services.endings import CaseEnding
from onewindow.errors import Conflict, InvalidFields, PermissionDenied
from onewindow.evaluation import selectors
from onewindow.evaluation.domain import Channel, Level, Subject, is_bad, rating_errors, subject_key
from onewindow.evaluation.models import Invitation, Rating, ReasonTag, Skip, WindowService
from onewindow.evaluation.services.common import (
    INVITATION_TARGET,
    RATING_TARGET,
    WINDOW_SERVICE_TARGET,
    now,
    rating_stream,
    record,
)
from onewindow.evaluation.services.follow_ups import follow_up_open
from onewindow.evaluation.services.links import kiosk_token_read, link_invalid, sms_token_read
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation, User, Window
from onewindow.orgs.selectors import holds_role_over


def rating_exists() -> Conflict:
    return Conflict("该服务已经评价过：一次服务只评价一次，评价提交后不可修改", code="rating_exists")


@dataclass(frozen=True)
class Given:
    """What the rater gave: the level, the reasons (lower levels), the text, whether they may be called."""

    level: int | None
    tags: tuple[str, ...] = ()
    comment: str = ""
    may_contact: bool = False


def _check(given: Given, prefix: str = "") -> dict[str, str]:
    known = ReasonTag.objects.filter(is_active=True).values_list("code", flat=True)
    errors = rating_errors(given.level, given.tags, given.comment.strip(), known_tags=list(known))
    return {f"{prefix}{key}": message for key, message in errors.items()}


def _insert(rating: Rating, *, actor: User | None) -> Rating:
    """Save in a savepoint: a concurrent rating of the same service makes this one a clear 409."""
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError:
        raise rating_exists() from None
    record(
        stream=rating_stream(rating.pk),
        action="evaluation.rated",
        target_type=RATING_TARGET,
        target_id=rating.pk,
        actor=actor,
        organisation=rating.department,
        changes={
            "subject_key": rating.subject_key,
            "channel": rating.channel,
            "level": rating.level,
            "tags": rating.tags,
            "may_contact": rating.may_contact,
        },
    )
    if is_bad(rating.level):
        follow_up_open(rating=rating)
    return rating


def _rating(given: Given, *, channel: Channel, rater: User | None, **where: object) -> Rating:
    moment = now()
    return Rating(
        channel=channel,
        level=Level(given.level or 0),
        tags=list(given.tags),
        comment=given.comment.strip(),
        may_contact=given.may_contact,
        rater=rater,
        rated_at=moment.at,
        rated_on=moment.on,
        month=moment.month,
        **where,
    )


# --- a case --------------------------------------------------------------------------------------------


def _matter_id(case: Case) -> int | None:
    if case.matter_version is not None:
        return case.matter_version.matter_id
    first = CaseMatter.objects.filter(case=case).select_related("matter_version").order_by("pk").first()
    return first.matter_version.matter_id if first else None


def _answering_department(case: Case, departments: list[Organisation]) -> Organisation:
    """Who answers for the case as a whole: its deciding department, else the first that handled it."""
    return lead_department(case) or (departments[0] if departments else case.region)


def _require_ended(case: Case) -> None:
    if case.status not in selectors.ENDED:
        raise Conflict("办件办结后才能评价", code="case_not_ended")


def _department_errors(by_department: Mapping[int, Given], known: Iterable[int]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for department_id, given in by_department.items():
        if department_id not in set(known):
            errors[f"department_{department_id}"] = "该部门未办理此办件"
        else:
            errors |= _check(given, prefix=f"department_{department_id}_")
    return errors


@transaction.atomic
def case_rate(
    *,
    case: Case,
    rater: User | None,
    channel: Channel,
    given: Given,
    by_department: Mapping[int, Given] | None = None,
) -> list[Rating]:
    """Rate an ended case as a whole and (optionally) each department that handled it: the case's
    rating first. Every problem at once (`rating_invalid`); an existing rating is `rating_exists`."""
    case = Case.objects.select_for_update(of=("self",)).select_related("region", "matter_version").get(pk=case.pk)
    _require_ended(case)
    departments = selectors.case_departments(case)
    by_department = {k: v for k, v in (by_department or {}).items() if v.level is not None}
    errors = _check(given) | _department_errors(by_department, [d.pk for d in departments])
    if errors:
        raise InvalidFields(f"评价有 {len(errors)} 处需要修改", errors=errors, code="rating_invalid")
    common = {"case": case, "region": case.region, "matter_id": _matter_id(case)}
    key = subject_key(Subject.CASE, case_id=case.pk)
    if Rating.objects.filter(subject_key=key).exists():
        raise rating_exists()
    overall = _rating(
        given,
        channel=channel,
        rater=rater,
        subject=Subject.CASE,
        subject_key=key,
        department=_answering_department(case, departments),
        **common,
    )
    ratings = [_insert(overall, actor=rater)]
    for department in departments:
        if department.pk in by_department:
            key = subject_key(Subject.CASE_DEPARTMENT, case_id=case.pk, department_id=department.pk)
            one = _rating(
                by_department[department.pk],
                channel=channel,
                rater=rater,
                subject=Subject.CASE_DEPARTMENT,
                subject_key=key,
                department=department,
                **common,
            )
            ratings.append(_insert(one, actor=rater))
    return ratings


@transaction.atomic
def rating_skip(*, case: Case, user: User, channel: Channel | str, context: str = "certificate") -> Skip:
    """The applicant (or their agent) chose not to rate now: recorded and audited; rating stays possible
    later, and nothing is withheld (先评价后取证 asks, never forces)."""
    case = selectors.case_for_rater(user=user, case_id=case.pk)
    _require_ended(case)
    skip = Skip.objects.create(case=case, user=user, channel=str(channel), context=context[:40], skipped_at=now().at)
    record(
        stream=f"evaluation_case:{case.pk}",
        action="evaluation.skipped",
        target_type=INVITATION_TARGET,
        target_id=case.pk,
        actor=user,
        organisation=case.region,
        changes={"channel": str(channel), "context": skip.context},
    )
    return skip


# --- the invitation and its SMS link -----------------------------------------------------------------


def invite_on_case_end(ending: CaseEnding) -> None:
    """`cases.services.endings` listener, inside the transaction that ended the case: once it commits, a
    task opens the case's invitation and sends its SMS link (`services.sending.rating_link_send`). The
    ending's own transaction pays no query for it; the portal asks anyway (`rating_prompt_due`)."""
    if CaseStatus(ending.status) not in selectors.ENDED:
        return
    from onewindow.evaluation.tasks import rating_link_send

    transaction.on_commit(partial(rating_link_send.enqueue, ending.case.pk))


@transaction.atomic
def invitation_open(*, case_id: int) -> Invitation | None:
    """The ended case's invitation (its SMS link's nonce), opened once, with its audit event."""
    case = Case.objects.select_related("region").filter(pk=case_id).first()
    if case is None or case.status not in selectors.ENDED:
        return None
    invitation, created = Invitation.objects.get_or_create(
        case=case, defaults={"created_at": now().at, "sms_nonce": secrets.token_hex(16)}
    )
    if created:
        record(
            stream=f"evaluation_case:{case.pk}",
            action="evaluation.invited",
            target_type=INVITATION_TARGET,
            target_id=case.pk,
            actor=None,
            organisation=case.region,
            changes={"status": case.status},
        )
    return invitation


@transaction.atomic
def sms_link_rate(*, token: str, given: Given) -> list[Rating]:
    """Rate through the SMS link, without logging in: once (the link is spent), before it expires."""
    invitation_id, nonce = sms_token_read(token)
    invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
    if invitation is None or not secrets.compare_digest(invitation.sms_nonce, nonce):
        raise link_invalid()
    if invitation.sms_used_at is not None:
        raise Conflict("该评价链接已使用过", code="link_used")
    case = Case.objects.select_related("applicant__user").get(pk=invitation.case_id)
    ratings = case_rate(case=case, rater=case.applicant.user, channel=Channel.SMS, given=given)
    invitation.sms_used_at = now().at
    invitation.save(update_fields=["sms_used_at"])
    record(
        stream=f"evaluation_case:{case.pk}",
        action="evaluation.sms_link_used",
        target_type=INVITATION_TARGET,
        target_id=case.pk,
        actor=None,
        organisation=case.region,
        changes={"rating_id": ratings[0].pk},
    )
    return ratings


def sms_link_case(token: str) -> Case:
    """The case an unspent SMS link rates (for its page), or the link's refusal."""
    invitation_id, nonce = sms_token_read(token)
    invitation = Invitation.objects.select_related("case").filter(pk=invitation_id).first()
    if invitation is None or not secrets.compare_digest(invitation.sms_nonce, nonce):
        raise link_invalid()
    if invitation.sms_used_at is not None:
        raise Conflict("该评价链接已使用过", code="link_used")
    return invitation.case


# --- the window's 评价器 -------------------------------------------------------------------------------


@transaction.atomic
def window_service_start(*, actor: User, window: Window, case: Case | None = None) -> WindowService:
    """The clerk opens the rating of the service just finished at their window, for the tablet."""
    region = window.hall.region
    if not holds_role_over(actor, region, [Role.CLERK]):
        raise PermissionDenied("只有本大厅的窗口人员可以开启窗口评价", code="not_a_clerk_here")
    service = WindowService.objects.create(window=window, clerk=actor, case=case, region=region, started_at=now().at)
    record(
        stream=f"evaluation_window_service:{service.pk}",
        action="evaluation.window_service_started",
        target_type=WINDOW_SERVICE_TARGET,
        target_id=service.pk,
        actor=actor,
        organisation=region,
        changes={"window_id": window.pk, "case_id": case.pk if case else None},
    )
    return service


def kiosk_service(token: str) -> WindowService:
    service = (
        WindowService.objects.select_related("window__hall", "window__department", "clerk", "case")
        .filter(pk=kiosk_token_read(token))
        .first()
    )
    if service is None:
        raise link_invalid()
    return service


@transaction.atomic
def window_rate(*, token: str, given: Given) -> Rating:
    """The applicant rates the window service on the tablet (no login): once per service."""
    service = kiosk_service(token)
    errors = _check(given)
    if errors:
        raise InvalidFields(f"评价有 {len(errors)} 处需要修改", errors=errors, code="rating_invalid")
    key = subject_key(Subject.WINDOW, window_service_id=service.pk)
    if Rating.objects.filter(subject_key=key).exists():
        raise rating_exists()
    window = service.window
    rating = _rating(
        given,
        channel=Channel.WINDOW,
        rater=None,
        subject=Subject.WINDOW,
        subject_key=key,
        window_service=service,
        case=service.case,
        department=window.department or service.region,
        region=service.region,
        matter_id=_matter_id(service.case) if service.case else None,
        window=window,
        clerk=service.clerk,
    )
    return _insert(rating, actor=None)
