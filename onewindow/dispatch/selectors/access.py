"""Who may do what in dispatch. Seeing a project is `projects_visible_to`; on top of it:

- reporters (progress and site reports, photos): the project's secretary (项目秘书) and chief
  service person (首席服务人), and the key-project office of its district or above;
- the project side (raise a problem, confirm or return an answer): any member of the project's
  service team, and the key-project office of its district or above;
- the assigned unit's staff (see and answer a problem): every member of the assigned unit, whatever
  their role, and the department heads (部门负责人) of any organisation above it;
- the office (cycles, late reporters, "not yet reported today"): any key-project office member, each
  seeing their own region's subtree;
- escalation by hand: the key-project office of the city above the project's district.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from onewindow.errors import PermissionDenied
from onewindow.orgs.domain import Role, is_within
from onewindow.orgs.models import Membership, Organisation, User
from onewindow.orgs.selectors import holds_role_over, membership_paths, organisations_visible_to, user_has_role
from onewindow.projects.domain import TeamRole
from onewindow.projects.models import Project, TeamMember
from onewindow.projects.selectors import is_project_office_for

REPORTER_TEAM_ROLES = frozenset({TeamRole.SECRETARY, TeamRole.CHIEF_SERVICE})
UNIT_HEAD_ROLES = frozenset({Role.DEPARTMENT_HEAD})


def team_roles(user: User, project: Project) -> set[TeamRole]:
    if not user.is_authenticated:
        return set()
    return {TeamRole(r) for r in TeamMember.objects.filter(project=project, user=user).values_list("role", flat=True)}


def is_office(user: User) -> bool:
    return user.is_authenticated and user_has_role(user, Role.PROJECT_OFFICE)


def require_office(user: User) -> None:
    if not is_office(user):
        raise PermissionDenied("只有重点项目办可以查看此页面", code="dispatch_office_only")


def is_reporter_for(user: User, project: Project) -> bool:
    return bool(team_roles(user, project) & REPORTER_TEAM_ROLES) or is_project_office_for(user, project)


def is_project_side(user: User, project: Project) -> bool:
    return bool(team_roles(user, project)) or is_project_office_for(user, project)


def units_staffed_by(user: User) -> QuerySet[Organisation]:
    """The units whose problems the user may answer: their own organisations (any role), and
    everything below the organisations where they are department head."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    headed = organisations_visible_to(user, roles=set(UNIT_HEAD_ROLES)).values("pk")
    return Organisation.objects.filter(Q(path__in=membership_paths(user)) | Q(pk__in=headed))


def is_unit_staff_for(user: User, unit: Organisation) -> bool:
    return unit.path in membership_paths(user) or holds_role_over(user, unit, UNIT_HEAD_ROLES)


def city_of(organisation: Organisation) -> Organisation:
    """The city an organisation belongs to (the nearest city up the tree, else the tree's root)."""
    node = organisation
    while node.level != Organisation.Level.CITY and node.parent_id is not None:
        node = Organisation.objects.get(pk=node.parent_id)
    return node


def is_city_office_for(user: User, project: Project) -> bool:
    """A key-project office member of a city above the project's district (escalates by hand)."""
    if not user_has_role(user, Role.PROJECT_OFFICE):
        return False
    paths = Membership.objects.filter(
        user=user, role=Role.PROJECT_OFFICE, organisation__level=Organisation.Level.CITY
    ).values_list("organisation__path", flat=True)
    return is_within(project.district.path, list(paths))
