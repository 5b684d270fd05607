"""Fee items (收费项目), fee policies (减免政策) and where items attach (事项或一件事阶段). Storage only:
the formulas and policies are read and applied by `fees.domain`; writes go through `fees.services`."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onewindow.catalogue.models import Matter, Stage
from onewindow.orgs.models import Organisation


class FeeKind(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("行政事业性收费")
    FUND = "fund", _("政府性基金")
    SERVICE = "service", _("经营服务性收费")


class FormulaKind(models.TextChoices):
    FIXED = "fixed", _("定额")
    PER_UNIT = "per_unit", _("按单位计征")
    RATE = "rate", _("按基数比例")
    TIERED = "tiered", _("超额累进")


class PolicyKind(models.TextChoices):
    WAIVE = "waive", _("零收费")
    SUBSIDISE = "subsidise", _("财政补贴")
    REDUCE = "reduce", _("减收")
    EXEMPT = "exempt", _("免征")


class PayerClass(models.TextChoices):
    SMALL_MICRO = "small_micro", _("小微企业")


class ProjectCategory(models.TextChoices):
    INDUSTRIAL = "industrial", _("工业项目")


class FeeItem(models.Model):
    code = models.CharField(_("收费项目编码"), max_length=40, unique=True)
    name = models.CharField(_("收费项目名称"), max_length=100)
    legal_basis = models.TextField(_("征收依据"))
    kind = models.CharField(_("收费类别"), max_length=20, choices=FeeKind.choices)
    department = models.ForeignKey(
        Organisation,
        verbose_name=_("执收部门"),
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "department"},
        related_name="fee_items",
    )
    account_name = models.CharField(_("收款账户名称"), max_length=100)
    account_number = models.CharField(_("收款账号"), max_length=40)
    formula_kind = models.CharField(_("计费方式"), max_length=20, choices=FormulaKind.choices)
    formula_params = models.JSONField(_("计费参数"), default=dict)
    unit_label = models.CharField(_("计费标准"), max_length=100, blank=True)
    lower_bound = models.DecimalField(_("下限（元）"), null=True, blank=True, max_digits=16, decimal_places=2)
    upper_bound = models.DecimalField(_("上限（元）"), null=True, blank=True, max_digits=16, decimal_places=2)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("收费项目")
        verbose_name_plural = _("收费项目")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lower_bound__isnull=True)
                | Q(upper_bound__isnull=True)
                | Q(lower_bound__lte=models.F("upper_bound")),
                name="fee_item_bounds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FeePolicy(models.Model):
    """One policy document's rule over some items, dated. A changed rule is a new row; the old one ends."""

    kind = models.CharField(_("政策类型"), max_length=20, choices=PolicyKind.choices)
    document_number = models.CharField(_("文号"), max_length=60)
    title = models.CharField(_("文件标题"), max_length=200)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    factor = models.DecimalField(_("缴纳比例"), max_digits=5, decimal_places=4, default=1)
    at_lower_bound = models.BooleanField(_("按下限计"), default=False)
    payer_class = models.CharField(_("缴费人类别"), max_length=20, choices=PayerClass.choices, blank=True)
    project_category = models.CharField(_("项目类别"), max_length=20, choices=ProjectCategory.choices, blank=True)
    items = models.ManyToManyField(FeeItem, verbose_name=_("适用收费项目"), related_name="policies")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("收费政策")
        verbose_name_plural = _("收费政策")
        ordering = ["-valid_from", "document_number"]
        constraints = [
            models.UniqueConstraint(fields=["document_number", "valid_from"], name="fee_policy_document_period_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="fee_policy_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_number} {self.title}"


class FeeAttachment(models.Model):
    """A fee item charged with a matter, or with a bundle stage: exactly one of the two."""

    item = models.ForeignKey(FeeItem, verbose_name=_("收费项目"), on_delete=models.CASCADE, related_name="attachments")
    matter = models.ForeignKey(
        Matter, verbose_name=_("事项"), null=True, blank=True, on_delete=models.CASCADE, related_name="fee_attachments"
    )
    stage = models.ForeignKey(
        Stage, verbose_name=_("阶段"), null=True, blank=True, on_delete=models.CASCADE, related_name="fee_attachments"
    )

    class Meta:
        verbose_name = _("收费项目挂接")
        verbose_name_plural = _("收费项目挂接")
        constraints = [
            models.CheckConstraint(
                condition=Q(matter__isnull=True, stage__isnull=False) | Q(matter__isnull=False, stage__isnull=True),
                name="fee_attachment_matter_or_stage",
            ),
            models.UniqueConstraint(fields=["item", "matter"], name="fee_attachment_matter_unique"),
            models.UniqueConstraint(fields=["item", "stage"], name="fee_attachment_stage_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.matter or self.stage}"
