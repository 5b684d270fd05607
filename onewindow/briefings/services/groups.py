"""Groups of projects, written the same way whatever they are: campaigns (百日攻坚) and concentrated
starts (集中开工). `GroupWrites` names a kind's stream, audit actions and refusals; the steps are
written once: only a key-project office creates a group (organised by its region) and names its
projects; an office managing every project of a group adds and removes them. Each write is
audited on the group's stream (campaign:<id>, start_event:<id>).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic

from django.db import transaction
from django.utils.functional import Promise

from onewindow.audit.services import audit_record
from onewindow.briefings.selectors.access import is_office
from onewindow.briefings.selectors.groups import Group, GroupKind, can_manage_group, office_organising_region
from onewindow.briefings.services.members import projects_by_codes
from onewindow.errors import NotFound, PermissionDenied
from onewindow.orgs.models import User


@dataclass(frozen=True)
class GroupWrites(Generic[Group]):
    """A kind's words. Its codes and audit actions are named after `stream` and `member`:
    `<stream>_office_required`, `<stream>_not_managed`, `<stream>_<member>_not_found`, and the
    actions `<stream>_create`, `<stream>_<member>s_add`, `<stream>_<member>_remove`."""

    kind: GroupKind[Group]
    stream: str  # the stream's prefix: "campaign", "start_event"
    member: str  # what a project is in the group: "member", "project"
    office_required: Promise
    not_managed: Promise
    member_not_found: Promise

    @property
    def added(self) -> str:
        return f"{self.stream}_{self.member}s_add"

    @property
    def removed(self) -> str:
        return f"{self.stream}_{self.member}_remove"

    def audit(self, group: Group, action: str, actor: User, changes: Mapping[str, object]) -> None:
        audit_record(
            stream=f"{self.stream}:{group.pk}",
            action=f"briefings.{action}",
            target_type=self.kind.model._meta.label_lower,
            target_id=group.pk,
            actor=actor,
            changes=dict(changes),
        )

    def require_office(self, actor: User) -> None:
        if not is_office(actor):
            raise PermissionDenied(str(self.office_required), code=f"{self.stream}_office_required")


@transaction.atomic
def group_create(
    writes: GroupWrites[Group],
    *,
    actor: User,
    values: Mapping[str, Any],
    summary: Mapping[str, object],
    project_codes: list[str],
) -> Group:
    """A new group with `values` (checked by the caller) and the projects named, organised by the
    actor's office region; audited with the caller's `summary`, the region and the project codes."""
    projects = projects_by_codes(actor, project_codes) if project_codes else []
    region = office_organising_region(actor)
    group = writes.kind.model.objects.create(**values, region=region)
    group.projects.add(*projects)
    changes = {**summary, "region": region.code if region else None, "projects": [p.code for p in projects]}
    writes.audit(group, f"{writes.stream}_create", actor, changes)
    return group


def _lock_managed(writes: GroupWrites[Group], actor: User, group_id: int) -> Group:
    group = writes.kind.model.objects.select_for_update().filter(pk=group_id).first()
    if group is None:
        raise NotFound(str(writes.kind.not_found), code=writes.kind.not_found_code)
    writes.require_office(actor)
    if not can_manage_group(actor, group):
        raise PermissionDenied(str(writes.not_managed), code=f"{writes.stream}_not_managed")
    return group


@transaction.atomic
def group_projects_add(writes: GroupWrites[Group], *, actor: User, group: Group, project_codes: list[str]) -> Group:
    group = _lock_managed(writes, actor, group.pk)
    projects = projects_by_codes(actor, project_codes)
    group.projects.add(*projects)
    writes.audit(group, writes.added, actor, {"projects": [p.code for p in projects]})
    return group


@transaction.atomic
def group_project_remove(writes: GroupWrites[Group], *, actor: User, group: Group, project_id: int) -> Group:
    group = _lock_managed(writes, actor, group.pk)
    project = group.projects.filter(pk=project_id).first()
    if project is None:
        raise NotFound(str(writes.member_not_found), code=f"{writes.stream}_{writes.member}_not_found")
    group.projects.remove(project)
    writes.audit(group, writes.removed, actor, {"project": project.code})
    return group
