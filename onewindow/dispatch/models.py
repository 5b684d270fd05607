"""Storage of dispatch (调度): reporting cycles, progress reports (one per project per cut-off),
the secretary's daily site reports, their photos, and problems with their history.

Amounts are in 万元. Rules live in domain.py; writes go through services.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from onewindow.dispatch.domain import (
    CYCLE_KIND_LABELS,
    PROBLEM_CATEGORY_LABELS,
    PROBLEM_LEVEL_LABELS,
    PROBLEM_STATUS_LABELS,
)
from onewindow.orgs.models import Organisation, User
from onewindow.projects.models import Project

# The labels live in the domain, which must not import Django; they are named here so that
# makemessages finds them, and the choices translate them when shown.
LABEL_MESSAGES = (
    gettext_noop("一旬一调度"),
    gettext_noop("月调度"),
    gettext_noop("用地"),
    gettext_noop("审批"),
    gettext_noop("资金"),
    gettext_noop("征迁"),
    gettext_noop("水电气配套"),
    gettext_noop("环保"),
    gettext_noop("其他"),
    gettext_noop("区县调度"),
    gettext_noop("市直部门调度"),
    gettext_noop("市领导调度"),
    gettext_noop("办理中"),
    gettext_noop("已答复待确认"),
    gettext_noop("已办结"),
)


E = TypeVar("E", bound=StrEnum)


def _choices(labels: Mapping[E, str]) -> list[tuple[str, Any]]:
    return [(key.value, _(label)) for key, label in labels.items()]


class DispatchCycle(models.Model):
    """How often a region's projects report: every ten days, or monthly with a cut-off day.

    The cycle of the nearest region up the tree applies; the city's is the default."""

    region = models.OneToOneField(
        Organisation, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="dispatch_cycle"
    )
    kind = models.CharField(_("调度周期"), max_length=10, choices=_choices(CYCLE_KIND_LABELS))
    # Monthly: the day of the month reports are due (a shorter month uses its last day).
    cutoff_day = models.PositiveSmallIntegerField(_("截止日"), default=30)
    remind_days_before = models.PositiveSmallIntegerField(_("提前提醒天数"), default=2)

    class Meta:
        verbose_name = _("调度周期")
        verbose_name_plural = _("调度周期")
        constraints = [
            models.CheckConstraint(condition=Q(cutoff_day__gte=1, cutoff_day__lte=31), name="cycle_cutoff_day_range")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.kind}"


class ProgressReport(models.Model):
    """A project's report for one dispatch period (the monthly report in a monthly cycle)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress_reports")
    period_start = models.DateField(_("起始日"))
    period_end = models.DateField(_("截止日"))
    invested_in_period = models.DecimalField(_("本期完成投资（万元）"), max_digits=14, decimal_places=2)
    invested_year_to_date = models.DecimalField(_("年度累计完成投资（万元）"), max_digits=14, decimal_places=2)
    progress_note = models.TextField(_("形象进度"))
    workers = models.PositiveIntegerField(_("在岗人数"), default=0)
    difficulties = models.TextField(_("存在问题"), blank=True)
    submitted_by = models.ForeignKey(User, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    is_late = models.BooleanField(_("逾期填报"), default=False)
    # Closed by the period's ranking: no more edits (services.reports.progress_reports_lock).
    is_locked = models.BooleanField(_("已锁定"), default=False)

    class Meta:
        verbose_name = _("进度填报")
        verbose_name_plural = _("进度填报")
        ordering = ["project", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period_end"], name="report_one_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="report_period_order"),
            models.CheckConstraint(
                condition=Q(invested_in_period__gte=0) & Q(invested_year_to_date__gte=models.F("invested_in_period")),
                name="report_amounts_consistent",
            ),
        ]
        indexes = [models.Index(fields=["period_end", "project"], name="report_period_project_idx")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.period_end}"


class SiteReport(models.Model):
    """The project secretary's daily site report (日报): workers and machines on site, a note."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="site_reports")
    reported_on = models.DateField(_("日期"))
    workers = models.PositiveIntegerField(_("在岗人数"))
    machines = models.PositiveIntegerField(_("机械台数"))
    note = models.TextField(_("现场情况"), blank=True)
    reported_by = models.ForeignKey(User, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("现场日报")
        verbose_name_plural = _("现场日报")
        ordering = ["project", "reported_on"]
        constraints = [models.UniqueConstraint(fields=["project", "reported_on"], name="site_report_one_per_day")]
        indexes = [models.Index(fields=["reported_on", "project"], name="site_report_day_idx")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.reported_on}"


class Photo(models.Model):
    """A photo of a progress report or a site report (形象进度照片)."""

    progress_report = models.ForeignKey(
        ProgressReport, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    site_report = models.ForeignKey(SiteReport, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("照片"), upload_to="projects/photos/%Y/%m/")
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # Judged from the file's leading bytes (JPEG or PNG), never from its name.
    content_type = models.CharField(_("格式"), max_length=20, default="image/jpeg")
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(
        User, verbose_name=_("上传人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_report__isnull=True) ^ Q(site_report__isnull=True), name="photo_one_report"
            )
        ]

    def __str__(self) -> str:
        return self.caption or self.file.name


class Problem(models.Model):
    """A difficulty raised on a project (问题交办), assigned to a unit with a deadline."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="problems")
    category = models.CharField(_("类别"), max_length=20, choices=_choices(PROBLEM_CATEGORY_LABELS))
    title = models.CharField(_("问题"), max_length=200)
    description = models.TextField(_("具体情况"), blank=True)
    raised_by = models.ForeignKey(User, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField(_("提出日期"))
    level = models.CharField(_("调度层级"), max_length=20, choices=_choices(PROBLEM_LEVEL_LABELS))
    assigned_unit = models.ForeignKey(
        Organisation, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="assigned_problems"
    )
    due_on = models.DateField(_("办理期限"))
    status = models.CharField(_("状态"), max_length=20, choices=_choices(PROBLEM_STATUS_LABELS), default="open")
    answer = models.TextField(_("办理答复"), blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    # A stalled approval becomes a problem: the case it is about, when there is one.
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("关联办件"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("交办问题")
        verbose_name_plural = _("交办问题")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["assigned_unit", "status", "due_on"], name="problem_unit_status_idx"),
            models.Index(fields=["project", "status"], name="problem_project_status_idx"),
            models.Index(fields=["status", "due_on"], name="problem_status_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class ProblemStep(models.Model):
    """The history of a problem: raised, escalated, answered, returned, confirmed."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("动作"), max_length=20)
    level = models.CharField(_("调度层级"), max_length=20, choices=_choices(PROBLEM_LEVEL_LABELS))
    unit = models.ForeignKey(Organisation, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("说明"), blank=True)
    # The deadline set by this step (raised, escalated): one assignment of the problem to a unit.
    due_on = models.DateField(_("办理期限"), null=True, blank=True)
    actor = models.ForeignKey(
        User, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("问题办理记录")
        verbose_name_plural = _("问题办理记录")
        ordering = ["problem", "at", "pk"]
        indexes = [models.Index(fields=["due_on", "unit"], name="problem_step_due_idx")]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.action}"
