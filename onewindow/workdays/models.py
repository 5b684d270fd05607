from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onewindow.workdays.domain import DayKind


class CalendarYear(models.Model):
    """A year of the calendar. `is_published`: its State Council schedule is entered in full."""

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    is_published = models.BooleanField(
        _("安排已公布并录入完毕"), default=False, help_text=_("勾选后，该年的期限计算不再标记为“暂定”。")
    )
    published_by = models.CharField(
        _("发布依据"), max_length=200, blank=True, help_text=_("例如：国务院办公厅关于2027年部分节假日安排的通知")
    )
    note = models.TextField(_("备注"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度节假日安排")
        verbose_name_plural = _("年度节假日安排")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=1950, year__lte=2199), name="workdays_year_in_range"),
        ]

    def __str__(self) -> str:
        return gettext("%(year)s年") % {"year": self.year}


class SpecialDay(models.Model):
    """A date that differs from the weekend rule: a statutory holiday or a make-up workday (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = DayKind.HOLIDAY.value, _("法定节假日（放假）")
        MAKEUP_WORKDAY = DayKind.MAKEUP_WORKDAY.value, _("调休上班日")

    class Source(models.TextChoices):
        CHINESECALENDAR = "chinesecalendar", _("chinesecalendar 数据包")
        ADMIN = "admin", _("管理员录入")

    on = models.DateField(_("日期"), unique=True)
    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name=_("年份"), on_delete=models.PROTECT, related_name="special_days"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("节日名称"), max_length=60, help_text=_("例如：国庆节、春节"))
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices, default=Source.ADMIN)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("节假日与调休日")
        verbose_name_plural = _("节假日与调休日")
        ordering = ["on"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["holiday", "makeup_workday"]), name="workdays_day_kind_valid"),
            models.CheckConstraint(
                condition=Q(source__in=["chinesecalendar", "admin"]), name="workdays_day_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} {self.name}({self.get_kind_display()})"


class CalendarRevision(models.Model):
    """One row whose number goes up with every change: processes reload their cached calendar."""

    number = models.PositiveBigIntegerField(_("版本号"), default=0)

    class Meta:
        verbose_name = _("日历版本")
        verbose_name_plural = _("日历版本")

    def __str__(self) -> str:
        return f"v{self.number}"
