"""好差评 in the admin: the reason tags, kept by the system admin (saved through the service, audited,
never deleted: ratings name them); ratings, follow-ups and disputes read-only for the system admin and
supervisors. Every rating, answer and decision goes through the services (pages and API)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from onewindow.audit.admin_trail import AuditTrailAdminMixin
from onewindow.evaluation.models import Dispute, FollowUp, Rating, ReasonTag
from onewindow.evaluation.services import reason_tag_save
from onewindow.orgs.admin_access import RoleAdmin
from onewindow.orgs.domain import Role


@admin.register(ReasonTag)
class ReasonTagAdmin(AuditTrailAdminMixin, RoleAdmin):
    list_display = ("label", "code", "order", "is_active")
    list_editable = ()
    fields = ("code", "label", "order", "is_active")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["code"] if obj is not None else []  # ratings keep the code

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # retire a tag with 启用 unticked

    def save_model(self, request: HttpRequest, obj: ReasonTag, form: ModelForm[ReasonTag], change: bool) -> None:
        user: Any = request.user
        reason_tag_save(actor=user, tag=obj)


class ReadOnlyAdmin(RoleAdmin):
    edit_roles = ()
    view_roles = (Role.SYSTEM_ADMIN, Role.SUPERVISOR)
    list_per_page = 50


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("subject_key", "level", "channel", "department", "rated_at")
    list_filter = ("level", "channel", "subject")
    search_fields = ("subject_key",)
    list_select_related = ("department",)
    exclude = ("rater", "comment")  # who rated and what they wrote: the follow-up page, masked as it should be


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ("rating", "department", "status", "verify_due_on", "answer_due_on", "escalated_at")
    list_filter = ("status",)
    list_select_related = ("rating", "department")


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    list_display = ("rating", "reason", "decision", "requested_at", "decided_at")
    list_filter = ("decision", "reason")
    list_select_related = ("rating",)
