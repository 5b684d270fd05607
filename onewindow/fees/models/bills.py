"""The one bill (一单收费) of a case's charging stage: one fee check per collecting department, one line per
fee item, each line sealed by its department before the bill is issued as one payment notice (缴款通知书).

Amounts are yuan to the fen. A line's amounts never change once it is sealed (`fees.services` refuses it,
and the seal is a signature over them, so a change by hand breaks the seal's verification).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onewindow import clock
from onewindow.cases.models import Case
from onewindow.catalogue.models import Stage
from onewindow.fees.models.catalogue import FeeItem, FeeKind, FeePolicy, PolicyKind, ProjectCategory
from onewindow.orgs.models import Applicant, Organisation, User

WARNING_CHOICES = [("normal", _("正常")), ("yellow", _("黄色预警")), ("red", _("红色预警"))]


class StageFeeRule(models.Model):
    """How a charging stage collects its fees: the checks' limit, the project category its policies see,
    and whether the stage waits for payment before it ends. A stage without a rule: 5 days, no category,
    no waiting."""

    stage = models.OneToOneField(Stage, verbose_name=_("阶段"), on_delete=models.CASCADE, related_name="fee_rule")
    check_limit_days = models.PositiveSmallIntegerField(_("核定时限（工作日）"), default=5)
    project_category = models.CharField(_("项目类别"), max_length=20, choices=ProjectCategory.choices, blank=True)
    waits_for_payment = models.BooleanField(_("缴费后办结本阶段"), default=False)

    class Meta:
        verbose_name = _("阶段收费规则")
        verbose_name_plural = _("阶段收费规则")
        constraints = [models.CheckConstraint(condition=Q(check_limit_days__gte=1), name="stage_fee_rule_limit")]

    def __str__(self) -> str:
        return str(self.stage)


class BillStatus(models.TextChoices):
    CHECKING = "checking", _("核定中")
    ISSUED = "issued", _("待缴款")
    PAID = "paid", _("已缴款")
    REFUNDED = "refunded", _("已全额退款")
    CANCELLED = "cancelled", _("已作废")


class Bill(models.Model):
    number = models.CharField(_("缴款通知书编号"), max_length=40, unique=True)
    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="fee_bills")
    stage_position = models.PositiveSmallIntegerField(_("阶段序号"))
    stage_name = models.CharField(_("阶段"), max_length=100, blank=True)
    region = models.ForeignKey(
        Organisation, verbose_name=_("受理地"), on_delete=models.PROTECT, related_name="fee_bills"
    )
    payer = models.ForeignKey(Applicant, verbose_name=_("缴款人"), on_delete=models.PROTECT, related_name="fee_bills")
    payer_classes = models.JSONField(_("缴款人类别"), default=list, blank=True)
    project_category = models.CharField(_("项目类别"), max_length=20, choices=ProjectCategory.choices, blank=True)
    industry = models.CharField(_("所属行业"), max_length=60, blank=True)
    inputs = models.JSONField(_("收费资料"), default=dict, blank=True)
    computed_on = models.DateField(_("计费日期"))
    opened_on = models.DateField(_("推送日期"))
    limit_days = models.PositiveSmallIntegerField(_("核定时限（工作日）"))
    due_on = models.DateField(_("核定截止日期"))
    warning_level = models.CharField(_("预警"), max_length=10, choices=WARNING_CHOICES, default="normal")
    waits_for_payment = models.BooleanField(_("缴费后办结本阶段"), default=False)
    status = models.CharField(_("状态"), max_length=20, choices=BillStatus.choices, default=BillStatus.CHECKING)
    payment_code = models.CharField(_("缴款码"), max_length=20, null=True, blank=True, unique=True)
    issued_at = models.DateTimeField(_("出具时间"), null=True, blank=True)
    paid_at = models.DateTimeField(_("缴款时间"), null=True, blank=True)
    computed_total = models.DecimalField(_("应收合计"), default=0, max_digits=16, decimal_places=2)
    due_total = models.DecimalField(_("应缴合计"), default=0, max_digits=16, decimal_places=2)
    subsidised_total = models.DecimalField(_("财政补贴合计"), default=0, max_digits=16, decimal_places=2)
    refunded_total = models.DecimalField(_("已退款合计"), default=0, max_digits=16, decimal_places=2)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("缴款通知书")
        verbose_name_plural = _("缴款通知书")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "stage_position"], name="fee_bill_case_stage_unique"),
            models.CheckConstraint(
                condition=Q(refunded_total__lte=models.F("due_total")), name="fee_bill_refund_bound"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="fee_bill_status_due_idx"),
            models.Index(fields=["region", "opened_on"], name="fee_bill_region_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class FeeCheckStatus(models.TextChoices):
    OPEN = "open", _("待核定")
    SEALED = "sealed", _("已核定签章")


class FeeCheck(models.Model):
    """One collecting department's check of its lines of a bill (收费核定), on the bill's clock."""

    bill = models.ForeignKey(Bill, verbose_name=_("缴款通知书"), on_delete=models.CASCADE, related_name="checks")
    department = models.ForeignKey(
        Organisation, verbose_name=_("执收部门"), on_delete=models.PROTECT, related_name="fee_checks"
    )
    status = models.CharField(_("状态"), max_length=10, choices=FeeCheckStatus.choices, default=FeeCheckStatus.OPEN)
    sealed_by = models.ForeignKey(
        User, verbose_name=_("核定人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sealed_at = models.DateTimeField(_("签章时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("收费核定")
        verbose_name_plural = _("收费核定")
        ordering = ["bill", "department__code"]
        constraints = [models.UniqueConstraint(fields=["bill", "department"], name="fee_check_bill_department_unique")]
        indexes = [models.Index(fields=["department", "status"], name="fee_check_department_idx")]

    def __str__(self) -> str:
        return f"{self.bill} · {self.department}"


class BillLine(models.Model):
    """One fee item of a bill, as computed on the bill's day, then confirmed or corrected and sealed."""

    bill = models.ForeignKey(Bill, verbose_name=_("缴款通知书"), on_delete=models.CASCADE, related_name="lines")
    fee_check = models.ForeignKey(FeeCheck, verbose_name=_("收费核定"), on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(FeeItem, verbose_name=_("收费项目"), on_delete=models.PROTECT, related_name="bill_lines")
    item_code = models.CharField(_("收费项目编码"), max_length=40)
    item_name = models.CharField(_("收费项目名称"), max_length=100)
    kind = models.CharField(_("收费类别"), max_length=20, choices=FeeKind.choices)
    account_name = models.CharField(_("收款账户名称"), max_length=100)
    account_number = models.CharField(_("收款账号"), max_length=40)
    computed_amount = models.DecimalField(_("应收金额"), max_digits=16, decimal_places=2)
    due_amount = models.DecimalField(_("应缴金额"), max_digits=16, decimal_places=2)
    subsidised_amount = models.DecimalField(_("财政补贴金额"), max_digits=16, decimal_places=2)
    policy = models.ForeignKey(
        FeePolicy,
        verbose_name=_("适用政策"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bill_lines",
    )
    policy_kind = models.CharField(_("政策类型"), max_length=20, choices=PolicyKind.choices, blank=True)
    policy_document_number = models.CharField(_("政策文号"), max_length=60, blank=True)
    inputs_missing = models.JSONField(_("缺少的收费资料"), default=list, blank=True)
    proposed_due_amount = models.DecimalField(_("系统计算应缴金额"), max_digits=16, decimal_places=2)
    correction_reason = models.TextField(_("更正理由"), blank=True)
    seal_signature = models.TextField(_("电子签章（签名）"), blank=True)
    seal_certificate = models.TextField(_("签章证书"), blank=True)
    sealed_at = models.DateTimeField(_("签章时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("缴款明细")
        verbose_name_plural = _("缴款明细")
        ordering = ["bill", "item_code"]
        constraints = [
            models.UniqueConstraint(fields=["bill", "item"], name="fee_bill_line_item_unique"),
            models.CheckConstraint(
                condition=Q(due_amount__gte=0) & Q(subsidised_amount__gte=0) & Q(computed_amount__gte=0),
                name="fee_bill_line_amounts_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bill} · {self.item_name}"

    @property
    def corrected(self) -> bool:
        return bool(self.due_amount != self.proposed_due_amount)

    @property
    def relieved_amount(self) -> Decimal:
        """What the payer does not pay because of the policy (waived, exempted, subsidised or reduced)."""
        return Decimal(self.computed_amount) - Decimal(self.due_amount)
