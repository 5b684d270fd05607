from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.audit import domain


class Event(models.Model):
    """One recorded action. Append-only: database triggers refuse UPDATE and DELETE."""

    stream = models.CharField(_("流"), max_length=120)
    seq = models.PositiveBigIntegerField(_("序号"))
    occurred_at = models.DateTimeField(_("时间"))
    actor_id = models.BigIntegerField(_("操作人"), null=True, blank=True)
    organisation_id = models.BigIntegerField(_("操作人所属组织"), null=True, blank=True)
    action = models.CharField(_("动作"), max_length=100)
    target_type = models.CharField(_("对象类型"), max_length=60)
    target_id = models.CharField(_("对象"), max_length=64)
    changes = models.JSONField(_("变更"), default=dict, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    algorithm = models.CharField(_("哈希算法"), max_length=10)
    prev_hash = models.CharField(_("前一哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64)

    class Meta:
        verbose_name = _("留痕事件")
        verbose_name_plural = _("留痕事件")
        constraints = [models.UniqueConstraint(fields=["stream", "seq"], name="audit_event_stream_seq_unique")]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_event_target_idx"),
            models.Index(fields=["occurred_at"], name="audit_event_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.stream}#{self.seq} {self.action}"

    def payload(self) -> dict[str, Any]:
        """The fields the hash covers, in the form they were hashed."""
        return domain.event_payload({name: getattr(self, name) for name in domain.PAYLOAD_FIELDS})


class StreamHead(models.Model):
    """The latest link of each stream; its row lock orders the writers of one stream."""

    stream = models.CharField(max_length=120, primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("留痕流头")
        verbose_name_plural = _("留痕流头")

    def __str__(self) -> str:
        return f"{self.stream}#{self.seq}"


class Checkpoint(models.Model):
    """Every stream's head at one moment, one Merkle root over them, signed. Append-only like Event."""

    created_at = models.DateTimeField(_("时间"))
    algorithm = models.CharField(_("哈希算法"), max_length=10)
    root = models.CharField(_("默克尔根"), max_length=64)
    stream_count = models.PositiveIntegerField(_("流数"))
    # The sum of every head's seq: the number of events anchored, and a cheap "anything new?" probe.
    event_count = models.PositiveBigIntegerField(_("事件数"))
    # [[stream, seq, hash], ...] in stream order.
    heads = models.JSONField(_("各流头"), default=list)
    signature_scheme = models.CharField(_("签名算法"), max_length=20)
    public_key = models.TextField(_("公钥(PEM)"))
    key_fingerprint = models.CharField(_("公钥指纹"), max_length=80)
    signature = models.TextField(_("签名(Base64)"))

    class Meta:
        verbose_name = _("留痕检查点")
        verbose_name_plural = _("留痕检查点")
        indexes = [models.Index(fields=["created_at"], name="audit_checkpoint_time_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.root[:12]}"
