"""Storage of the monthly leader reports (领导月报) and what was sent of them.

One LeaderReport per leader and month: the SMS text, the Word and PDF bulletins, a few figures for
the office's list, and `region` — the lowest organisation covering every project in the report,
which decides which key-project offices see it. Regenerating a month replaces the text and the
files and bumps `version`; each send records its notify Delivery here with the version it carried.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onewindow.notify.models import Delivery
from onewindow.orgs.models import Organisation, User


class LeaderReport(models.Model):
    leader = models.ForeignKey(User, verbose_name=_("领导"), on_delete=models.PROTECT, related_name="leader_reports")
    period = models.DateField(_("月份"))  # the first day of the month
    region = models.ForeignKey(
        Organisation,
        verbose_name=_("所属区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leader_reports",
    )
    sms_text = models.TextField(_("短信内容"))
    title = models.CharField(_("标题"), max_length=200)
    project_count = models.PositiveIntegerField(_("包联项目数"), default=0)
    annual_plan = models.DecimalField(_("年度计划投资（万元）"), max_digits=16, decimal_places=2, default=0)
    invested_ytd = models.DecimalField(_("累计完成投资（万元）"), max_digits=16, decimal_places=2, default=0)
    lagging_count = models.PositiveIntegerField(_("滞后及无进展项目数"), default=0)
    overdue_problem_count = models.PositiveIntegerField(_("超期问题数"), default=0)
    # The bulletin as the files show it (domain.printable.Printable as JSON): the preview draws it.
    content = models.JSONField(_("月报内容"), default=dict)
    # Empty until drawn (services.reports.report_files_ensure) when generated without files.
    docx = models.FileField(_("Word 文件"), upload_to="briefings/%Y/%m/", max_length=200, blank=True)
    pdf = models.FileField(_("PDF 文件"), upload_to="briefings/%Y/%m/", max_length=200, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    generated_at = models.DateTimeField(_("生成时间"))
    generated_by = models.ForeignKey(
        User, verbose_name=_("生成人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("领导月报")
        verbose_name_plural = _("领导月报")
        ordering = ["-period", "leader_id"]
        constraints = [
            models.UniqueConstraint(fields=["leader", "period"], name="leader_report_one_per_month"),
            models.CheckConstraint(condition=Q(version__gte=1), name="leader_report_version_positive"),
            models.CheckConstraint(condition=Q(period__day=1), name="leader_report_period_first_of_month"),
        ]
        indexes = [models.Index(fields=["period", "region"], name="leader_report_period_idx")]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.leader_id}"


class ReportDelivery(models.Model):
    """One message that carried a report: the SMS text or the e-mail with both files."""

    report = models.ForeignKey(LeaderReport, on_delete=models.CASCADE, related_name="deliveries")
    delivery = models.OneToOneField(Delivery, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("版本"))
    sent_by = models.ForeignKey(
        User, verbose_name=_("发送人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("月报发送记录")
        verbose_name_plural = _("月报发送记录")
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.version} {self.delivery_id}"
