"""Cases in the admin: read-only, for the system admin and supervisors. Every change goes through
the services (the case pages and the API), never through the admin. The unified form's values and
the stored files stay out of it (personal data; the case page shows them to those who need them).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from onewindow.cases.models import Case, ClockStop, CorrectionNotice, CreditRecord, Revocation, Task, TimelineEntry
from onewindow.orgs.admin import ApplicantAdmin
from onewindow.orgs.admin_access import RoleAdmin
from onewindow.orgs.domain import Role


class ReadOnlyCaseAdmin(RoleAdmin):
    edit_roles = ()
    view_roles = (Role.SYSTEM_ADMIN, Role.SUPERVISOR)
    list_per_page = 50


@admin.register(Case)
class CaseAdmin(ReadOnlyCaseAdmin):
    list_display = ("number", "title", "status", "region", "warning_level", "intake_due_on", "due_on")
    list_filter = ("status", "warning_level", "channel", "is_green_channel")
    search_fields = ("number", "title")
    list_select_related = ("region",)
    exclude = ("form_data",)


@admin.register(Task)
class TaskAdmin(ReadOnlyCaseAdmin):
    list_display = ("case", "department", "status", "warning_level", "due_on", "assignee")
    list_filter = ("status", "warning_level", "kind")
    search_fields = ("case__number",)
    list_select_related = ("case", "department", "assignee")


@admin.register(ClockStop)
class ClockStopAdmin(ReadOnlyCaseAdmin):
    list_display = ("case", "task", "reason", "first_on", "expected_end_on", "last_on")
    list_filter = ("reason",)
    list_select_related = ("case", "task__case", "task__department")


@admin.register(CorrectionNotice)
class CorrectionNoticeAdmin(ReadOnlyCaseAdmin):
    list_display = ("number", "case", "issued_at", "resolved_at")
    search_fields = ("number", "case__number")
    list_select_related = ("case",)


@admin.register(TimelineEntry)
class TimelineEntryAdmin(ReadOnlyCaseAdmin):
    list_display = ("case", "action", "from_status", "to_status", "at", "actor", "is_public")
    list_filter = ("action", "is_public")
    search_fields = ("case__number",)
    list_select_related = ("case", "actor")


@admin.register(Revocation)
class RevocationAdmin(ReadOnlyCaseAdmin):
    list_display = ("case", "decided_at", "is_false_commitment", "decided_by")
    list_filter = ("is_false_commitment",)
    search_fields = ("case__number",)
    list_select_related = ("case", "decided_by")


@admin.register(CreditRecord)
class CreditRecordAdmin(ReadOnlyCaseAdmin):
    list_display = ("applicant", "kind", "recorded_on", "case", "recorded_by")
    list_filter = ("kind",)
    search_fields = ("case__number", "applicant__name")
    list_select_related = ("applicant", "case", "recorded_by")


class CreditRecordInline(admin.TabularInline):  # type: ignore[type-arg]
    """An applicant's credit record on their admin page, read-only (written by services/commitment.py)."""

    model = CreditRecord
    extra = 0
    fields = ("kind", "recorded_on", "case", "note", "recorded_by")
    readonly_fields = fields
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return ApplicantAdmin.opens_to(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# The applicant's page belongs to orgs, which knows nothing of cases (cases builds on orgs): the
# credit record is listed on it from here.
ApplicantAdmin.inlines = [*ApplicantAdmin.inlines, CreditRecordInline]
