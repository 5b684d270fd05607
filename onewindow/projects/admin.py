"""Key projects in the admin: read-only, for the system admin. Every change goes through the
services (the registry pages, the API and the Excel import), never through the admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from onewindow.orgs.admin_access import RoleAdmin
from onewindow.orgs.domain import Role
from onewindow.projects.models import AnnualPlan, PhaseChange, Project, TeamMember


class ReadOnlyProjectAdmin(RoleAdmin):
    edit_roles = ()
    view_roles = (Role.SYSTEM_ADMIN,)
    list_per_page = 50


class AnnualPlanInline(admin.TabularInline[Any, Any]):
    model = AnnualPlan
    extra = 0
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class TeamMemberInline(AnnualPlanInline):
    model = TeamMember  # type: ignore[assignment]


class PhaseChangeInline(AnnualPlanInline):
    model = PhaseChange  # type: ignore[assignment]


@admin.register(Project)
class ProjectAdmin(ReadOnlyProjectAdmin):
    list_display = ("code", "name", "district", "phase", "level", "total_investment")
    list_filter = ("phase", "level")
    search_fields = ("code", "name", "owner_name")
    list_select_related = ("district",)
    inlines = (AnnualPlanInline, TeamMemberInline, PhaseChangeInline)
