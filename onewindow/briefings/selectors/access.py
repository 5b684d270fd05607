"""Who is a key-project office, and which projects an office manages."""

from __future__ import annotations

from django.db.models import QuerySet

from onewindow.orgs.domain import Role
from onewindow.orgs.models import User
from onewindow.orgs.selectors import organisations_visible_to, user_has_role
from onewindow.projects.models import Project


def is_office(user: User) -> bool:
    return user.is_authenticated and user_has_role(user, Role.PROJECT_OFFICE)


def office_projects(user: User) -> QuerySet[Project]:
    """The projects the user manages as key-project office (their region's subtree)."""
    if not is_office(user):
        return Project.objects.none()
    return Project.objects.filter(district__in=organisations_visible_to(user, roles={Role.PROJECT_OFFICE}))


def manages_all(user: User, projects: QuerySet[Project]) -> bool:
    """An office manages a set of projects when none of them lies outside its region."""
    return is_office(user) and not projects.exclude(pk__in=office_projects(user).values("pk")).exists()
