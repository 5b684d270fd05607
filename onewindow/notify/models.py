"""Every message the platform sends, with its outcome (who, what, through which channel, when)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onewindow.orgs.models import User


class Channel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")


class Delivery(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    recipient = models.ForeignKey(User, verbose_name=_("接收人"), on_delete=models.PROTECT, related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    # What the message is about, e.g. "dispatch.reminder" or "briefings.monthly": for lists and counts.
    topic = models.CharField(_("类别"), max_length=50)
    # A message with a key is sent at most once per channel (a reminder per project and cut-off).
    dedupe_key = models.CharField(_("去重键"), max_length=200, blank=True)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    attachment_names = models.JSONField(_("附件"), default=list, blank=True)
    address = models.CharField(_("发送地址"), max_length=254, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    provider_id = models.CharField(_("服务商消息号"), max_length=100, blank=True)
    error = models.CharField(_("失败原因"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("消息发送记录")
        verbose_name_plural = _("消息发送记录")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "dedupe_key"], condition=~Q(dedupe_key=""), name="delivery_once_per_key"
            )
        ]
        indexes = [models.Index(fields=["recipient", "-sent_at"], name="delivery_recipient_idx")]

    def __str__(self) -> str:
        return f"{self.channel} {self.recipient_id} {self.subject}"
