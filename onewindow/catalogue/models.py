"""The catalogue of matters (事项目录): matters and bundles, each with immutable published versions.

A case points at the version it was filed under (PROTECT), so a published version never changes:
edits make a new draft, publishing it retires the version before it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onewindow.orgs.models import Organisation


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    RETIRED = "retired", _("已废止")


class Category(models.TextChoices):
    LICENSING = "行政许可", _("行政许可")
    CONFIRMATION = "行政确认", _("行政确认")
    BENEFIT = "行政给付", _("行政给付")
    LEVY = "行政征收", _("行政征收")
    ADJUDICATION = "行政裁决", _("行政裁决")
    REWARD = "行政奖励", _("行政奖励")
    INSPECTION = "行政检查", _("行政检查")
    OTHER_POWER = "其他行政权力", _("其他行政权力")
    PUBLIC_SERVICE = "公共服务", _("公共服务")


class OnlineLevel(models.TextChoices):
    FULLY_ONLINE = "full", _("全程网办")
    ONLINE_INTAKE = "intake", _("网上受理")
    WINDOW = "window", _("窗口办理")


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", _("原件")
    COPY = "copy", _("复印件")
    ELECTRONIC = "electronic", _("电子")


class Matter(models.Model):
    """The lasting identity of a matter; what it says lives in its versions."""

    code = models.CharField(_("事项编码"), max_length=40, unique=True)
    department = models.ForeignKey(
        Organisation,
        verbose_name=_("实施部门"),
        on_delete=models.PROTECT,
        related_name="matters",
        limit_choices_to={"kind": "department"},
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("事项")
        verbose_name_plural = _("事项")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class MatterVersion(models.Model):
    matter = models.ForeignKey(Matter, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(_("状态"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    valid_from = models.DateField(_("生效日期"), null=True, blank=True)
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    name = models.CharField(_("事项名称"), max_length=200)
    category = models.CharField(_("事项类型"), max_length=20, choices=Category.choices)
    legal_basis = models.TextField(_("设定依据"))
    statutory_limit_days = models.PositiveSmallIntegerField(_("法定时限（工作日）"))
    promised_limit_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"), help_text=_("0 表示即办件"))
    online_level = models.CharField(_("网办深度"), max_length=20, choices=OnlineLevel.choices)
    max_visits = models.PositiveSmallIntegerField(_("最多跑动次数"))
    commitment_allowed = models.BooleanField(_("可告知承诺"), default=False)
    # 容缺受理: whether a material deferred at acceptance and overdue holds back an approval of the matter.
    deferral_blocks_decision = models.BooleanField(
        _("容缺材料逾期未补交时不得准予许可"),
        default=True,
        help_text=_("勾选（默认）：容缺受理的材料逾期未补交的，不能作出准予许可的决定。"),
    )
    fee_description = models.CharField(_("收费"), max_length=500, default="不收费")
    conditions = models.TextField(_("受理条件"), blank=True)
    location = models.CharField(_("办理地点"), max_length=200, blank=True)
    # The form fields as a JSON-Schema subset: {"type": "object", "properties": {...}, "required": [...]}.
    form_schema = models.JSONField(_("表单"), default=dict, blank=True)
    # Copied to each review task when it opens (a case keeps the rules it was filed under).
    required_signoffs = models.PositiveSmallIntegerField(
        _("会签人数"), default=1, help_text=_("审查时须签署意见的本部门审核人员人数；1 表示无需会签")
    )
    rectification_days = models.PositiveSmallIntegerField(
        _("整改期限（工作日）"), default=20, help_text=_("告知承诺核查不符合的，责令申请人整改的期限")
    )
    # Segmented words of the name and basis (rjieba), kept for Chinese full-text search.
    search_text = models.TextField(_("检索词"), blank=True, editable=False)

    class Meta:
        verbose_name = _("事项版本")
        verbose_name_plural = _("事项版本")
        ordering = ["matter__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "number"], name="matter_version_number_unique"),
            models.UniqueConstraint(
                fields=["matter"], condition=Q(status="published"), name="matter_one_published_version"
            ),
            models.CheckConstraint(
                condition=Q(promised_limit_days__lte=models.F("statutory_limit_days")),
                name="matter_promised_within_statutory",
            ),
            models.CheckConstraint(condition=Q(max_visits__lte=2), name="matter_max_visits_at_most_two"),
            models.CheckConstraint(condition=Q(required_signoffs__gte=1), name="matter_signoffs_at_least_one"),
            models.CheckConstraint(condition=Q(rectification_days__gte=1), name="matter_rectification_days_positive"),
        ]
        indexes = [models.Index(fields=["status", "category"], name="matter_version_status_idx")]

    def __str__(self) -> str:
        return gettext("%(name)s（第%(number)s版）") % {"name": self.name, "number": self.number}

    @property
    def is_on_the_spot(self) -> bool:
        """即办件: decided on the spot."""
        return self.promised_limit_days == 0


class Material(models.Model):
    version = models.ForeignKey(
        MatterVersion, verbose_name=_("事项版本"), on_delete=models.CASCADE, related_name="materials"
    )
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    # One key is one document everywhere: a bundle asks for a shared material once.
    key = models.CharField(_("材料编码"), max_length=60)
    name = models.CharField(_("材料名称"), max_length=200)
    required = models.BooleanField(_("必要"), default=True)
    form = models.CharField(_("材料形式"), max_length=20, choices=MaterialForm.choices, default=MaterialForm.ORIGINAL)
    deferrable = models.BooleanField(_("可容缺"), default=False)
    certificate_type = models.CharField(_("可复用电子证照"), max_length=100, blank=True)
    copies = models.PositiveSmallIntegerField(_("份数"), default=1)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="material_key_unique_in_version")]

    def __str__(self) -> str:
        return self.name


class Bundle(models.Model):
    """一件事 / 联审联批: matters applied for once, reviewed in ordered stages."""

    code = models.CharField(_("主题编码"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("一件事主题")
        verbose_name_plural = _("一件事主题")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class BundleVersion(models.Model):
    bundle = models.ForeignKey(Bundle, verbose_name=_("主题"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(_("状态"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    valid_from = models.DateField(_("生效日期"), null=True, blank=True)
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    name = models.CharField(_("主题名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    # Computed at publication from the pinned matter versions.
    unified_form_schema = models.JSONField(_("统一表单"), default=dict, blank=True, editable=False)
    # Segmented words of the name, description, stage names and pinned matters' names, written at publication.
    search_text = models.TextField(_("检索词"), blank=True, editable=False)

    class Meta:
        verbose_name = _("一件事版本")
        verbose_name_plural = _("一件事版本")
        ordering = ["bundle__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "number"], name="bundle_version_number_unique"),
            models.UniqueConstraint(
                fields=["bundle"], condition=Q(status="published"), name="bundle_one_published_version"
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(name)s（第%(number)s版）") % {"name": self.name, "number": self.number}


class Stage(models.Model):
    bundle_version = models.ForeignKey(
        BundleVersion, verbose_name=_("一件事版本"), on_delete=models.CASCADE, related_name="stages"
    )
    position = models.PositiveSmallIntegerField(_("阶段序号"))
    name = models.CharField(_("阶段名称"), max_length=100)
    lead_department = models.ForeignKey(
        Organisation, verbose_name=_("牵头部门"), on_delete=models.PROTECT, limit_choices_to={"kind": "department"}
    )

    class Meta:
        verbose_name = _("阶段")
        verbose_name_plural = _("阶段")
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["bundle_version", "position"], name="stage_position_unique")]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class StageMatter(models.Model):
    """A matter reviewed in a stage. Publishing the bundle pins the matter's published version."""

    stage = models.ForeignKey(Stage, verbose_name=_("阶段"), on_delete=models.CASCADE, related_name="stage_matters")
    matter = models.ForeignKey(Matter, verbose_name=_("事项"), on_delete=models.PROTECT)
    matter_version = models.ForeignKey(
        MatterVersion, verbose_name=_("所用事项版本"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("阶段事项")
        verbose_name_plural = _("阶段事项")
        constraints = [models.UniqueConstraint(fields=["stage", "matter"], name="stage_matter_unique")]

    def __str__(self) -> str:
        return str(self.matter)


class SynonymGroup(models.Model):
    """Words that mean the same to someone searching the catalogue (开公司 = 企业开办 = 设立公司).

    A query with any of them also looks for the others, at query time: an edit needs no reindex.
    """

    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("同义词")
        verbose_name_plural = _("同义词")
        ordering = ["pk"]

    def __str__(self) -> str:
        return "、".join(synonym.word for synonym in self.synonyms.all())


class Synonym(models.Model):
    """One word of a group; a word belongs to one group at most (the groups are what it means)."""

    group = models.ForeignKey(
        SynonymGroup, verbose_name=_("同义词组"), on_delete=models.CASCADE, related_name="synonyms"
    )
    word = models.CharField(_("词语"), max_length=20)
    position = models.PositiveSmallIntegerField(_("序号"), default=0)

    class Meta:
        verbose_name = _("同义词词语")
        verbose_name_plural = _("同义词词语")
        ordering = ["group", "position"]
        constraints = [models.UniqueConstraint(fields=["word"], name="synonym_word_in_one_group")]

    def __str__(self) -> str:
        return self.word
