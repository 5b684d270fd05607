from __future__ import annotations

from django.db import models


class Event(models.Model):
    """One recorded action. Append-only: database triggers refuse UPDATE and DELETE."""

    stream = models.CharField("流", max_length=120)
    seq = models.PositiveBigIntegerField("序号")
    occurred_at = models.DateTimeField("时间")
    actor_id = models.BigIntegerField("操作人", null=True, blank=True)
    organisation_id = models.BigIntegerField("操作人所属组织", null=True, blank=True)
    action = models.CharField("动作", max_length=100)
    target_type = models.CharField("对象类型", max_length=60)
    target_id = models.CharField("对象", max_length=64)
    changes = models.JSONField("变更", default=dict, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    algorithm = models.CharField("哈希算法", max_length=10)
    prev_hash = models.CharField("前一哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64)

    class Meta:
        verbose_name = "留痕事件"
        verbose_name_plural = "留痕事件"
        constraints = [models.UniqueConstraint(fields=["stream", "seq"], name="audit_event_stream_seq_unique")]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_event_target_idx"),
            models.Index(fields=["occurred_at"], name="audit_event_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.stream}#{self.seq} {self.action}"

    def payload(self) -> dict[str, object]:
        """The fields the hash covers, in the form they were hashed."""
        return {
            "stream": self.stream,
            "seq": self.seq,
            "occurred_at": self.occurred_at.isoformat(),
            "actor_id": self.actor_id,
            "organisation_id": self.organisation_id,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "changes": self.changes,
            "request_id": self.request_id,
            "algorithm": self.algorithm,
        }


class StreamHead(models.Model):
    """The latest link of each stream; its row lock orders the writers of one stream."""

    stream = models.CharField(max_length=120, primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "留痕流头"
        verbose_name_plural = "留痕流头"

    def __str__(self) -> str:
        return f"{self.stream}#{self.seq}"
