"""Who sees and may act on which rating, follow-up and dispute.

- the applicant's account (and an agent acting for the applicant) sees the case's ratings and rates it;
- department staff (审核人员、部门负责人、牵头协调人) see the follow-ups of their departments' subtree and
  act on them; a supervisor (效能监察) or leader sees those of their region's subtree and decides disputes;
- a clerk sees their own window services; nobody else sees anything (the same 404 as a missing row).
Staff never see who gave a rating unless the rater agreed to be called back (`rater_shown`).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from onewindow.cases.domain import CaseStatus
from onewindow.cases.models import Case, Task
from onewindow.cases.selectors import case_get_for_applicant_user
from onewindow.errors import NotFound
from onewindow.evaluation.domain import Subject
from onewindow.evaluation.models import Dispute, FollowUp, Rating, ReasonTag, Skip
from onewindow.orgs.domain import Role, mask_name, mask_phone, path_and_ancestors
from onewindow.orgs.models import Organisation, User, Window
from onewindow.orgs.selectors import organisations_visible_to, user_has_role

ENDED = frozenset({CaseStatus.COMPLETED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN, CaseStatus.REVOKED})
DEPARTMENT_ROLES = {Role.REVIEWER, Role.DEPARTMENT_HEAD, Role.LEAD_COORDINATOR}
SUPERVISION_ROLES = {Role.SUPERVISOR, Role.LEADER}
FOLLOW_UP_ROLES = DEPARTMENT_ROLES | SUPERVISION_ROLES
RELATED = ("rating", "rating__case", "rating__window", "rating__rater", "department__parent")


def follow_up_not_found() -> NotFound:
    return NotFound("未找到该差评整改", code="follow_up_not_found")


def rating_not_found() -> NotFound:
    return NotFound("未找到该评价", code="rating_not_found")


def is_follow_up_staff(user: User) -> bool:
    return bool(user.is_authenticated and user_has_role(user, *FOLLOW_UP_ROLES))


def is_supervisor(user: User) -> bool:
    return bool(user.is_authenticated and user_has_role(user, *SUPERVISION_ROLES))


def is_clerk(user: User) -> bool:
    return bool(user.is_authenticated and user_has_role(user, Role.CLERK))


def _scope(user: User) -> QuerySet[Organisation]:
    return organisations_visible_to(user, roles=FOLLOW_UP_ROLES)


def follow_ups_visible_to(user: User) -> QuerySet[FollowUp]:
    if not is_follow_up_staff(user):
        return FollowUp.objects.none()
    return FollowUp.objects.filter(department__in=_scope(user).values("id"))


def ratings_visible_to_staff(user: User) -> QuerySet[Rating]:
    """Ratings of the departments (and regions) within the staff member's follow-up scope."""
    if not is_follow_up_staff(user):
        return Rating.objects.none()
    scope = _scope(user).values("id")
    return Rating.objects.filter(Q(department__in=scope) | Q(region__in=scope))


def disputes_visible_to(user: User) -> QuerySet[Dispute]:
    return Dispute.objects.filter(rating__in=ratings_visible_to_staff(user))


def follow_up_get_for_user(*, user: User, follow_up_id: int) -> FollowUp:
    row = follow_ups_visible_to(user).select_related(*RELATED).filter(pk=follow_up_id).first()
    if row is None:
        raise follow_up_not_found()
    return row


def rating_get_for_staff(*, user: User, rating_id: int) -> Rating:
    rating = ratings_visible_to_staff(user).select_related("case", "window", "department").filter(pk=rating_id).first()
    if rating is None:
        raise rating_not_found()
    return rating


def dispute_get_for_supervisor(*, user: User, dispute_id: int) -> Dispute:
    if not is_supervisor(user):
        raise NotFound("未找到该申诉", code="dispute_not_found")
    scope = organisations_visible_to(user, roles=SUPERVISION_ROLES).values("id")
    dispute = (
        Dispute.objects.select_related("rating")
        .filter(Q(rating__department__in=scope) | Q(rating__region__in=scope), pk=dispute_id)
        .first()
    )
    if dispute is None:
        raise NotFound("未找到该申诉", code="dispute_not_found")
    return dispute


def may_act_on(user: User, follow_up: FollowUp) -> bool:
    """The department concerned (or a unit above it) verifies, rectifies and answers; a comprehensive
    window's rating (answered for by the hall's region) by the region's supervisors."""
    is_department = follow_up.department.kind == Organisation.Kind.DEPARTMENT
    roles = DEPARTMENT_ROLES if is_department else FOLLOW_UP_ROLES
    return organisations_visible_to(user, roles=roles).filter(pk=follow_up.department_id).exists()


