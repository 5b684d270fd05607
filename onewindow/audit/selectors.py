"""Scoped reads of the audit log: an object's trail for staff, the whole log for the audit admin."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from onewindow.audit import registry
from onewindow.audit.labels import action_label
from onewindow.audit.models import Checkpoint, Event
from onewindow.errors import NotFound, PermissionDenied
from onewindow.orgs.domain import Role, can_see_personal_data, mask_name
from onewindow.orgs.models import Applicant, Membership, Organisation, User
from onewindow.orgs.selectors import user_has_role, user_roles

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


def trail_visible_to(*, user: User, target_type: str, target_id: object) -> bool:
    """A trail is visible exactly to those who may see its object, as the app that registered
    `target_type` decides (audit.registry), and to the audit admin, who sees every trail."""
    if not (user.is_authenticated and user.is_active):
        return False
    if is_audit_admin(user):
        return True
    may_see = registry.trail_access(target_type)
    return may_see is not None and may_see(user, str(target_id))


def events_for_target(*, user: User, target_type: str, target_id: object) -> list[TrailEntry]:
    """An object's trail, oldest first, for those who may see the object (see trail_visible_to).

    Everyone else gets the same NotFound as for an unknown object, so the answer never tells
    whether an object they may not see exists.
    """
    if not trail_visible_to(user=user, target_type=target_type, target_id=target_id):
        raise NotFound(_("未找到该对象的留痕"), code="trail_not_found")
    events = Event.objects.filter(target_type=target_type, target_id=str(target_id))
    return trail_entries(events.order_by("occurred_at", "id"), viewer=user)


def trail_entries(events: Iterable[Event], *, viewer: User) -> list[TrailEntry]:
    """Events with their actor, organisation and action spelled out for people (two extra queries).

    Applicants acting in a trail are personal data: their names are masked unless the viewer's
    role needs them (as ID and phone numbers are, `orgs.selectors.display_id_number`).
    """
    events = list(events)
    actors = _actor_labels({e.actor_id for e in events if e.actor_id is not None}, viewer)
    organisations = Organisation.objects.in_bulk({e.organisation_id for e in events if e.organisation_id is not None})
    return [
        TrailEntry(
            event=event,
            actor_label=_("系统") if event.actor_id is None else actors.get(event.actor_id, f"#{event.actor_id}"),
            organisation_label=_name(organisations.get(event.organisation_id), event.organisation_id),
            action_label=action_label(event.action),
            changes=changes_for_display(event.changes),
        )
        for event in events
    ]


def _actor_labels(ids: set[int], viewer: User) -> dict[int, str]:
    if not ids:
        return {}
    rows = (
        User.objects.filter(pk__in=ids)
        .annotate(
            is_applicant=Exists(Applicant.objects.filter(user=OuterRef("pk"))),
            is_staff_member=Exists(Membership.objects.filter(user=OuterRef("pk"))),
        )
        .values_list("pk", "name", "username", "is_applicant", "is_staff_member")
    )
    masks = not can_see_personal_data(user_roles(viewer))
    labels = {}
    for pk, name, username, is_applicant, is_staff in rows:
        label = name or username  # str(User)
        labels[pk] = mask_name(label) if masks and is_applicant and not is_staff else label
    return labels


def _name(organisation: Organisation | None, pk: int | None) -> str:
    if pk is None:
        return ""
    return str(organisation) if organisation is not None else f"#{pk}"


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
