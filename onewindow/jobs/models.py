"""What the platform's background work leaves behind, whatever task backend ran it.

`ScheduledRun`: one row per periodic schedule and due slot; its unique key is what lets any number
of schedulers enqueue each run exactly once. `Job`: one piece of long work a person started from a
page or the API (a year of ranking, a month of leader reports), with its progress and outcome.
The task backend keeps its own record of every attempt (the database backend's rows are in the
admin under 后台任务结果); these rows are the platform's.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.orgs.models import User


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("运行中")
    RETRYING = "retrying", _("等待重试")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


FINISHED = (RunStatus.SUCCEEDED, RunStatus.FAILED)


class ScheduledRun(models.Model):
    schedule = models.CharField(_("周期任务"), max_length=100)
    slot = models.DateTimeField(_("计划时刻"))
    status = models.CharField(_("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    enqueued_at = models.DateTimeField(_("入队时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    outcome = models.TextField(_("结果"), blank=True)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("周期任务运行")
        verbose_name_plural = _("周期任务运行")
        ordering = ["-slot", "schedule"]
        constraints = [models.UniqueConstraint(fields=["schedule", "slot"], name="scheduled_run_once_per_slot")]

    def __str__(self) -> str:
        return f"{self.schedule} @ {self.slot:%Y-%m-%d %H:%M}"


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("类别"), max_length=50)
    requested_by = models.ForeignKey(
        User, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="jobs", null=True, blank=True
    )
    language = models.CharField(_("语言"), max_length=10, default="zh-hans")
    status = models.CharField(_("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    # [[level, text], ...]: what the page says when the job is over (level: success, info, danger).
    messages = models.JSONField(_("结果说明"), default=list, blank=True)
    result = models.JSONField(_("结果数据"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台作业")
        verbose_name_plural = _("后台作业")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        return 100 if self.is_finished else (100 * self.done // self.total if self.total else 0)
