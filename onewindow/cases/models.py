"""Storage of cases (办件): the case, its matters, materials, review tasks, clock suspensions,
correction notices and the timeline. Rules live in domain.py; every write goes through services/.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.db.models import F, Q, Value, When
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from onewindow.cases.domain import (
    CASE_STATUS_LABELS,
    OPEN_CASE_STATUSES,
    OPEN_TASK_STATUSES,
    TASK_STATUS_LABELS,
    WARNING_LABELS,
    CaseStatus,
    TaskStatus,
    WarningLevel,
    task_status_label,
)
from onewindow.catalogue.models import BundleVersion, MatterVersion
from onewindow.orgs.models import Applicant, Organisation, User

# The domain's labels are plain Chinese (domain.py cannot import Django); they are named here so that
# makemessages finds them, and the choices translate them when shown.
DOMAIN_LABEL_MESSAGES = (
    *(gettext_noop("草稿"), gettext_noop("待受理"), gettext_noop("待补正"), gettext_noop("审查中")),
    *(gettext_noop("待决定"), gettext_noop("已办结"), gettext_noop("不予受理"), gettext_noop("已撤回")),
    *(gettext_noop("待办"), gettext_noop("中止计时"), gettext_noop("同意"), gettext_noop("不同意")),
    *(gettext_noop("已驳回"), gettext_noop("已取消")),
    *(gettext_noop("正常"), gettext_noop("黄灯预警"), gettext_noop("红灯超期")),
    *(gettext_noop("已撤销"), gettext_noop("符合"), gettext_noop("不符合")),
)


def translated(labels: Mapping[Any, str]) -> list[tuple[str, Any]]:
    return [(str(key), _(label)) for key, label in labels.items()]


# Red first, then yellow, then normal: the order of every work list and of the supervision board.
URGENCY = models.Case(
    When(warning_level=WarningLevel.RED, then=Value(0)),
    When(warning_level=WarningLevel.YELLOW, then=Value(1)),
    default=Value(2),
    output_field=models.IntegerField(),
)


# The order of the task lists (待办, the board): red first, green channel first, earliest due
# (task_todo_order_idx and task_board_order_idx are built on it).
TASK_ORDER = (URGENCY, F("is_green_channel").desc(), F("due_on").asc(), F("id").asc())


class Channel(models.TextChoices):
    ONLINE = "online", _("网上申报")
    WINDOW = "window", _("窗口受理")


class Case(models.Model):
    number = models.CharField("办件编号", max_length=40, unique=True)
    status = models.CharField("状态", max_length=20, choices=translated(CASE_STATUS_LABELS), default="draft")
    channel = models.CharField("申报渠道", max_length=10, choices=Channel.choices)
    applicant = models.ForeignKey(Applicant, verbose_name="申请人", on_delete=models.PROTECT, related_name="cases")
    # The hall's region: clerks and supervisors see the cases of their subtree.
    region = models.ForeignKey(Organisation, verbose_name="受理地", on_delete=models.PROTECT, related_name="+")
    matter_version = models.ForeignKey(
        MatterVersion, verbose_name="事项版本", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bundle_version = models.ForeignKey(
        BundleVersion, verbose_name="一件事版本", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("办件名称", max_length=200)
    form_data = models.JSONField("表单数据", default=dict, blank=True)
    submitted_by = models.ForeignKey(
        User, verbose_name="提交人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agent = models.ForeignKey(
        User, verbose_name="代办员", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_green_channel = models.BooleanField("绿色通道", default=False)

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    received_on = models.DateField("材料收到日", null=True, blank=True)
    intake_due_on = models.DateField("受理期限", null=True, blank=True)
    accepted_on = models.DateField("受理日", null=True, blank=True)
    is_deemed_accepted = models.BooleanField("视为受理", default=False)
    acceptance_notice_number = models.CharField("受理通知书编号", max_length=40, blank=True)
    limit_days = models.PositiveSmallIntegerField("办结时限（工作日）", default=0)
    extension_days = models.PositiveSmallIntegerField("延长（工作日）", default=0)
    due_on = models.DateField("办结期限", null=True, blank=True)
    current_stage = models.PositiveSmallIntegerField("当前阶段", default=0)
    completed_at = models.DateTimeField("办结时间", null=True, blank=True)
    decision_note = models.TextField("决定意见", blank=True)
    refusal_reason = models.TextField("不予受理理由", blank=True)
    warning_level = models.CharField("预警", max_length=10, choices=translated(WARNING_LABELS), default="normal")

    # Shown as accepted in law (Art. 32) before the acceptance is recorded (selectors.as_the_law_stands).
    is_deemed_pending = False

    class Meta:
        verbose_name = "办件"
        verbose_name_plural = "办件"
        constraints = [
            models.CheckConstraint(
                condition=Q(matter_version__isnull=True) ^ Q(bundle_version__isnull=True),
                name="case_one_matter_or_one_bundle",
            )
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="case_region_status_idx"),
            models.Index(fields=["applicant", "-created_at"], name="case_applicant_idx"),
            models.Index(fields=["status", "due_on"], name="case_status_due_idx"),
            # The supervision board's order over open cases: its first page reads the index in order.
            models.Index(
                URGENCY,
                F("is_green_channel").desc(),
                "due_on",  # ascending, nulls last on PostgreSQL (its default), as the board sorts
                "id",
                condition=Q(status__in=sorted(OPEN_CASE_STATUSES)),
                name="case_board_order_idx",
            ),
            # The board's case counts: a subtree's open cases per warning level, counted from their
            # regions' ranges (CaseDepartment adds the cases of other regions only below the cap).
            models.Index(
                F("region"), URGENCY, condition=Q(status__in=sorted(OPEN_CASE_STATUSES)), name="case_board_region_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def intake_notice_kind(self) -> str | None:
        """The written intake decision the case has (printed by selectors.intake_notice): "refused",
        "accepted", "correction" while it waits for the applicant, or None before the clerk decides."""
        if self.status == CaseStatus.REFUSED:
            return "refused"
        if self.accepted_on is not None:
            return "accepted"
        return "correction" if self.status == CaseStatus.CORRECTION else None


class CaseMatter(models.Model):
    """One matter of the case with the stage it is reviewed in and its result."""

    class Result(models.TextChoices):
        PENDING = "pending", _("办理中")
        APPROVED = "approved", _("准予许可")
        REJECTED = "rejected", _("不予许可")
        COMMITTED = "committed", _("告知承诺准予")
        REVOKED = "revoked", _("已撤销")

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="matters")
    matter_version = models.ForeignKey(MatterVersion, verbose_name="事项版本", on_delete=models.PROTECT)
    department = models.ForeignKey(Organisation, verbose_name="实施部门", on_delete=models.PROTECT, related_name="+")
    stage = models.PositiveSmallIntegerField("阶段", default=1)
    result = models.CharField("结果", max_length=20, choices=Result.choices, default=Result.PENDING)

    class Meta:
        verbose_name = "办件事项"
        verbose_name_plural = "办件事项"
        constraints = [models.UniqueConstraint(fields=["case", "matter_version"], name="case_matter_unique")]

    def __str__(self) -> str:
        return str(self.matter_version)


class CaseMaterial(models.Model):
    """A document submitted once for the whole case (a shared material once for the bundle)."""

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="materials")
    key = models.CharField("材料编码", max_length=60)
    name = models.CharField("材料名称", max_length=200)
    file = models.FileField("文件", upload_to="cases/%Y/%m/", blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveBigIntegerField("大小", default=0)
    content_type = models.CharField("类型", max_length=100, blank=True)
    uploaded_at = models.DateTimeField("上传时间", null=True, blank=True)
    deferred_due_on = models.DateField("容缺补交期限", null=True, blank=True)
    # The day the periodic job put on the case's record that this deferred material is overdue (once).
    overdue_recorded_on = models.DateField("容缺逾期登记日", null=True, blank=True)

    class Meta:
        verbose_name = "办件材料"
        verbose_name_plural = "办件材料"
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="case_material_key_unique")]

    def __str__(self) -> str:
        return self.name


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
    signed_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "会签意见"
        verbose_name_plural = "会签意见"
        constraints = [models.UniqueConstraint(fields=["task", "reviewer"], name="signoff_once_per_reviewer")]

    def __str__(self) -> str:
        return f"{self.reviewer} {'同意' if self.approve else '不同意'}"


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


class CorrectionNotice(models.Model):
    """一次性告知: every problem, per material and field, at once."""

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="correction_notices")
    number = models.CharField("告知书编号", max_length=40, unique=True)
    items = models.JSONField("补正事项", default=list)
    issued_by = models.ForeignKey(User, verbose_name="告知人", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("告知时间")
    resolved_at = models.DateTimeField("补正时间", null=True, blank=True)

    class Meta:
        verbose_name = "一次性告知书"
        verbose_name_plural = "一次性告知书"

    def __str__(self) -> str:
        return self.number


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


class CaseSequence(models.Model):
    """The day's last case number per region; its row lock keeps numbers unique and gapless."""

    region_code = models.CharField(max_length=40)
    on = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region_code", "on"], name="case_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.region_code} {self.on} {self.last}"


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