def supervisors_of(organisation: Organisation) -> QuerySet[User]:
    """The active supervisors (效能监察) of the organisation's region and the regions above it."""
    return User.objects.filter(
        is_active=True,
        memberships__role=Role.SUPERVISOR,
        memberships__organisation__path__in=path_and_ancestors(organisation.path),
    ).distinct()


# --- the applicant's side ----------------------------------------------------------------------------


def case_for_rater(*, user: User, case_id: int) -> Case:
    """The case if the user may rate it: the applicant's account, or an agent acting for the applicant."""
    return case_get_for_applicant_user(user=user, case_id=case_id)


def case_departments(case: Case) -> list[Organisation]:
    """The departments that handled the case: those of its review tasks, in their order."""
    ids = Task.objects.filter(case=case, kind=Task.Kind.REVIEW).values("department")
    return list(Organisation.objects.filter(pk__in=ids).select_related("parent").order_by("path"))


def case_ratings(case: Case) -> list[Rating]:
    return list(
        Rating.objects.filter(case=case, subject__in=[Subject.CASE, Subject.CASE_DEPARTMENT])
        .select_related("department__parent", "follow_up")
        .order_by("subject", "department__path")
    )


def _may_rate(user: User, case: Case) -> bool:
    try:
        case_for_rater(user=user, case_id=case.pk)
    except NotFound:
        return False
    return True


def rating_prompt_due(*, case: Case, user: User) -> bool:
    """先评价后取证: True when the case has ended, `user` may rate it (the applicant's account, or an agent
    acting for them), it has no rating yet and no recorded skip. Never a condition for anything: the
    certificate side shows the prompt, and goes on whatever the answer."""
    if not (user.is_authenticated and user.is_active) or case.status not in ENDED:
        return False
    if Rating.objects.filter(case=case, subject=Subject.CASE).exists():
        return False
    if Skip.objects.filter(case=case).exists():
        return False
    return _may_rate(user, case)


def ratings_of_user(user: User) -> QuerySet[Rating]:
    """The ratings of the user's cases (their own account's applicants) and the ones they gave."""
    if not user.is_authenticated:
        return Rating.objects.none()
    own_cases = Case.objects.filter(applicant__user=user).values("id")
    return (
        Rating.objects.filter(Q(rater=user) | Q(case__in=own_cases))
        .select_related("case", "department__parent", "window", "follow_up")
        .order_by("-rated_at", "-id")
    )


def rating_get_for_rater(*, user: User, rating_id: int) -> Rating:
    rating = ratings_of_user(user).filter(pk=rating_id).first()
    if rating is None:
        raise rating_not_found()
    return rating


# --- masking -----------------------------------------------------------------------------------------


def rater_shown(rating: Rating) -> str:
    """Who rated, as staff see it: only when the rater agreed to be called back (回访), else 匿名."""
    if not rating.may_contact:
        return "匿名（未同意回访）"
    rater = rating.rater
    if rater is None and rating.case_id is not None:
        rater = rating.case.applicant.user if rating.case else None
    if rater is None:
        return "匿名"
    phone = rater.phone or (rating.case.applicant.phone if rating.case else "")
    return f"{rater.name or rater.username} {phone}".strip()


def rater_masked(rating: Rating) -> str:
    """A list's view of the rater: masked even when they agreed to be called."""
    if not rating.may_contact or rating.rater is None:
        return "匿名"
    return f"{mask_name(rating.rater.name or '某')} {mask_phone(rating.rater.phone)}".strip()


def has_open_dispute(rating: Rating) -> bool:
    return Dispute.objects.filter(rating=rating, decision=Dispute.Decision.PENDING).exists()


def is_excluded(rating: Rating) -> bool:
    return Dispute.objects.filter(rating=rating, decision=Dispute.Decision.UPHELD).exists()


def excluded_condition() -> Exists:
    return Exists(Dispute.objects.filter(rating=OuterRef("pk"), decision=Dispute.Decision.UPHELD))


def windows_for_clerk(user: User) -> QuerySet[Window]:
    """The windows of the halls in the clerk's regions (where they may open a window rating)."""
    if not is_clerk(user):
        return Window.objects.none()
    regions = organisations_visible_to(user, roles={Role.CLERK}).values("id")
    return (
        Window.objects.filter(hall__region__in=regions).select_related("hall", "department").order_by("hall", "number")
    )


def reason_labels() -> dict[str, str]:
    """Every reason tag's name by its code (a retired tag keeps its name on the ratings that used it)."""
    return dict(ReasonTag.objects.values_list("code", "label"))
