"""Storage of 好差评: ratings (append-only), the invitation a case's end opens, the window services the
评价器 rates, the follow-up of a bad rating and the disputes over a rating. Rules live in domain.py;
every write goes through services/."""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onewindow.cases.models import Case
from onewindow.catalogue.models import Matter
from onewindow.evaluation.domain import (
    CHANNEL_LABELS,
    FOLLOW_UP_LABELS,
    LEVEL_LABELS,
    SUBJECT_LABELS,
    FollowUpStatus,
)
from onewindow.orgs.models import Organisation, User, Window


class AppendOnly(Exception):
    """A rating is never edited or deleted: a dispute excludes it from the statistics instead."""


class AppendOnlyQuerySet(models.QuerySet["Rating"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnly("评价一经提交不可修改")

    def delete(self) -> NoReturn:
        raise AppendOnly("评价不可删除")


class ReasonTag(models.Model):
    """A reason offered for the lower levels (态度、效率、多次跑…), maintained in the admin."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    label = models.CharField(_("名称"), max_length=40)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("评价原因")
        verbose_name_plural = _("评价原因")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label


class WindowService(models.Model):
    """One service at a window (a clerk with an applicant, with or without a case), opened by the clerk
    for the 评价器 tablet facing the applicant."""

    window = models.ForeignKey(Window, verbose_name=_("窗口"), on_delete=models.PROTECT, related_name="+")
    clerk = models.ForeignKey(User, verbose_name=_("窗口人员"), on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        Case, verbose_name=_("办件"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(Organisation, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("开始时间"))

    class Meta:
        verbose_name = _("窗口服务")
        verbose_name_plural = _("窗口服务")
        indexes = [models.Index(fields=["clerk", "-started_at"], name="window_service_clerk_idx")]

    def __str__(self) -> str:
        return f"{self.window_id} · {self.started_at:%Y-%m-%d %H:%M}"


class Rating(models.Model):
    """One rating of one service (`subject_key` unique: 一次一评, whatever the channel). Append-only."""

    subject = models.CharField(
        _("评价对象"), max_length=20, choices=[(s.value, _(v)) for s, v in SUBJECT_LABELS.items()]
    )
    subject_key = models.CharField(_("服务标识"), max_length=80)
    case = models.ForeignKey(
        Case, verbose_name=_("办件"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    window_service = models.ForeignKey(
        WindowService, verbose_name=_("窗口服务"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who answers for it: the department rated, the case's deciding department, the window's department
    # (a comprehensive window: its hall's region).
    department = models.ForeignKey(Organisation, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Organisation, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    matter = models.ForeignKey(
        Matter, verbose_name=_("事项"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    window = models.ForeignKey(
        Window, verbose_name=_("窗口"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    clerk = models.ForeignKey(
        User, verbose_name=_("窗口人员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(
        _("评价渠道"), max_length=10, choices=[(c.value, _(v)) for c, v in CHANNEL_LABELS.items()]
    )
    level = models.PositiveSmallIntegerField(
        _("评价等级"), choices=[(lv.value, _(v)) for lv, v in LEVEL_LABELS.items()]
    )
    tags = models.JSONField(_("评价原因"), default=list, blank=True)
    comment = models.TextField(_("评价内容"), blank=True)
    may_contact = models.BooleanField(_("同意回访"), default=False)
    rater = models.ForeignKey(
        User, verbose_name=_("评价人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField(_("评价时间"))
    rated_on = models.DateField(_("评价日"))  # Asia/Shanghai date of rated_at
    month = models.DateField(_("月份"))  # first day of rated_on's month

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        constraints = [
            models.UniqueConstraint(fields=["subject_key"], name="rating_one_per_service"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="rating_level_1_to_5"),
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(window_service__isnull=False), name="rating_has_a_service"
            ),
        ]
        indexes = [
            models.Index(fields=["month", "department"], name="rating_month_department_idx"),
            models.Index(fields=["case"], name="rating_case_idx"),
            models.Index(fields=["rater", "-rated_at"], name="rating_rater_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_key} · {self.level}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("评价一经提交不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("评价不可删除")

    @property
    def level_label(self) -> str:
        return self.get_level_display()


class Invitation(models.Model):
    """The ending of a case asks its applicant once: the portal panel, the SMS link (single use), a skip."""

    case = models.OneToOneField(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("邀请时间"))
    sms_nonce = models.CharField(_("短信链接随机码"), max_length=32)
    sms_used_at = models.DateTimeField(_("短信链接使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评价邀请")
        verbose_name_plural = _("评价邀请")

    def __str__(self) -> str:
        return f"{self.case_id}"


class Skip(models.Model):
    """The applicant chose not to rate now (先评价后取证 never withholds anything); rating stays possible."""

    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("渠道"), max_length=10)
    context = models.CharField(_("场景"), max_length=40)
    skipped_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("暂不评价记录")
        verbose_name_plural = _("暂不评价记录")
        indexes = [models.Index(fields=["case", "user"], name="skip_case_user_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.context}"


class FollowUp(models.Model):
    """差评整改: a bad rating verified, rectified and answered by the department concerned."""

    rating = models.OneToOneField(Rating, verbose_name=_("评价"), on_delete=models.PROTECT, related_name="follow_up")
    department = models.ForeignKey(Organisation, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"),
        max_length=30,
        choices=[(s.value, _(v)) for s, v in FOLLOW_UP_LABELS.items()],
        default=FollowUpStatus.AWAITING_VERIFICATION,
    )
    opened_on = models.DateField(_("发起日"))
    verify_due_on = models.DateField(_("核实期限"))
    answer_due_on = models.DateField(_("整改答复期限"))
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        User, verbose_name=_("核实人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verification = models.TextField(_("核实情况"), blank=True)
    rectification = models.TextField(_("整改措施"), blank=True)
    answer = models.TextField(_("答复申请人"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_on = models.DateField(_("答复日"), null=True, blank=True)
    answered_by = models.ForeignKey(
        User, verbose_name=_("答复人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    settled_at = models.DateTimeField(_("申请人确认时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    escalated_stage = models.CharField(_("督办环节"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        indexes = [
            models.Index(fields=["department", "status"], name="follow_up_department_idx"),
            models.Index(fields=["status", "verify_due_on", "answer_due_on"], name="follow_up_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.rating_id} · {self.status}"


class Dispute(models.Model):
    """申诉: staff ask to leave a rating out of the statistics (恶意差评、非本服务), with evidence; a
    supervisor decides. The rating itself is never touched."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("待审核")
        UPHELD = "upheld", _("申诉成立，不计入统计")
        REJECTED = "rejected", _("申诉不成立")

    class Reason(models.TextChoices):
        MALICIOUS = "malicious", _("恶意差评")
        WRONG_SERVICE = "wrong_service", _("非本单位服务")
        OTHER = "other", _("其他")

    rating = models.ForeignKey(Rating, verbose_name=_("评价"), on_delete=models.PROTECT, related_name="disputes")
    reason = models.CharField(_("申诉理由"), max_length=20, choices=Reason.choices)
    explanation = models.TextField(_("说明"))
    evidence = models.FileField(_("证明材料"), upload_to="evaluation/%Y/%m/")
    evidence_sha256 = models.CharField("SHA-256", max_length=64)
    requested_by = models.ForeignKey(User, verbose_name=_("申诉人"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申诉时间"))
    decision = models.CharField(_("审核结果"), max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        User, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("评价申诉")
        verbose_name_plural = _("评价申诉")
        constraints = [
            models.UniqueConstraint(
                fields=["rating"], condition=Q(decision="pending"), name="dispute_one_pending_per_rating"
            ),
            models.UniqueConstraint(
                fields=["rating"], condition=Q(decision="upheld"), name="dispute_one_upheld_per_rating"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating_id} · {self.decision}"
