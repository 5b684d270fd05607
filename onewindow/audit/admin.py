"""Read-only admin pages of the log, opened to the audit admin alone (三权分立)."""

from __future__ import annotations

from django.contrib import admin

from onewindow.audit.models import Checkpoint, Event
from onewindow.orgs.admin_access import RoleAdmin
from onewindow.orgs.domain import Role


class AuditAdmin(RoleAdmin):
    edit_roles: tuple[Role, ...] = ()
    view_roles: tuple[Role, ...] = (Role.AUDIT_ADMIN,)
    actions = None


@admin.register(Event)
class EventAdmin(AuditAdmin):
    list_display = ("occurred_at", "stream", "seq", "action", "actor_id", "organisation_id", "target_type", "target_id")
    list_filter = ("action", "algorithm")
    search_fields = ("stream", "target_id", "request_id")
    date_hierarchy = "occurred_at"
    ordering = ("-occurred_at", "-id")


@admin.register(Checkpoint)
class CheckpointAdmin(AuditAdmin):
    list_display = ("created_at", "stream_count", "event_count", "root", "key_fingerprint")
    ordering = ("-created_at", "-id")