class Revocation(models.Model):
    """撤销: an approval on commitment revoked, with its reason, legal basis and the remedies told."""

    case = models.OneToOneField(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="revocation")
    task = models.ForeignKey(Task, verbose_name="核查任务", on_delete=models.CASCADE, related_name="+")
    is_false_commitment = models.BooleanField("虚假承诺")
    reason = models.TextField("撤销理由")
    legal_basis = models.TextField("法律依据")
    remedies = models.TextField("救济途径")
    decided_by = models.ForeignKey(User, verbose_name="决定人", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("决定时间")

    class Meta:
        verbose_name = "撤销许可"
        verbose_name_plural = "撤销许可"

    def __str__(self) -> str:
        return f"{self.case_id} {self.decided_at:%Y-%m-%d}"


class CreditRecord(models.Model):
    """A mark in an applicant's credit record (信用记录), e.g. a false commitment. Shown to the applicant,
    to staff of the case's region, and to the clerk when the applicant applies on commitment again."""

    class Kind(models.TextChoices):
        FALSE_COMMITMENT = "false_commitment", _("虚假承诺")

    applicant = models.ForeignKey(
        Applicant, verbose_name="申请人", on_delete=models.PROTECT, related_name="credit_records"
    )
    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.PROTECT, related_name="credit_records")
    recorded_on = models.DateField("记录日期")
    kind = models.CharField("类别", max_length=30, choices=Kind.choices)
    note = models.TextField("说明")
    recorded_by = models.ForeignKey(User, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "信用记录"
        verbose_name_plural = "信用记录"
        indexes = [models.Index(fields=["applicant", "-recorded_on"], name="credit_record_applicant_idx")]

    def __str__(self) -> str:
        return f"{self.applicant} {self.get_kind_display()} {self.recorded_on}"
