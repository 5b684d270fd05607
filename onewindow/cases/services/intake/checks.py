"""Who may act at intake, and whether the case's status and the intake limit (Art. 32) allow the action."""

from __future__ import annotations

import datetime as dt

from onewindow.agency.domain import AgencyAction
from onewindow.agency.models import Authorisation
from onewindow.agency.selectors import agency_permit
from onewindow.cases import domain
from onewindow.cases.domain import CaseAction, CaseStatus
from onewindow.cases.models import ONLINE_CHANNELS, Case, Channel
from onewindow.cases.services.access import refusal
from onewindow.cases.services.locking import LockedCase
from onewindow.errors import DomainError, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, Organisation, User
from onewindow.orgs.selectors import holds_role_over, user_has_role


def require_clerk(actor: User | None, case: Case) -> None:
    if not holds_role_over(actor, case.region, {Role.CLERK}):
        refused = PermissionDenied("只有本辖区的窗口人员可以办理该受理事项", code="not_clerk_of_region")
        raise refusal(actor, case, refused)


def is_applicant_user(actor: User | None, applicant: Applicant) -> bool:
    return actor is not None and applicant.user_id is not None and applicant.user_id == actor.pk


def require_applicant_or_clerk(actor: User | None, case: Case, action: AgencyAction) -> Authorisation | None:
    """The applicant, a clerk of the region, or an agent within a valid authorisation (returned)."""
    if is_applicant_user(actor, case.applicant) or holds_role_over(actor, case.region, {Role.CLERK}):
        return None
    permit = agency_permit(actor, applicant=case.applicant, action=action, case=case)
    if permit.authorisation is not None:
        return permit.authorisation
    refused = permit.refused or PermissionDenied(
        "只有申请人本人或本辖区的窗口人员可以办理", code="not_applicant_or_clerk"
    )
    raise refusal(actor, case, refused)


def require_submitter(
    *, actor: User | None, applicant: Applicant, region: Organisation, channel: str
) -> Authorisation | None:
    """Who may submit; an agent filing online for the applicant: the authorisation they act under."""
    if channel in ONLINE_CHANNELS:  # the portal or the mobile app: the applicant's own account
        if is_applicant_user(actor, applicant):
            return None
        permit = agency_permit(actor, applicant=applicant, action=AgencyAction.SUBMIT)
        if permit.authorisation is None:
            raise permit.refused or PermissionDenied(
                "网上申报只能以本人账号关联的申请人身份提交", code="not_applicant_user"
            )
        return permit.authorisation
    if channel == Channel.WINDOW:
        if not holds_role_over(actor, region, {Role.CLERK}):
            raise PermissionDenied("只有本辖区的窗口人员可以在窗口代为申报", code="not_clerk_of_region")
        return None
    raise DomainError("申报渠道只能是网上申报、移动端申报或窗口受理", code="invalid_channel", field="channel")


def check_green_channel(actor: User | None, is_green_channel: bool) -> None:
    """Key projects get the green channel from staff, never by the applicant's own choice."""
    if is_green_channel and (actor is None or not user_has_role(actor, Role.CLERK, Role.PROJECT_OFFICE)):
        raise PermissionDenied("绿色通道须由窗口人员或重点项目办标记", code="green_channel_not_allowed")


def check_agent(agent: User | None) -> None:
    if agent is not None and not user_has_role(agent, Role.AGENT):
        raise DomainError("所选代办员没有代办员角色", code="invalid_agent", field="agent")


def expect(case: Case, action: CaseAction) -> None:
    """Refuse early (before validating anything) when the case's status does not allow `action`."""
    domain.next_case_status(CaseStatus(case.status), action)


def deemed_on(locked: LockedCase, action: CaseAction, today: dt.date) -> dt.date | None:
    """Art. 32 at the point of action (the case locked): once the intake limit has passed, the day the
    case counts as accepted, and only an acceptance may follow (`IntakeLimitPassed` otherwise); None
    while the clerk still has time."""
    calendar = locked.calendar
    case = locked.case
    on = domain.deemed_accepted_on(CaseStatus(case.status), case.received_on, today, calendar)
    if on is not None:
        domain.intake_action_after_limit(action, received_on=on, calendar=calendar)
    return on
