"""The catalogue of matters (事项目录): matters and bundles, each with immutable published versions.

A case points at the version it was filed under (PROTECT), so a published version never changes:
edits make a new draft, publishing it retires the version before it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from onewindow.orgs.models import Organisation


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    RETIRED = "retired", "已废止"


class Category(models.TextChoices):
    LICENSING = "行政许可", "行政许可"
    CONFIRMATION = "行政确认", "行政确认"
    BENEFIT = "行政给付", "行政给付"
    LEVY = "行政征收", "行政征收"
    ADJUDICATION = "行政裁决", "行政裁决"
    REWARD = "行政奖励", "行政奖励"
    INSPECTION = "行政检查", "行政检查"
    OTHER_POWER = "其他行政权力", "其他行政权力"
    PUBLIC_SERVICE = "公共服务", "公共服务"


class OnlineLevel(models.TextChoices):
    FULLY_ONLINE = "full", "全程网办"
    ONLINE_INTAKE = "intake", "网上受理"
    WINDOW = "window", "窗口办理"


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", "原件"
    COPY = "copy", "复印件"
    ELECTRONIC = "electronic", "电子"


class Matter(models.Model):
    """The lasting identity of a matter; what it says lives in its versions."""

    code = models.CharField("事项编码", max_length=40, unique=True)
    department = models.ForeignKey(
        Organisation,
        verbose_name="实施部门",
        on_delete=models.PROTECT,
        related_name="matters",
        limit_choices_to={"kind": "department"},
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "事项"
        verbose_name_plural = "事项"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class MatterVersion(models.Model):
    matter = models.ForeignKey(Matter, verbose_name="事项", on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    status = models.CharField("状态", max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    valid_from = models.DateField("生效日期", null=True, blank=True)
    valid_to = models.DateField("失效日期", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    name = models.CharField("事项名称", max_length=200)
    category = models.CharField("事项类型", max_length=20, choices=Category.choices)
    legal_basis = models.TextField("设定依据")
    statutory_limit_days = models.PositiveSmallIntegerField("法定时限(工作日)")
    promised_limit_days = models.PositiveSmallIntegerField("承诺时限(工作日)", help_text="0 表示即办件")
    online_level = models.CharField("网办深度", max_length=20, choices=OnlineLevel.choices)
    max_visits = models.PositiveSmallIntegerField("最多跑动次数")
    commitment_allowed = models.BooleanField("可告知承诺", default=False)
    fee_description = models.CharField("收费", max_length=500, default="不收费")
    conditions = models.TextField("受理条件", blank=True)
    location = models.CharField("办理地点", max_length=200, blank=True)
    # The form fields as a JSON-Schema subset: {"type": "object", "properties": {...}, "required": [...]}.
    form_schema = models.JSONField("表单", default=dict, blank=True)
    # Segmented words of the name and basis (rjieba), kept for Chinese full-text search.
    search_text = models.TextField("检索词", blank=True, editable=False)

    class Meta:
        verbose_name = "事项版本"
        verbose_name_plural = "事项版本"
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
        ]
        indexes = [models.Index(fields=["status", "category"], name="matter_version_status_idx")]

    def __str__(self) -> str:
        return f"{self.name}(第{self.number}版)"

    @property
    def is_on_the_spot(self) -> bool:
        """即办件: decided on the spot."""
        return self.promised_limit_days == 0


class Material(models.Model):
    version = models.ForeignKey(
        MatterVersion, verbose_name="事项版本", on_delete=models.CASCADE, related_name="materials"
    )
    position = models.PositiveSmallIntegerField("序号", default=0)
    # One key is one document everywhere: a bundle asks for a shared material once.
    key = models.CharField("材料编码", max_length=60)
    name = models.CharField("材料名称", max_length=200)
    required = models.BooleanField("必要", default=True)
    form = models.CharField("材料形式", max_length=20, choices=MaterialForm.choices, default=MaterialForm.ORIGINAL)
    deferrable = models.BooleanField("可容缺", default=False)
    certificate_type = models.CharField("可复用电子证照", max_length=100, blank=True)
    copies = models.PositiveSmallIntegerField("份数", default=1)

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="material_key_unique_in_version")]

    def __str__(self) -> str:
        return self.name


class Bundle(models.Model):
    """一件事 / 联审联批: matters applied for once, reviewed in ordered stages."""

    code = models.CharField("主题编码", max_length=40, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "一件事主题"
        verbose_name_plural = "一件事主题"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class BundleVersion(models.Model):
    bundle = models.ForeignKey(Bundle, verbose_name="主题", on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    status = models.CharField("状态", max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    valid_from = models.DateField("生效日期", null=True, blank=True)
    valid_to = models.DateField("失效日期", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    name = models.CharField("主题名称", max_length=200)
    description = models.TextField("说明", blank=True)
    # Computed at publication from the pinned matter versions.
    unified_form_schema = models.JSONField("统一表单", default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = "一件事版本"
        verbose_name_plural = "一件事版本"
        ordering = ["bundle__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "number"], name="bundle_version_number_unique"),
            models.UniqueConstraint(
                fields=["bundle"], condition=Q(status="published"), name="bundle_one_published_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}(第{self.number}版)"


class Stage(models.Model):
    bundle_version = models.ForeignKey(
        BundleVersion, verbose_name="一件事版本", on_delete=models.CASCADE, related_name="stages"
    )
    position = models.PositiveSmallIntegerField("阶段序号")
    name = models.CharField("阶段名称", max_length=100)
    lead_department = models.ForeignKey(
        Organisation, verbose_name="牵头部门", on_delete=models.PROTECT, limit_choices_to={"kind": "department"}
    )

    class Meta:
        verbose_name = "阶段"
        verbose_name_plural = "阶段"
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["bundle_version", "position"], name="stage_position_unique")]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class StageMatter(models.Model):
    """A matter reviewed in a stage. Publishing the bundle pins the matter's published version."""

    stage = models.ForeignKey(Stage, verbose_name="阶段", on_delete=models.CASCADE, related_name="stage_matters")
    matter = models.ForeignKey(Matter, verbose_name="事项", on_delete=models.PROTECT)
    matter_version = models.ForeignKey(
        MatterVersion, verbose_name="所用事项版本", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = "阶段事项"
        verbose_name_plural = "阶段事项"
        constraints = [models.UniqueConstraint(fields=["stage", "matter"], name="stage_matter_unique")]

    def __str__(self) -> str:
        return str(self.matter)
