"""Background work in the admin, for the system admin: the periodic runs (with their errors), people's
jobs, and the database backend's record of every task attempt (tracebacks of failures)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from onewindow.jobs.models import Job, ScheduledRun
from onewindow.orgs.admin_access import RoleAdmin


class ReadOnlyRoleAdmin(RoleAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ScheduledRun)
class ScheduledRunAdmin(ReadOnlyRoleAdmin):
    list_display = ("schedule", "slot", "status", "attempts", "enqueued_at", "finished_at")
    list_filter = ("status", "schedule")
    search_fields = ("schedule", "error")


@admin.register(Job)
class JobAdmin(ReadOnlyRoleAdmin):
    list_display = ("kind", "requested_by", "status", "done", "total", "created_at", "finished_at")
    list_filter = ("status", "kind")


# The backend's own admin opens by Django permissions, which no role holds: open it to the system admin.
admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin, ReadOnlyRoleAdmin):  # type: ignore[misc]
    pass
