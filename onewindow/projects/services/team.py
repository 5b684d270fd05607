"""The service team (包干 / 帮包): who holds each role of a project, and its responsible unit.

One person per role and project (a database constraint); one person may hold many projects (a
leader holds many). Assigning, replacing and removing are audited; the same team again is no change.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.errors import InvalidFields
from onewindow.orgs.models import Organisation, User
from onewindow.projects.domain import TEAM_ROLE_LABELS, TeamRole
from onewindow.projects.models import Project, TeamMember
from onewindow.projects.services.common import project_audit, project_lock, require_office


def _check_members(members: Mapping[str, User | None]) -> dict[TeamRole, User | None]:
    roles = {role.value: role for role in TeamRole}
    errors = {str(role): _("未知的专班职责“%(role)s”") % {"role": role} for role in members if role not in roles}
    errors |= {
        str(role): _("%(role)s须为在岗用户") % {"role": TEAM_ROLE_LABELS[roles[role]]}
        for role, user in members.items()
        if role in roles and user is not None and not user.is_active
    }
    if errors:
        raise InvalidFields(_("服务专班信息有误"), errors=errors, code="team_invalid")
    return {roles[role]: user for role, user in members.items()}


@transaction.atomic
def project_team_set(*, actor: User, project: Project, members: Mapping[str, User | None]) -> bool:
    """Assign, replace (a user) or remove (None) the holders of the given roles; other roles stay.

    True when anything changed; one audit event lists every change as role → [old user id, new].
    """
    project = project_lock(project.pk)
    require_office(actor, project)
    wanted = _check_members(members)
    current = {TeamRole(m.role): m for m in project.team.filter(role__in=[r.value for r in wanted])}
    diff: dict[str, list[int | None]] = {}
    for role, user in wanted.items():
        member = current.get(role)
        old_id = member.user_id if member is not None else None
        new_id = user.pk if user is not None else None
        if old_id == new_id:
            continue
        diff[role.value] = [old_id, new_id]
        if user is None:
            if member is not None:
                member.delete()
        elif member is None:
            TeamMember.objects.create(project=project, role=role, user=user)
        else:
            member.user = user
            member.save(update_fields=["user"])
    if diff:
        project_audit(project=project, action="team_changed", actor=actor, changes=diff)
    return bool(diff)


@transaction.atomic
def project_responsible_unit_set(*, actor: User, project: Project, unit: Organisation | None) -> bool:
    """Name the unit responsible for the project (None: none); True when it changed."""
    project = project_lock(project.pk)
    require_office(actor, project)
    new_id = unit.pk if unit is not None else None
    if project.responsible_unit_id == new_id:
        return False
    old = project.responsible_unit.code if project.responsible_unit is not None else None
    project.responsible_unit = unit
    project.save(update_fields=["responsible_unit", "updated_at"])
    changes = {"responsible_unit": [old, unit.code if unit is not None else None]}
    project_audit(project=project, action="responsible_unit_set", actor=actor, changes=changes)
    return True
