"""The fee catalogue in the admin, read-only for the system admin: items, policies and
attachments are written only through `fees.services` (audited). Editing pages come in a later increment."""

from __future__ import annotations

from django.contrib import admin

from onewindow.fees.models import FeeAttachment, FeeItem, FeePolicy
from onewindow.orgs.admin_access import RoleAdmin
from onewindow.orgs.domain import Role


class ReadOnlyAdmin(RoleAdmin):
    edit_roles = ()
    view_roles = (Role.SYSTEM_ADMIN,)
    list_per_page = 50


@admin.register(FeeItem)
class FeeItemAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "department", "formula_kind", "unit_label", "lower_bound", "upper_bound")
    list_filter = ("kind", "formula_kind")
    search_fields = ("code", "name")
    list_select_related = ("department",)


@admin.register(FeePolicy)
class FeePolicyAdmin(ReadOnlyAdmin):
    list_display = ("document_number", "title", "kind", "valid_from", "valid_to", "factor", "project_category")
    list_filter = ("kind", "project_category")
    search_fields = ("document_number", "title")


@admin.register(FeeAttachment)
class FeeAttachmentAdmin(ReadOnlyAdmin):
    list_display = ("item", "matter", "stage")
    list_select_related = ("item", "matter", "stage")
