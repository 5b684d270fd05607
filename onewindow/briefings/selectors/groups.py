"""Groups of projects, read the same way whatever they are: campaigns (百日攻坚) and concentrated
starts (集中开工). A `GroupKind` names the model and its words; the reads are written once.

Who sees a group: whoever sees one of its projects (projects_visible_to); and a key-project office
sees the groups its region organises, and those organised above or below it, before they hold any
of its projects (a city-wide campaign is there for every district to join). A group recorded
before regions (region empty) shows to every office, as all empty groups did then. An office
manages a group (adds and removes projects) when every project in it lies in the office's region.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Q, QuerySet
from django.utils.functional import Promise

from onewindow.briefings.selectors.access import is_office, manages_all
from onewindow.errors import NotFound
from onewindow.orgs.domain import Role, path_and_ancestors
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.selectors import membership_paths, organisations_visible_to
from onewindow.projects.models import Campaign, StartEvent
from onewindow.projects.selectors import projects_visible_to

Group = TypeVar("Group", Campaign, StartEvent)


@dataclass(frozen=True)
class GroupKind(Generic[Group]):
    model: type[Group]
    not_found: Promise  # the message of a group one may not see, as of a missing one
    not_found_code: str


def office_organising_region(user: User) -> Organisation | None:
    """Where a group the user creates as key-project office is organised: their highest office."""
    paths = membership_paths(user, {Role.PROJECT_OFFICE})
    return Organisation.objects.filter(path__in=paths).order_by("depth", "path").first()


def _organised_for_office(user: User) -> Q:
    paths = membership_paths(user, {Role.PROJECT_OFFICE})
    above = {ancestor for path in paths for ancestor in path_and_ancestors(path)}
    below = organisations_visible_to(user, roles={Role.PROJECT_OFFICE})
    return Q(region__isnull=True) | Q(region__path__in=above) | Q(region__in=below)


def groups_visible_to(kind: GroupKind[Group], user: User) -> QuerySet[Group]:
    if not user.is_authenticated:
        return kind.model.objects.none()
    condition = Q(projects__in=projects_visible_to(user).values("pk"))
    if is_office(user):
        condition |= _organised_for_office(user)
    return kind.model.objects.filter(pk__in=kind.model.objects.filter(condition).values("pk"))


def group_get_for_user(kind: GroupKind[Group], user: User, group_id: int) -> Group:
    group = groups_visible_to(kind, user).filter(pk=group_id).first()
    if group is None:
        raise NotFound(str(kind.not_found), code=kind.not_found_code)
    return group


def can_manage_group(user: User, group: Campaign | StartEvent) -> bool:
    return manages_all(user, group.projects.all())
