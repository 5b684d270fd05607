"""Storage of the key-project registry: projects, annual plans, phase history, service teams,
roadmaps (milestones and their approval cases), campaigns and concentrated starts.

Amounts are in 万元 (Decimal, 14 digits, two places). Rules live in domain.py; writes go through services.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from onewindow.cases.models import Case
from onewindow.orgs.models import Organisation, User
from onewindow.projects.domain import LEVEL_LABELS, MILESTONE_KIND_LABELS, PHASE_LABELS, TEAM_ROLE_LABELS

# The labels live in the domain, which must not import Django; they are named here so that
# makemessages finds them (the pages translate them at display time).
LABEL_MESSAGES = (
    *(gettext_noop("储备"), gettext_noop("前期"), gettext_noop("新开工"), gettext_noop("续建")),
    *(gettext_noop("竣工"), gettext_noop("投产"), gettext_noop("市级重点项目"), gettext_noop("区级重点项目")),
    *(gettext_noop("包联领导"), gettext_noop("首席服务人"), gettext_noop("项目秘书"), gettext_noop("企业特派员")),
    *(gettext_noop("土地"), gettext_noop("审批"), gettext_noop("开工"), gettext_noop("封顶"), gettext_noop("其他")),
    *(gettext_noop("按期完成"), gettext_noop("滞后完成"), gettext_noop("已超期"), gettext_noop("未到期")),
)


class Project(models.Model):
    code = models.CharField(_("项目编码"), max_length=40, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    owner_name = models.CharField(_("业主单位"), max_length=200)
    owner_credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    district = models.ForeignKey(
        Organisation, verbose_name=_("所属区县"), on_delete=models.PROTECT, related_name="projects"
    )
    responsible_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_projects",
    )
    industry = models.CharField(_("行业"), max_length=50)
    chain_tags = models.JSONField(_("产业链"), default=list, blank=True)
    total_investment = models.DecimalField(_("总投资（万元）"), max_digits=14, decimal_places=2)
    phase = models.CharField(_("阶段"), max_length=20, choices=list(PHASE_LABELS.items()), default="reserve")
    level = models.CharField(_("级别"), max_length=10, choices=list(LEVEL_LABELS.items()), default="district")
    planned_start = models.DateField(_("计划开工"), null=True, blank=True)
    planned_finish = models.DateField(_("计划竣工"), null=True, blank=True)
    actual_start = models.DateField(_("实际开工"), null=True, blank=True)
    location = models.CharField(_("建设地点"), max_length=200, blank=True)
    description = models.TextField(_("建设内容"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("重点项目")
        verbose_name_plural = _("重点项目")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["district", "phase"], name="project_district_phase_idx"),
            models.Index(fields=["phase", "level"], name="project_phase_level_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total_investment__gte=0), name="project_investment_not_negative"),
            models.CheckConstraint(
                condition=Q(planned_finish__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_finish__gte=models.F("planned_start")),
                name="project_finish_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AnnualPlan(models.Model):
    """The investment planned for one project in one year (年度计划投资)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="annual_plans")
    year = models.PositiveSmallIntegerField(_("年度"))
    planned_investment = models.DecimalField(_("年度计划投资（万元）"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("年度计划")
        verbose_name_plural = _("年度计划")
        ordering = ["project", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="annual_plan_one_per_year"),
            models.CheckConstraint(condition=Q(planned_investment__gte=0), name="annual_plan_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year}"


class PhaseChange(models.Model):
    """Who moved a project from one phase to another, when and why (also in the audit log)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(_("原阶段"), max_length=20, choices=list(PHASE_LABELS.items()))
    to_phase = models.CharField(_("新阶段"), max_length=20, choices=list(PHASE_LABELS.items()))
    reason = models.TextField(_("原因"))
    changed_by = models.ForeignKey(User, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("阶段变更")
        verbose_name_plural = _("阶段变更")
        ordering = ["project", "changed_at"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.from_phase}→{self.to_phase}"


class TeamMember(models.Model):
    """One person of a project's service team (包联领导, 首席服务人, 项目秘书, 企业特派员)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="team")
    role = models.CharField(_("职责"), max_length=20, choices=list(TEAM_ROLE_LABELS.items()))
    user = models.ForeignKey(User, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="project_roles")

    class Meta:
        verbose_name = _("服务专班成员")
        verbose_name_plural = _("服务专班成员")
        constraints = [models.UniqueConstraint(fields=["project", "role"], name="team_one_person_per_role")]
        indexes = [models.Index(fields=["user", "role"], name="team_user_role_idx")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.role} {self.user_id}"


class Milestone(models.Model):
    """A node of the roadmap (推进路径图). `latest_on` comes from reverse scheduling; `planned_on`
    is the date the team commits to (by default the latest date); `actual_on` when reached."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(_("顺序"))
    kind = models.CharField(_("类型"), max_length=20, choices=list(MILESTONE_KIND_LABELS.items()))
    name = models.CharField(_("节点名称"), max_length=100)
    duration_days = models.PositiveSmallIntegerField(_("所需天数"))
    # Approvals count working days (行政许可法 Art. 82); building work counts calendar days.
    counts_working_days = models.BooleanField(_("按工作日计"), default=False)
    latest_on = models.DateField(_("最迟完成"), null=True, blank=True)
    planned_on = models.DateField(_("计划完成"), null=True, blank=True)
    actual_on = models.DateField(_("实际完成"), null=True, blank=True)
    cases = models.ManyToManyField(Case, verbose_name=_("审批办件"), blank=True, related_name="milestones")

    class Meta:
        verbose_name = _("路径节点")
        verbose_name_plural = _("路径节点")
        ordering = ["project", "position"]
        constraints = [models.UniqueConstraint(fields=["project", "position"], name="milestone_position_unique")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.position} {self.name}"


class Roadmap(models.Model):
    """The roadmap's target (倒排工期的目标日) and whether it is published."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="roadmap")
    target_on = models.DateField(_("目标日期"))
    is_published = models.BooleanField(_("已发布"), default=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("推进路径图")
        verbose_name_plural = _("推进路径图")

    def __str__(self) -> str:
        return f"{self.project_id} → {self.target_on}"


class Campaign(models.Model):
    """A campaign (百日攻坚 and the like) with member projects and targets."""

    name = models.CharField(_("名称"), max_length=100)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    target_starts = models.PositiveIntegerField(_("目标开工数"), default=0)
    target_completions = models.PositiveIntegerField(_("目标竣工数"), default=0)
    # Share of the member projects' annual planned investment to complete by the end (e.g. 0.90).
    target_investment_share = models.DecimalField(_("目标投资完成率"), max_digits=4, decimal_places=3, default=0)
    projects = models.ManyToManyField(Project, verbose_name=_("成员项目"), blank=True, related_name="campaigns")
    # The key-project office's region that organises it: offices of that region, above it and below
    # it see it before it has projects (an office elsewhere sees it once it holds one of theirs).
    region = models.ForeignKey(
        Organisation, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("攻坚行动")
        verbose_name_plural = _("攻坚行动")
        ordering = ["-starts_on"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_dates")]

    def __str__(self) -> str:
        return self.name


class StartEvent(models.Model):
    """A concentrated start (集中开工): many projects start on one day."""

    name = models.CharField(_("名称"), max_length=100)
    held_on = models.DateField(_("日期"))
    venue = models.CharField(_("主会场"), max_length=200, blank=True)
    projects = models.ManyToManyField(Project, verbose_name=_("开工项目"), blank=True, related_name="start_events")
    # The key-project office's region that organises it: offices of that region, above it and below
    # it see it before it has projects (an office elsewhere sees it once it holds one of theirs).
    region = models.ForeignKey(
        Organisation, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("集中开工")
        verbose_name_plural = _("集中开工")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.name}"
