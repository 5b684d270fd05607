"""What follows 告知承诺 on the record: the revocation of an approval on commitment and the applicant's
credit record."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.cases.models.case import Case
from onewindow.cases.models.review import Task
from onewindow.orgs.models import Applicant, User


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
