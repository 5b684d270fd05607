"""Concentrated starts (集中开工): create an event, add and remove the projects starting that day.

The steps are those of every group of projects (services.groups), as for campaigns: any
key-project office creates an event, organised by its region; it manages an event whose projects
all lie in its region. Audited on the stream start_event:<id>.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onewindow.briefings.selectors.starts import START_EVENTS
from onewindow.briefings.services.groups import (
    GroupWrites,
    group_create,
    group_project_remove,
    group_projects_add,
)
from onewindow.errors import InvalidFields
from onewindow.orgs.models import User
from onewindow.projects.models import StartEvent

WRITES = GroupWrites(
    kind=START_EVENTS,
    stream="start_event",
    member="project",
    office_required=gettext_lazy("只有重点项目办可以管理集中开工活动"),
    not_managed=gettext_lazy("该活动含有您辖区以外的项目，请由上级重点项目办调整"),
    member_not_found=gettext_lazy("该项目不在此活动中"),
)


@transaction.atomic
def start_event_create(
    *, actor: User, name: str, held_on: dt.date | None, venue: str = "", project_codes: list[str] | None = None
) -> StartEvent:
    WRITES.require_office(actor)
    errors = {}
    if not name.strip():
        errors["name"] = _("请填写活动名称")
    if held_on is None:
        errors["held_on"] = _("请填写开工日期(YYYY-MM-DD)")
    if errors or held_on is None:
        raise InvalidFields(_("集中开工活动信息有误"), errors=errors, code="start_event_invalid")
    values = {"name": name.strip(), "held_on": held_on, "venue": venue.strip()}
    summary = {"name": values["name"], "held_on": held_on.isoformat()}
    return group_create(WRITES, actor=actor, values=values, summary=summary, project_codes=project_codes or [])


@transaction.atomic
def start_event_projects_add(*, actor: User, event: StartEvent, project_codes: list[str]) -> StartEvent:
    return group_projects_add(WRITES, actor=actor, group=event, project_codes=project_codes)


@transaction.atomic
def start_event_project_remove(*, actor: User, event: StartEvent, project_id: int) -> StartEvent:
    return group_project_remove(WRITES, actor=actor, group=event, project_id=project_id)
