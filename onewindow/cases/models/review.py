"""The departments' work on a case: tasks (a review of one matter, a post-check or re-check of a
commitment), the departments the case reaches, 会签 opinions, 加签 signers and the clock stops (Art. 45).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onewindow import clock
from onewindow.cases.domain import (
    OPEN_TASK_STATUSES,
    TASK_STATUS_LABELS,
    WARNING_LABELS,
    TaskStatus,
    task_status_label,
)
from onewindow.cases.models.case import URGENCY, Case, CaseMatter, translated
from onewindow.orgs.models import Organisation, User

# The order of the task lists (待办, the board): red first, green channel first, earliest due
# (task_todo_order_idx and task_board_order_idx are built on it).
TASK_ORDER = (URGENCY, F("is_green_channel").desc(), F("due_on").asc(), F("id").asc())


class Task(models.Model):
    """A department's review of one matter (推送相关、同步审核), or a post-check of a commitment."""

    class Kind(models.TextChoices):
        REVIEW = "review", _("审查")
        POST_CHECK = "post_check", _("承诺核查")
        RECHECK = "recheck", _("整改复查")  # after a failed post-check, once rectified or the deadline passed

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="tasks")
    case_matter = models.ForeignKey(CaseMatter, verbose_name="办件事项", on_delete=models.CASCADE, related_name="tasks")
    department = models.ForeignKey(Organisation, verbose_name="审查部门", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.REVIEW)
    stage = models.PositiveSmallIntegerField("阶段", default=1)
    status = models.CharField("状态", max_length=20, choices=translated(TASK_STATUS_LABELS), default="open")
    assignee = models.ForeignKey(
        User, verbose_name="经办人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    required_signoffs = models.PositiveSmallIntegerField("会签人数", default=1)
    started_on = models.DateField("开始日")
    limit_days = models.PositiveSmallIntegerField("时限（工作日）")
    extension_days = models.PositiveSmallIntegerField("延长（工作日）", default=0)
    # A pending extension request awaiting the department head (0: none); approving moves it over.
    extension_requested_days = models.PositiveSmallIntegerField("申请延长（工作日）", default=0)
    due_on = models.DateField("期限")
    decided_at = models.DateTimeField("办理时间", null=True, blank=True)
    opinion = models.TextField("审查意见", blank=True)
    warning_level = models.CharField("预警", max_length=10, choices=translated(WARNING_LABELS), default="normal")
    # The case's flag, copied so that work lists sort by it from the task's own index: written with
    # the task (stage_open, post-checks) and when the case is marked (services/green_channel.py).
    is_green_channel = models.BooleanField("绿色通道", default=False, db_default=False)

    class Meta:
        verbose_name = "审查任务"
        verbose_name_plural = "审查任务"
        constraints = [
            models.UniqueConstraint(
                fields=["case_matter", "kind"],
                condition=Q(status__in=["open", "suspended"]),
                name="task_one_open_per_matter",
            )
        ]
        indexes = [
            models.Index(fields=["department", "status", "due_on"], name="task_department_open_idx"),
            models.Index(fields=["status", "due_on"], name="task_status_due_idx"),
            models.Index(fields=["assignee", "status"], name="task_assignee_idx"),
            # Which cases a subtree's tasks touch (the supervision board's scope), read from the index alone.
            models.Index(fields=["department", "case"], name="task_department_case_idx"),
            # The order of the task lists over open tasks (TASK_ORDER): a department's 待办 reads its
            # range of the first in order, a subtree's board the second (skipping other departments'
            # rows), and both stop after the page's rows instead of sorting every open task.
            models.Index(
                F("department"),
                *TASK_ORDER,
                condition=Q(status__in=sorted(OPEN_TASK_STATUSES)),
                name="task_todo_order_idx",
            ),
            models.Index(*TASK_ORDER, condition=Q(status__in=sorted(OPEN_TASK_STATUSES)), name="task_board_order_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} / {self.department}"

    @property
    def is_check(self) -> bool:
        """A check of a commitment (post-check or re-check): it finds 符合 / 不符合."""
        return self.kind != self.Kind.REVIEW

    @property
    def status_label(self) -> str:
        return gettext(task_status_label(TaskStatus(self.status), is_check=self.is_check))


class CaseDepartment(models.Model):
    """A department that has (or had) a task of the case, written with its tasks (services/stages.py):
    the supervision board finds a subtree's cases through it without reading their tasks."""

    # Indexed by the unique constraint (case first) and case_department_idx (department first).
    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="+", db_index=False)
    department = models.ForeignKey(
        Organisation, verbose_name="部门", on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = "办件部门"
        verbose_name_plural = "办件部门"
        constraints = [models.UniqueConstraint(fields=["case", "department"], name="case_department_unique")]
        indexes = [models.Index(fields=["department", "case"], name="case_department_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.department_id}"


class Signoff(models.Model):
    """One reviewer's opinion on a task that needs several (会签)."""

    task = models.ForeignKey(Task, verbose_name="审查任务", on_delete=models.CASCADE, related_name="signoffs")
    reviewer = models.ForeignKey(User, verbose_name="审查人", on_delete=models.PROTECT, related_name="+")
    approve = models.BooleanField("同意")
    opinion = models.TextField("意见", blank=True)
    signed_at = models.DateTimeField("时间", default=clock.now, editable=False)  # told time (onewindow.clock)

    class Meta:
        verbose_name = "会签意见"
        verbose_name_plural = "会签意见"
        constraints = [models.UniqueConstraint(fields=["task", "reviewer"], name="signoff_once_per_reviewer")]

    def __str__(self) -> str:
        return f"{self.reviewer} {'同意' if self.approve else '不同意'}"


class TaskSigner(models.Model):
    """A reviewer the department head named to sign a countersigned task too (加签)."""

    task = models.ForeignKey(Task, verbose_name="审查任务", on_delete=models.CASCADE, related_name="signers")
    signer = models.ForeignKey(User, verbose_name="加签人", on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(User, verbose_name="加签决定人", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField("加签时间")

    class Meta:
        verbose_name = "加签"
        verbose_name_plural = "加签"
        constraints = [models.UniqueConstraint(fields=["task", "signer"], name="task_signer_once")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.signer}"


class ClockStop(models.Model):
    """Time that does not count (Art. 45): corrections, supplements, hearings, tests, expert reviews."""

    class Reason(models.TextChoices):
        CORRECTION = "correction", _("一次性告知补正")
        SUPPLEMENT = "supplement", _("补充材料")
        HEARING = "hearing", _("听证")
        TESTING = "testing", _("检验检测")
        EXPERT_REVIEW = "expert_review", _("专家评审")
        PUBLIC_NOTICE = "public_notice", _("公示")

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="clock_stops")
    task = models.ForeignKey(
        Task, verbose_name="审查任务", null=True, blank=True, on_delete=models.CASCADE, related_name="clock_stops"
    )
    reason = models.CharField("事由", max_length=20, choices=Reason.choices)
    note = models.TextField("说明", blank=True)
    first_on = models.DateField("起始日")
    expected_end_on = models.DateField("预计结束日", null=True, blank=True)
    last_on = models.DateField("结束日", null=True, blank=True)

    class Meta:
        verbose_name = "中止计时"
        verbose_name_plural = "中止计时"

    def __str__(self) -> str:
        return self.get_reason_display()
