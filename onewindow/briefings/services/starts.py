"""Concentrated starts (集中开工): create an event, add and remove the projects starting that day.

The same office rules as campaigns: any key-project office creates an event; it manages an event
whose projects all lie in its region. Audited on the event's stream (start_event:<id>).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.briefings.selectors.access import is_office
from onewindow.briefings.selectors.starts import can_manage_start_event
from onewindow.briefings.services.members import projects_by_codes
from onewindow.errors import InvalidFields, NotFound, PermissionDenied
from onewindow.orgs.models import User
from onewindow.projects.models import StartEvent

TARGET_TYPE = "projects.startevent"


def _require_office(actor: User) -> None:
    if not is_office(actor):
        raise PermissionDenied(_("只有重点项目办可以管理集中开工活动"), code="start_event_office_required")


def _audit(event: StartEvent, action: str, actor: User, changes: Mapping[str, object]) -> None:
    audit_record(
        stream=f"start_event:{event.pk}",
        action=f"briefings.{action}",
        target_type=TARGET_TYPE,
        target_id=event.pk,
        actor=actor,
        changes=dict(changes),
    )


@transaction.atomic
def start_event_create(
    *, actor: User, name: str, held_on: dt.date | None, venue: str = "", project_codes: list[str] | None = None
) -> StartEvent:
    _require_office(actor)
    errors = {}
    if not name.strip():
        errors["name"] = _("请填写活动名称")
    if held_on is None:
        errors["held_on"] = _("请填写开工日期(YYYY-MM-DD)")
    if errors or held_on is None:
        raise InvalidFields(_("集中开工活动信息有误"), errors=errors, code="start_event_invalid")
    projects = projects_by_codes(actor, project_codes) if project_codes else []
    event = StartEvent.objects.create(name=name.strip(), held_on=held_on, venue=venue.strip())
    event.projects.add(*projects)
    changes = {"name": event.name, "held_on": held_on.isoformat(), "projects": [p.code for p in projects]}
    _audit(event, "start_event_create", actor, changes)
    return event


def _lock_managed(actor: User, event_id: int) -> StartEvent:
    event = StartEvent.objects.select_for_update().filter(pk=event_id).first()
    if event is None:
        raise NotFound(_("未找到该集中开工活动"), code="start_event_not_found")
    _require_office(actor)
    if not can_manage_start_event(actor, event):
        raise PermissionDenied(_("该活动含有您辖区以外的项目，请由上级重点项目办调整"), code="start_event_not_managed")
    return event


@transaction.atomic
def start_event_projects_add(*, actor: User, event: StartEvent, project_codes: list[str]) -> StartEvent:
    event = _lock_managed(actor, event.pk)
    projects = projects_by_codes(actor, project_codes)
    event.projects.add(*projects)
    _audit(event, "start_event_projects_add", actor, {"projects": [p.code for p in projects]})
    return event


@transaction.atomic
def start_event_project_remove(*, actor: User, event: StartEvent, project_id: int) -> StartEvent:
    event = _lock_managed(actor, event.pk)
    project = event.projects.filter(pk=project_id).first()
    if project is None:
        raise NotFound(_("该项目不在此活动中"), code="start_event_project_not_found")
    event.projects.remove(project)
    _audit(event, "start_event_project_remove", actor, {"project": project.code})
    return event
