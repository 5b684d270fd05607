"""The case as filed (办件): the case, its matters and materials, the correction notices of intake, and
the day's case-number sequence. Also the domain's labels for choices (`translated`) and `URGENCY`, the
order of every work list, which the review models share. Rules live in domain/; every write goes
through services/.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.db.models import F, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from onewindow import clock
from onewindow.cases.domain import (
    CASE_STATUS_LABELS,
    OPEN_CASE_STATUSES,
    WARNING_LABELS,
    CaseStatus,
    WarningLevel,
)
from onewindow.catalogue.models import BundleVersion, MatterVersion
from onewindow.orgs.models import Applicant, Organisation, User

# The domain's labels are plain Chinese (the domain cannot import Django); they are named here so that
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


class Channel(models.TextChoices):
    ONLINE = "online", _("网上申报")
    APP = "app", _("移动端申报")  # submitted from the mobile app or mini program (a bearer-token client)
    WINDOW = "window", _("窗口受理")


# Online handling (网上办理) is any channel but the window: the portal and the mobile app alike.
ONLINE_CHANNELS = frozenset({Channel.ONLINE, Channel.APP})


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

    created_at = models.DateTimeField("创建时间", default=clock.now, editable=False)  # told time (onewindow.clock)
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
    # 免提交: the number of the applicant's certificate the file was taken from (services.intake.reuse).
    reused_certificate = models.CharField("复用电子证照编号", max_length=64, blank=True)

    class Meta:
        verbose_name = "办件材料"
        verbose_name_plural = "办件材料"
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="case_material_key_unique")]

    def __str__(self) -> str:
        return self.name


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


class CaseSequence(models.Model):
    """The day's last case number per region; its row lock keeps numbers unique and gapless."""

    region_code = models.CharField(max_length=40)
    on = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region_code", "on"], name="case_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.region_code} {self.on} {self.last}"
