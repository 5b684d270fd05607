"""The money of a bill: payments through a provider, every callback received, refunds and the electronic
receipts (财政电子票据, one per collecting department and account: together, the bill's 网上回执)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onewindow import clock
from onewindow.fees.models.bills import Bill, BillLine
from onewindow.orgs.models import Organisation, User


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("待支付")
    SUCCEEDED = "succeeded", _("支付成功")
    FAILED = "failed", _("支付失败")


class Payment(models.Model):
    """One attempt to pay a bill through a provider (非税收入缴款平台、银行). At most one succeeds per bill."""

    bill = models.ForeignKey(Bill, verbose_name=_("缴款通知书"), on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(_("支付渠道"), max_length=40)
    order_number = models.CharField(_("支付订单号"), max_length=64, unique=True)
    provider_reference = models.CharField(_("渠道交易流水号"), max_length=64, blank=True)
    amount = models.DecimalField(_("金额"), max_digits=16, decimal_places=2)
    status = models.CharField(_("状态"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now, editable=False)
    paid_at = models.DateTimeField(_("支付时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("支付")
        verbose_name_plural = _("支付")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["bill"], condition=Q(status="succeeded"), name="fee_payment_one_success_per_bill"
            ),
        ]

    def __str__(self) -> str:
        return self.order_number


class PaymentCallback(models.Model):
    """Every notification a provider sent, verified or not, kept as received (全程留痕). A provider's
    event id is recorded once: a repeated callback finds its row and changes nothing."""

    provider = models.CharField(_("支付渠道"), max_length=40)
    event_id = models.CharField(_("通知编号"), max_length=64)
    payment = models.ForeignKey(
        Payment, verbose_name=_("支付"), null=True, blank=True, on_delete=models.PROTECT, related_name="callbacks"
    )
    body = models.TextField(_("通知内容"))
    signature_valid = models.BooleanField(_("验签通过"))
    outcome = models.CharField(_("处理结果"), max_length=40)
    received_at = models.DateTimeField(_("接收时间"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("支付通知")
        verbose_name_plural = _("支付通知")
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="fee_callback_event_unique")]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id}"


class Refund(models.Model):
    """Money given back on one line of a paid bill (全额或部分退款), with its reason."""

    bill = models.ForeignKey(Bill, verbose_name=_("缴款通知书"), on_delete=models.PROTECT, related_name="refunds")
    line = models.ForeignKey(BillLine, verbose_name=_("缴款明细"), on_delete=models.PROTECT, related_name="refunds")
    payment = models.ForeignKey(Payment, verbose_name=_("原支付"), on_delete=models.PROTECT, related_name="refunds")
    number = models.CharField(_("退款编号"), max_length=64, unique=True)
    amount = models.DecimalField(_("退款金额"), max_digits=16, decimal_places=2)
    reason = models.TextField(_("退款理由"))
    refunded_by = models.ForeignKey(User, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+")
    refunded_at = models.DateTimeField(_("退款时间"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("退款")
        verbose_name_plural = _("退款")
        ordering = ["-refunded_at"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="fee_refund_positive")]

    def __str__(self) -> str:
        return self.number


class Receipt(models.Model):
    """One electronic receipt (电子票据) per collecting department and account of a paid bill."""

    bill = models.ForeignKey(Bill, verbose_name=_("缴款通知书"), on_delete=models.PROTECT, related_name="receipts")
    department = models.ForeignKey(
        Organisation, verbose_name=_("执收部门"), on_delete=models.PROTECT, related_name="fee_receipts"
    )
    account_name = models.CharField(_("收款账户名称"), max_length=100)
    account_number = models.CharField(_("收款账号"), max_length=40)
    number = models.CharField(_("票据号码"), max_length=40, unique=True)
    check_code = models.CharField(_("校验码"), max_length=20)
    amount = models.DecimalField(_("金额"), max_digits=16, decimal_places=2)
    data = models.JSONField(_("票据内容"), default=dict)
    signature = models.TextField(_("电子签名"), blank=True)
    issued_at = models.DateTimeField(_("开具时间"))

    class Meta:
        verbose_name = _("电子票据")
        verbose_name_plural = _("电子票据")
        ordering = ["bill", "department__code", "account_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["bill", "department", "account_number"], name="fee_receipt_bill_account_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.number
