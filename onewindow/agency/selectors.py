"""Scoped reads of the agency service. Who sees what:

- an agent (Role.AGENT) sees the authorisations given to them, and represents (sees and acts on, within
  the scope) the cases of each applicant whose authorisation is valid today, plus the cases linked to
  the roadmap of a key project whose agent they are; drafts only those they saved themselves. Nothing
  else: an expired or revoked authorisation shows no case (404, like a missing one);
- an applicant's online account sees the authorisations of its applicants;
- a clerk sees those recorded at the windows (or granted online to agents) of their region's subtree;
- the key-project office sees the key-project assignments of its subtree.

`cases.selectors.visible_cases` adds `represented_cases_condition` for agents; the cases' services ask
`agency_permit` whether an agent may take an action for an applicant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case as CaseExpression
from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from onewindow.agency.domain import AgencyAction, Basis, acting_note, decide
from onewindow.agency.models import Authorisation
from onewindow.cases.domain import OPEN_CASE_STATUSES, CaseStatus
from onewindow.cases.models import Case, ClockStop
from onewindow.errors import NotFound, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, User
from onewindow.orgs.selectors import organisations_visible_to, user_has_role
from onewindow.projects.models import Milestone, Project

AUTHORISATION_RELATED = ("agent", "applicant", "project", "region", "recorded_by", "revoked_by")
OPEN_FIRST = CaseExpression(
    When(status__in=sorted(OPEN_CASE_STATUSES), then=Value(0)), default=Value(1), output_field=IntegerField()
)


def is_agent(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active and user_has_role(user, Role.AGENT)


def live_on(today: dt.date) -> Q:
    """Authorisations valid on `today` (not revoked, within their period)."""
    return Q(revoked_at__isnull=True, valid_from__lte=today) & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))


def authorisation_not_found() -> NotFound:
    return NotFound("未找到该委托", code="authorisation_not_found")


# --- the cases an agent represents ------------------------------------------------------------------


def represented_cases_condition(user: User, *, today: dt.date | None = None) -> Q | None:
    """The cases `user` represents as agent today (None: the user is no agent), as a condition on Case."""
    if not is_agent(user):
        return None
    grants = Authorisation.objects.filter(live_on(today or timezone.localdate()), agent=user)
    projects = grants.filter(project__isnull=False).values("project_id")
    linked = Milestone.cases.through.objects.filter(case_id=OuterRef("pk"), milestone__project__in=projects)
    someone_elses_draft = Q(status=CaseStatus.DRAFT) & ~Q(submitted_by=user)
    return (Q(applicant__in=grants.values("applicant_id")) | Exists(linked)) & ~someone_elses_draft


def represented_cases(user: User) -> QuerySet[Case]:
    """代办工作台: the cases the agent represents, open ones first by their next due date (the decision's,
    else the intake decision's), each with whether a department's request for supplementary material
    waits for the agent (`awaiting_supplement`)."""
    condition = represented_cases_condition(user)
    if condition is None:
        return Case.objects.none()
    waiting = ClockStop.objects.filter(
        case=OuterRef("pk"), task__isnull=False, reason=ClockStop.Reason.SUPPLEMENT, last_on__isnull=True
    )
    return (
        Case.objects.filter(condition)
        .select_related("applicant", "region")
        .annotate(awaiting_supplement=Exists(waiting), next_due_on=Coalesce("due_on", "intake_due_on"))
        .order_by(OPEN_FIRST, F("next_due_on").asc(nulls_last=True), "-id")
    )


def applicants_agent_files_for(user: User, *, today: dt.date | None = None) -> list[Applicant]:
    """The applicants the agent may submit for today (a valid authorisation whose scope holds submit)."""
    if not is_agent(user):
        return []
    grants = Authorisation.objects.filter(live_on(today or timezone.localdate()), agent=user).select_related(
        "applicant"
    )
    found = {grant.applicant_id: grant.applicant for grant in grants if AgencyAction.SUBMIT.value in grant.scope}
    return sorted(found.values(), key=lambda applicant: (applicant.kind, applicant.pk))


@dataclass(frozen=True)
class AgencyPermit:
    """Whether an agent may take an action for an applicant: the authorisation they act under, or the
    refusal telling why not (both None: the user holds no authorisation for the applicant at all)."""

    authorisation: Authorisation | None = None
    refused: PermissionDenied | None = None


def agency_permit(
    actor: User | None, *, applicant: Applicant, action: AgencyAction, case: Case | None = None
) -> AgencyPermit:
    """Decide with the actor's authorisations for the applicant (or, for `case`, for a key project whose
    roadmap links it). A user who is no agent costs no query."""
    if not is_agent(actor):
        return AgencyPermit()
    covers = Q(applicant=applicant)
    if case is not None and case.pk is not None:
        covers |= Q(project__milestones__cases=case)
    grants = list(Authorisation.objects.filter(covers, agent=actor).select_related("project").distinct().order_by("id"))
    decision = decide([grant.grant for grant in grants], action, timezone.localdate())
    if decision.allowed is not None:
        return AgencyPermit(authorisation=grants[decision.allowed])
    return AgencyPermit(refused=decision.refused)


# --- what a case page says of its agents ------------------------------------------------------------


@dataclass(frozen=True)
class CaseAgency:
    """Who represents the case today, and whether free of charge (a key project's agent)."""

    agents: list[User]
    is_free: bool

    def __bool__(self) -> bool:
        return bool(self.agents)


def case_agency(case: Case) -> CaseAgency:
    """The agents with a valid authorisation covering the case (its applicant's, or its key project's)."""
    linked_projects = Milestone.objects.filter(cases=case).values("project_id")
    grants = (
        Authorisation.objects.filter(live_on(timezone.localdate()))
        .filter(Q(applicant_id=case.applicant_id) | Q(project__in=linked_projects))
        .select_related("agent")
        .order_by("id")
    )
    agents: dict[int, User] = {}
    is_free = False
    for grant in grants:
        agents.setdefault(grant.agent_id, grant.agent)
        is_free = is_free or grant.is_free
    return CaseAgency(agents=list(agents.values()), is_free=is_free)


def project_agent_authorisation(project: Project) -> Authorisation | None:
    """The key project's current agency assignment (free of charge), if any."""
    return (
        Authorisation.objects.filter(project=project, revoked_at__isnull=True)
        .select_related("agent", "applicant")
        .first()
    )


def project_agent(project: Project) -> User | None:
    assigned = project_agent_authorisation(project)
    return assigned.agent if assigned is not None else None


def agents_to_choose() -> QuerySet[User]:
    """Active users holding the agent role (代办员), whom an authorisation may name."""
    return (
        User.objects.filter(is_active=True, memberships__role=Role.AGENT.value).distinct().order_by("name", "username")
    )


def agent_find(agent_id: int | None) -> User | None:
    """An active agent by id (None for an unknown id, a user without the role, or none given)."""
    if agent_id is None:
        return None
    return agents_to_choose().filter(pk=agent_id).first()


# --- authorisations ---------------------------------------------------------------------------------


def authorisations_visible_to(user: User) -> QuerySet[Authorisation]:
    if not (user.is_authenticated and user.is_active):
        return Authorisation.objects.none()
    condition = Q(agent=user) | Q(applicant__user=user)
    if user_has_role(user, Role.CLERK):
        regions = organisations_visible_to(user, roles={Role.CLERK}).values("id")
        condition |= ~Q(basis=Basis.KEY_PROJECT) & Q(region__in=regions)
    if user_has_role(user, Role.PROJECT_OFFICE):
        regions = organisations_visible_to(user, roles={Role.PROJECT_OFFICE}).values("id")
        condition |= Q(basis=Basis.KEY_PROJECT, region__in=regions)
    return Authorisation.objects.filter(condition)


def authorisation_list(user: User) -> QuerySet[Authorisation]:
    """The authorisations the user may see, newest first."""
    return authorisations_visible_to(user).select_related(*AUTHORISATION_RELATED).order_by("-recorded_at", "-id")


def authorisation_get_for_user(user: User, authorisation_id: int) -> Authorisation:
    """The authorisation if the user may see it; otherwise the same NotFound as a missing one."""
    found = authorisation_list(user).filter(pk=authorisation_id).first()
    if found is None:
        raise authorisation_not_found()
    return found


def may_revoke(user: User, authorisation: Authorisation) -> bool:
    """The applicant's account or the agent (民法典 Art. 173), the windows of its region, or (a key
    project's) the project's key-project office."""
    if user.pk in {authorisation.agent_id, authorisation.applicant.user_id}:
        return True
    role = Role.PROJECT_OFFICE if authorisation.basis == Basis.KEY_PROJECT else Role.CLERK
    return organisations_visible_to(user, roles={role}).filter(pk=authorisation.region_id).exists()


def acting_record(
    authorisation: Authorisation | None, actor: User | None, action: AgencyAction
) -> tuple[str, dict[str, int]]:
    """What a step an agent took for the applicant adds to its timeline note and its audit event (the
    agent and the authorisation, by id); nothing for anyone else's step."""
    if authorisation is None or actor is None:
        return "", {}
    note = acting_note(agent_name=actor.name or actor.username, action=action, is_free=authorisation.is_free)
    return note, {"agent_id": actor.pk, "authorisation_id": authorisation.pk}
