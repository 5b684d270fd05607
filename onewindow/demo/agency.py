"""The demo's agency service (代办): the agent 冯帮办 (`agent`) acts for 云川晓雯科技有限公司, whose
representative `linxiaowen` authorised them online (every action, for a year), and serves one key
project free of charge, assigned by the city's key-project office; the demo case in review is linked
to that project's planning-permit milestone, so its page shows 免费代办.

Through the real services, loaded once: an agent who holds an authorisation already is left alone.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from onewindow.agency.domain import ALL_ACTIONS
from onewindow.agency.models import Authorisation
from onewindow.agency.services import authorisation_grant_online, project_agent_assign
from onewindow.cases.domain import CaseStatus
from onewindow.cases.models import Case
from onewindow.orgs.models import Applicant, User
from onewindow.projects.domain import MilestoneKind
from onewindow.projects.models import Milestone, Project
from onewindow.projects.services.roadmap import milestone_link_case

AGENT, GRANTOR, OFFICE = "agent", "linxiaowen", "project_office"
LINKED_CASE_OWNER = "chenzihang"  # the demo's case in review (demo/cases.py)


@transaction.atomic
def agency_load(*, today: dt.date) -> int:
    """The demo agent's authorisations (how many were created: 0 on a second run)."""
    agent = User.objects.filter(username=AGENT).first()
    if agent is None or Authorisation.objects.filter(agent=agent).exists():
        return 0
    grantor = User.objects.get(username=GRANTOR)
    authorisation_grant_online(
        actor=grantor,
        applicant=Applicant.objects.get(user=grantor, kind=Applicant.Kind.ENTERPRISE),
        agent=agent,
        scope=[ALL_ACTIONS],
        valid_from=today,
        valid_until=today + dt.timedelta(days=365),
    )
    milestone = (
        Milestone.objects.filter(kind=MilestoneKind.APPROVAL, project__roadmap__isnull=False)
        .select_related("project")
        .order_by("project__code", "position")
        .first()
    )
    project = milestone.project if milestone is not None else Project.objects.order_by("code").first()
    if project is None:
        return 1
    office = User.objects.get(username=OFFICE)
    project_agent_assign(actor=office, project=project, agent=agent)
    case = Case.objects.filter(applicant__user__username=LINKED_CASE_OWNER, status=CaseStatus.IN_REVIEW).first()
    if milestone is not None and case is not None:
        milestone_link_case(actor=office, project=project, milestone_id=milestone.pk, case_number=case.number)
    return 2
