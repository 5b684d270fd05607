"""Scoped reads of the audit log: an object's trail for staff, the whole log for the audit admin."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from onewindow.audit.labels import action_label
from onewindow.audit.models import Checkpoint, Event
from onewindow.errors import PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.selectors import organisations_visible_to, user_has_role, user_roles

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any
    is_transition: bool


@dataclass(frozen=True)
class TrailEntry:
    event: Event
    actor_label: str
    organisation_label: str
    action_label: str
    changes: list[Change]

    @property
    def occurred_at(self) -> dt.datetime:
        return self.event.occurred_at


@dataclass(frozen=True)
class EventFilters:
    stream: str = ""
    action: str = ""
    actor_id: int | None = None
    target_type: str = ""
    target_id: str = ""
    occurred_on_or_after: dt.date | None = None
    occurred_on_or_before: dt.date | None = None


def is_audit_admin(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user_has_role(user, Role.AUDIT_ADMIN))


def is_staff_member(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user_roles(user))


def events_for_target(*, user: User, target_type: str, target_id: object) -> list[TrailEntry]:
    """An object's trail, oldest first: staff only, and only events of organisations they can see.

    Events recorded without an organisation are visible to every staff member; the audit
    admin sees every event.
    """
    if not is_staff_member(user):
        return []
    events = Event.objects.filter(target_type=target_type, target_id=str(target_id))
    if not is_audit_admin(user):
        visible = organisations_visible_to(user).values("id")
        events = events.filter(Q(organisation_id__isnull=True) | Q(organisation_id__in=visible))
    return trail_entries(events.order_by("occurred_at", "id"))


def trail_entries(events: Iterable[Event]) -> list[TrailEntry]:
    """Events with their actor, organisation and action spelled out for people (two extra queries)."""
    events = list(events)
    users = User.objects.in_bulk({e.actor_id for e in events if e.actor_id is not None})
    organisations = Organisation.objects.in_bulk({e.organisation_id for e in events if e.organisation_id is not None})
    return [
        TrailEntry(
            event=event,
            actor_label=_name(users.get(event.actor_id) if event.actor_id else None, event.actor_id, _("系统")),
            organisation_label=_name(
                organisations.get(event.organisation_id) if event.organisation_id else None, event.organisation_id, ""
            ),
            action_label=action_label(event.action),
            changes=changes_for_display(event.changes),
        )
        for event in events
    ]


def _name(obj: User | Organisation | None, pk: int | None, default: str) -> str:
    if pk is None:
        return default
    return str(obj) if obj is not None else f"#{pk}"


def changes_for_display(changes: object) -> list[Change]:
    """`{"field": [old, new]}` (or `{"old": ..., "new": ...}`) reads as old → new; anything else as a value."""
    if not isinstance(changes, dict):
        return [Change("", None, changes, is_transition=False)]
    rows = []
    for name, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            rows.append(Change(name, value[0], value[1], is_transition=True))
        elif isinstance(value, dict) and set(value) == {"old", "new"}:
            rows.append(Change(name, value["old"], value["new"], is_transition=True))
        else:
            rows.append(Change(name, None, value, is_transition=False))
    return rows


def _require_audit_admin(user: User) -> None:
    if not is_audit_admin(user):
        raise PermissionDenied(_("只有审计管理员可以查看留痕日志"), code="audit_admin_only")


def event_list_for_admin(*, user: User, filters: EventFilters) -> QuerySet[Event]:
    """The whole log, newest first, for the audit admin only (三权分立: no other admin reads it)."""
    _require_audit_admin(user)
    events = Event.objects.order_by("-occurred_at", "-id")
    exact = {
        "stream": filters.stream,
        "action": filters.action,
        "actor_id": filters.actor_id,
        "target_type": filters.target_type,
        "target_id": filters.target_id,
    }
    events = events.filter(**{name: value for name, value in exact.items() if value not in ("", None)})
    if filters.occurred_on_or_after:
        events = events.filter(occurred_at__gte=_start_of_day(filters.occurred_on_or_after))
    if filters.occurred_on_or_before:
        events = events.filter(occurred_at__lt=_start_of_day(filters.occurred_on_or_before + dt.timedelta(days=1)))
    return events


def _start_of_day(day: dt.date) -> dt.datetime:
    """Dates are days in Asia/Shanghai, as the staff read them."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=SHANGHAI)


def checkpoint_list_for_admin(*, user: User) -> QuerySet[Checkpoint]:
    _require_audit_admin(user)
    return Checkpoint.objects.defer("heads").order_by("-created_at", "-id")
