"""The timeline of a case: status as history, one row per step, written with its audit event."""

from __future__ import annotations

from django.db import models

from onewindow.cases.models.case import Case
from onewindow.cases.models.review import Task
from onewindow.orgs.models import User


class TimelineEntry(models.Model):
    """Status as history: one row per transition, written with its audit event."""

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="timeline")
    task = models.ForeignKey(Task, verbose_name="审查任务", null=True, blank=True, on_delete=models.CASCADE)
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(User, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT)
    action = models.CharField("动作", max_length=40)
    from_status = models.CharField("原状态", max_length=20, blank=True)
    to_status = models.CharField("新状态", max_length=20, blank=True)
    note = models.TextField("说明", blank=True)
    # Shown to the applicant on their status page (internal notes are not).
    is_public = models.BooleanField("申请人可见", default=True)

    class Meta:
        verbose_name = "办理环节"
        verbose_name_plural = "办理环节"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"
