"""Storage of quantified ranking (量化排位), warnings (预警) and assessment (考核).

Every result row keeps the inputs it was computed from and the rule version that computed it,
so a page can show why a project is lagging and a replay can be compared with the original.
Periods are calendar months stored as their first day. Rules live in domain/; writes go through
services/ (a period's results are recomputed idempotently by `ranking_run`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from onewindow.orgs.models import Organisation, User
from onewindow.projects.domain import PHASE_LABELS
from onewindow.projects.models import Project
from onewindow.ranking.domain.assessment import WINDOW_LABELS
from onewindow.ranking.domain.classification import REASON_LABELS
from onewindow.ranking.domain.rules import RANK_CLASS_LABELS, WARNING_LEVEL_LABELS

# The labels live in the domain, which must not import Django; they are named here so that
# makemessages finds them (the choices translate them at display time).
LABEL_MESSAGES = (
    *(gettext_noop("超序时"), gettext_noop("正常推进"), gettext_noop("滞后"), gettext_noop("无进展")),
    *(gettext_noop("黄色预警"), gettext_noop("红色预警"), gettext_noop("组织处理建议")),
    *(gettext_noop("月度"), gettext_noop("季度"), gettext_noop("年度")),
    *(gettext_noop("投资完成"), gettext_noop("新开工"), gettext_noop("问题按期办结"), gettext_noop("按时填报")),
    gettext_noop("本期无投资且无节点完成"),
    gettext_noop("路径节点滞后超过规定天数"),
    gettext_noop("投资完成率低于序时进度"),
    gettext_noop("投资完成率超过序时进度且节点按期"),
    gettext_noop("投资完成与序时进度基本相符"),
    gettext_noop("前期项目，路径节点未超期"),
)


def translated(labels: Mapping[Any, str]) -> list[tuple[str, Any]]:
    """Choices from a domain label table, translated when shown."""
    return [(str(key), _(label)) for key, label in labels.items()]


def _first_of_month(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__day": 1}), name=name)


class RuleVersion(models.Model):
    """One version of the rulebook (thresholds and weights), in force from a period onwards."""

    number = models.PositiveIntegerField(_("版本号"), unique=True)
    effective_from = models.DateField(_("生效月份"), unique=True)
    rules = models.JSONField(_("规则"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("排位规则版本")
        verbose_name_plural = _("排位规则版本")
        ordering = ["-effective_from"]
        constraints = [_first_of_month("effective_from", "rule_version_effective_first_of_month")]

    def __str__(self) -> str:
        return f"v{self.number} ({self.effective_from:%Y-%m})"


class RankingRun(models.Model):
    """The last computation of one period: when, by whom (none for the periodic job), with which rules."""

    period = models.DateField(_("月份"), unique=True)
    rule_version = models.ForeignKey(
        RuleVersion, verbose_name=_("规则版本"), on_delete=models.PROTECT, related_name="+"
    )
    ran_at = models.DateTimeField(_("计算时间"))
    ran_by = models.ForeignKey(
        User, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    project_count = models.PositiveIntegerField(_("参评项目数"), default=0)
    district_count = models.PositiveIntegerField(_("参评区县数"), default=0)
    warning_count = models.PositiveIntegerField(_("预警数"), default=0)

    class Meta:
        verbose_name = _("排位计算")
        verbose_name_plural = _("排位计算")
        ordering = ["-period"]
        constraints = [_first_of_month("period", "ranking_run_period_first_of_month")]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m}"


class ProjectRank(models.Model):
    """A project's class in one period, with every input of the rule that classed it."""

    period = models.DateField(_("月份"))
    # No index of their own on the foreign keys: writing 10,000 rows a month, each index costs; the
    # composite indexes below serve the reads (a project's history, a district's month).
    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="ranks", db_index=False
    )
    district = models.ForeignKey(
        Organisation, verbose_name=_("所属区县"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    responsible_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    rank_class = models.CharField(_("排位类别"), max_length=20, choices=translated(RANK_CLASS_LABELS))
    reason = models.CharField(_("判定依据"), max_length=30, choices=translated(REASON_LABELS))
    phase = models.CharField(_("阶段"), max_length=20, choices=list(PHASE_LABELS.items()))
    annual_plan = models.DecimalField(_("年度计划投资（万元）"), max_digits=14, decimal_places=2)
    invested_year_to_date = models.DecimalField(_("年度累计完成投资（万元）"), max_digits=14, decimal_places=2)
    invested_in_period = models.DecimalField(_("本月完成投资（万元）"), max_digits=14, decimal_places=2)
    completion_pct = models.DecimalField(_("投资完成率（%）"), null=True, blank=True, max_digits=9, decimal_places=2)
    elapsed_pct = models.DecimalField(_("序时进度（%）"), max_digits=9, decimal_places=2)
    gap_points = models.DecimalField(
        _("与序时进度之差（百分点）"), null=True, blank=True, max_digits=9, decimal_places=2
    )
    slippage_days = models.PositiveIntegerField(_("节点滞后天数"), default=0)
    milestone_reached = models.BooleanField(_("本月完成节点"), default=False)
    has_report = models.BooleanField(_("本月已填报"), default=False)
    report_on_time = models.BooleanField(_("按时填报"), default=False)
    rule_version = models.ForeignKey(
        RuleVersion, verbose_name=_("规则版本"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("项目排位")
        verbose_name_plural = _("项目排位")
        ordering = ["period", "project"]
        constraints = [
            models.UniqueConstraint(fields=["period", "project"], name="project_rank_one_per_period"),
            _first_of_month("period", "project_rank_period_first_of_month"),
        ]
        indexes = [
            models.Index(fields=["period", "district", "rank_class"], name="project_rank_district_idx"),
            models.Index(fields=["project", "period"], name="project_rank_history_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.project_id} {self.rank_class}"


class DistrictRank(models.Model):
    """A district's score and position in one period, with its inputs and whether it met its target."""

    period = models.DateField(_("月份"))
    district = models.ForeignKey(Organisation, verbose_name=_("区县"), on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)
    position = models.PositiveSmallIntegerField(_("排名"))
    target_met = models.BooleanField(_("完成序时目标"))
    annual_plan = models.DecimalField(_("年度计划投资（万元）"), max_digits=14, decimal_places=2)
    invested_year_to_date = models.DecimalField(_("年度累计完成投资（万元）"), max_digits=14, decimal_places=2)
    target_amount = models.DecimalField(_("序时目标（万元）"), max_digits=14, decimal_places=2)
    completion_pct = models.DecimalField(_("投资完成率（%）"), null=True, blank=True, max_digits=9, decimal_places=2)
    elapsed_pct = models.DecimalField(_("序时进度（%）"), max_digits=9, decimal_places=2)
    ahead_count = models.PositiveIntegerField(_("超序时"), default=0)
    normal_count = models.PositiveIntegerField(_("正常推进"), default=0)
    lagging_count = models.PositiveIntegerField(_("滞后"), default=0)
    no_progress_count = models.PositiveIntegerField(_("无进展"), default=0)
    components = models.JSONField(_("得分构成"), default=dict)
    # Consecutive periods, ending with this one, ranked last with the target unmet (domain.warnings).
    last_unmet_streak = models.PositiveSmallIntegerField(_("连续末位未达标期数"), default=0)
    rule_version = models.ForeignKey(
        RuleVersion, verbose_name=_("规则版本"), on_delete=models.PROTECT, related_name="+"
    )
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("区县排位")
        verbose_name_plural = _("区县排位")
        ordering = ["period", "position"]
        constraints = [
            models.UniqueConstraint(fields=["period", "district"], name="district_rank_one_per_period"),
            _first_of_month("period", "district_rank_period_first_of_month"),
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.district_id} #{self.position}"

    @property
    def ranked_count(self) -> int:
        return self.ahead_count + self.normal_count + self.lagging_count + self.no_progress_count


class Warning(models.Model):  # the name the issue and the leader report use (shadows the builtin here only)
    """A district's warning for one period: yellow, red, or organisational handling recommended.

    Issued by the ranking run; acknowledged once by the district's key-project office, which then
    records its rectification (RectificationNote). A replay that no longer warrants it withdraws
    it (withdrawn_at) instead of deleting what the district wrote."""

    district = models.ForeignKey(Organisation, verbose_name=_("区县"), on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("月份"))
    level = models.CharField(_("预警级别"), max_length=20, choices=translated(WARNING_LEVEL_LABELS))
    streak = models.PositiveSmallIntegerField(_("连续末位未达标期数"))
    rule_version = models.ForeignKey(
        RuleVersion, verbose_name=_("规则版本"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("发出时间"))
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        User, verbose_name=_("签收人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-period", "district"]
        constraints = [
            models.UniqueConstraint(fields=["district", "period", "level"], name="warning_once_per_level"),
            _first_of_month("period", "warning_period_first_of_month"),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_by__isnull=False),
                name="warning_acknowledged_by_someone",
            ),
        ]
        indexes = [models.Index(fields=["district", "period"], name="warning_district_idx")]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.district_id} {self.level}"


class RectificationNote(models.Model):
    """What the district did about a warning (整改情况): appended, never edited (and audited)."""

    warning = models.ForeignKey(
        Warning, verbose_name=_("预警"), on_delete=models.CASCADE, related_name="rectification_notes"
    )
    note = models.TextField(_("整改情况"))
    written_by = models.ForeignKey(User, verbose_name=_("填写人"), on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("填写时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改记录")
        verbose_name_plural = _("整改记录")
        ordering = ["warning", "written_at", "pk"]

    def __str__(self) -> str:
        return f"{self.warning_id} {self.written_at:%Y-%m-%d}"


class AssessmentScore(models.Model):
    """A district's or a department's assessment (考核) score for a month, a quarter or a year.

    `period` is the window's first month, `as_of` the last month included (a quarter or a year is
    final when `as_of` is its last month)."""

    class Subject(models.TextChoices):
        DISTRICT = "district", _("区县")
        DEPARTMENT = "department", _("部门")

    window = models.CharField(_("考核周期"), max_length=10, choices=translated(WINDOW_LABELS))
    period = models.DateField(_("起始月份"))
    as_of = models.DateField(_("截至月份"))
    subject = models.CharField(_("考核对象类型"), max_length=20, choices=Subject.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("考核对象"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("排名"), null=True, blank=True)
    indicators = models.JSONField(_("指标明细"), default=dict)
    rule_version = models.ForeignKey(
        RuleVersion, verbose_name=_("规则版本"), on_delete=models.PROTECT, related_name="+"
    )
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("考核得分")
        verbose_name_plural = _("考核得分")
        ordering = ["window", "period", "subject", "position"]
        constraints = [
            models.UniqueConstraint(fields=["window", "period", "organisation"], name="assessment_one_per_window"),
            _first_of_month("period", "assessment_period_first_of_month"),
        ]
        indexes = [models.Index(fields=["window", "period", "subject"], name="assessment_window_idx")]

    def __str__(self) -> str:
        return f"{self.window} {self.period:%Y-%m} {self.organisation_id}"
