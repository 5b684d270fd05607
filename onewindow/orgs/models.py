from __future__ import annotations

from axes.models import AccessAttempt
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from onewindow.orgs.domain import ROLE_LABELS, Role

# The role labels live in the domain, which must not import Django; they are named here so that
# makemessages finds them (Membership.role translates ROLE_LABELS at display time).
ROLE_LABEL_MESSAGES = (
    gettext_noop("窗口人员"),
    gettext_noop("审核人员"),
    gettext_noop("部门负责人"),
    gettext_noop("牵头部门协调人"),
    gettext_noop("代办员"),
    gettext_noop("效能监察"),
    gettext_noop("重点项目办"),
    gettext_noop("领导"),
    gettext_noop("系统管理员"),
    gettext_noop("安全管理员"),
    gettext_noop("审计管理员"),
)


class User(AbstractUser):
    """A person who logs in: staff (through memberships) or an applicant (through Applicant.user)."""

    name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.name or self.username


class Organisation(models.Model):
    """A node of the one tree: regions (city > district/county > township/street) and departments."""

    class Kind(models.TextChoices):
        REGION = "region", _("行政区划")
        DEPARTMENT = "department", _("部门")

    class Level(models.TextChoices):
        CITY = "city", _("市")
        DISTRICT = "district", _("区")
        COUNTY = "county", _("县")
        TOWNSHIP = "township", _("乡镇")
        STREET = "street", _("街道")
        COMMUNITY = "community", _("社区/村")
        DEPARTMENT = "department", _("部门")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices)
    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of codes, "/3301/330102/": a subtree is one indexed prefix query.
    path = models.CharField(_("路径"), max_length=500, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("深度"), editable=False, default=0)

    class Meta:
        verbose_name = _("组织机构")
        verbose_name_plural = _("组织机构")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="department", level="department") | (Q(kind="region") & ~Q(level="department")),
                name="organisation_level_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """Departments read with their region: 西湖区 住房和城乡建设局."""
        if self.kind == self.Kind.DEPARTMENT and self.parent_id and self.parent:
            return f"{self.parent.name}{self.name}"
        return self.name


class Hall(models.Model):
    region = models.ForeignKey(
        Organisation, verbose_name=_("所属区划"), on_delete=models.PROTECT, limit_choices_to={"kind": "region"}
    )
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    opening_hours = models.CharField(_("办公时间"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("政务服务大厅")
        verbose_name_plural = _("政务服务大厅")

    def __str__(self) -> str:
        return self.name


class Window(models.Model):
    hall = models.ForeignKey(Hall, verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="windows")
    number = models.CharField(_("窗口号"), max_length=10)
    name = models.CharField(_("名称"), max_length=100)
    # A comprehensive window (综合窗口) takes applications for many departments: no department.
    department = models.ForeignKey(
        Organisation,
        verbose_name=_("所属部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "department"},
    )

    class Meta:
        verbose_name = _("窗口")
        verbose_name_plural = _("窗口")
        constraints = [models.UniqueConstraint(fields=["hall", "number"], name="window_number_unique_in_hall")]

    def __str__(self) -> str:
        return gettext("%(number)s号窗口 %(name)s") % {"number": self.number, "name": self.name}

    @property
    def is_comprehensive(self) -> bool:
        return self.department_id is None


class Membership(models.Model):
    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=30, choices=[(r.value, _(ROLE_LABELS[r])) for r in Role])
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("任职与角色")
        verbose_name_plural = _("任职与角色")
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"


class Applicant(models.Model):
    """A citizen (resident ID, GB 11643) or an enterprise (unified social credit code, GB 32100)."""

    class Kind(models.TextChoices):
        PERSON = "person", _("自然人")
        ENTERPRISE = "enterprise", _("法人/企业")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称/姓名"), max_length=200)
    id_number = models.CharField(_("证件号码"), max_length=18)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    user = models.ForeignKey(
        User, verbose_name=_("网上账号"), null=True, blank=True, on_delete=models.SET_NULL, related_name="applicants"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请人")
        verbose_name_plural = _("申请人")
        constraints = [models.UniqueConstraint(fields=["kind", "id_number"], name="applicant_unique_id")]

    def __str__(self) -> str:
        return self.name


class LoginAttempt(AccessAttempt):  # type: ignore[misc]  # django-axes has no type hints
    """django-axes' count of failed logins, one row per username, address and user agent
    (login_throttle.py), named for the security admin's pages."""

    class Meta:
        proxy = True
        verbose_name = _("登录失败计数")
        verbose_name_plural = _("登录失败计数")
