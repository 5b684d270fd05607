"""Scoped reads of key projects. Who sees what:

- the key-project office (重点项目办) sees the projects of its region's subtree (the city's office
  sees every project, a district's office its district's);
- a member of a project's service team (包联领导, 首席服务人, 项目秘书, 企业特派员) sees that project;
- a leader (领导) sees the projects they hold as responsible leader.

Every page and endpoint of the key-project half reads projects through `projects_visible_to`.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from onewindow.errors import NotFound
from onewindow.orgs.domain import Role
from onewindow.orgs.models import User
from onewindow.orgs.selectors import organisations_visible_to, user_has_role
from onewindow.projects.models import Project


def projects_visible_to(user: User) -> QuerySet[Project]:
    if not user.is_authenticated:
        return Project.objects.none()
    condition = Q(team__user=user)
    if user_has_role(user, Role.PROJECT_OFFICE):
        condition |= Q(district__in=organisations_visible_to(user, roles={Role.PROJECT_OFFICE}))
    return Project.objects.filter(pk__in=Project.objects.filter(condition).values("pk"))


def project_get_for_user(user: User, project_id: int) -> Project:
    """The project if the user may see it; the same "not found" for missing and forbidden."""
    project = projects_visible_to(user).select_related("district", "responsible_unit").filter(pk=project_id).first()
    if project is None:
        raise NotFound("未找到该项目", code="project_not_found")
    return project


def is_project_office_for(user: User, project: Project) -> bool:
    """Whether the user manages the project as key-project office of its district or above."""
    if not user_has_role(user, Role.PROJECT_OFFICE):
        return False
    return organisations_visible_to(user, roles={Role.PROJECT_OFFICE}).filter(pk=project.district_id).exists()
