"""Halls, windows and appointments: extends `orgs.Hall` and `orgs.Window` (one-to-one), never moves them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onewindow.halls.domain import BookingStatus, HallKind, WindowKind
from onewindow.orgs.models import Hall, Window

HALL_KIND_CHOICES = [
    (HallKind.CENTRE.value, _("政务服务大厅")),
    (HallKind.TOWNSHIP.value, _("便民服务中心")),
    (HallKind.STATION.value, _("便民服务站")),
]
WINDOW_KIND_CHOICES = [
    (WindowKind.COMPREHENSIVE.value, _("综合窗口")),
    (WindowKind.SPECIALISED.value, _("专业窗口")),
    (WindowKind.GREEN.value, _("绿色通道")),
    (WindowKind.ASSISTED.value, _("帮办代办")),
]
BOOKING_STATUS_CHOICES = [
    (BookingStatus.BOOKED.value, _("已预约")),
    (BookingStatus.ARRIVED.value, _("已到场")),
    (BookingStatus.CANCELLED.value, _("已取消")),
    (BookingStatus.LAPSED.value, _("已失约")),
]
CHANNEL_CHOICES = [("online", _("网上预约")), ("api", _("移动端")), ("clerk", _("窗口代约"))]


class HallProfile(models.Model):
    """A hall's kind, weekend service and appointment rules. Its row is the booking lock of the hall."""

    hall = models.OneToOneField(Hall, verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="profile")
    kind = models.CharField(_("类型"), max_length=20, choices=HALL_KIND_CHOICES, default=HallKind.CENTRE.value)
    weekend_service = models.BooleanField(_("周末开放"), default=False)
    slot_minutes = models.PositiveSmallIntegerField(_("时段长度（分钟）"), default=30)
    daily_limit = models.PositiveSmallIntegerField(_("每人每日预约上限"), default=2)
    cutoff_minutes = models.PositiveIntegerField(_("取消改约截止（分钟前）"), default=60)
    arrive_before_minutes = models.PositiveSmallIntegerField(_("提前签到（分钟）"), default=30)
    arrive_after_minutes = models.PositiveSmallIntegerField(_("迟到宽限（分钟）"), default=15)
    no_show_limit = models.PositiveSmallIntegerField(_("失约次数上限"), default=3)
    no_show_period_days = models.PositiveSmallIntegerField(_("失约统计期（天）"), default=90)
    pause_days = models.PositiveSmallIntegerField(_("暂停网上预约（天）"), default=30)

    class Meta:
        verbose_name = _("大厅设置")
        verbose_name_plural = _("大厅设置")

    def __str__(self) -> str:
        return str(self.hall)


class ServiceCategory(models.Model):
    hall = models.ForeignKey(Hall, verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("名称"), max_length=50)

    class Meta:
        verbose_name = _("服务类别")
        verbose_name_plural = _("服务类别")
        constraints = [models.UniqueConstraint(fields=["hall", "name"], name="halls_category_unique")]

    def __str__(self) -> str:
        return self.name


class WindowProfile(models.Model):
    window = models.OneToOneField(Window, verbose_name=_("窗口"), on_delete=models.CASCADE, related_name="profile")
    kind = models.CharField(
        _("类型"), max_length=20, choices=WINDOW_KIND_CHOICES, default=WindowKind.COMPREHENSIVE.value
    )
    categories = models.ManyToManyField(ServiceCategory, verbose_name=_("服务类别"), blank=True)
    matters = models.CharField(_("专办事项"), max_length=500, blank=True)
    weekend_service = models.BooleanField(_("周末开放"), default=False)

    class Meta:
        verbose_name = _("窗口设置")
        verbose_name_plural = _("窗口设置")

    def __str__(self) -> str:
        return str(self.window)


class OpeningHours(models.Model):
    hall = models.ForeignKey(Hall, verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="week_hours")
    weekday = models.PositiveSmallIntegerField(_("星期"))  # 0 = Monday
    opens = models.TimeField(_("开门"))
    closes = models.TimeField(_("关门"))

    class Meta:
        verbose_name = _("办公时间")
        verbose_name_plural = _("办公时间")
        constraints = [models.UniqueConstraint(fields=["hall", "weekday"], name="halls_hours_unique")]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens:%H:%M}-{self.closes:%H:%M}"


class Closure(models.Model):
    hall = models.ForeignKey(Hall, verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="closures")
    on = models.DateField(_("日期"))
    reason = models.CharField(_("原因"), max_length=100)

    class Meta:
        verbose_name = _("临时闭厅")
        verbose_name_plural = _("临时闭厅")
        constraints = [models.UniqueConstraint(fields=["hall", "on"], name="halls_closure_unique")]

    def __str__(self) -> str:
        return f"{self.on} {self.reason}"


class Duty(models.Model):
    """A clerk on duty at a window on a day (the roster)."""

    window = models.ForeignKey(Window, verbose_name=_("窗口"), on_delete=models.CASCADE, related_name="duties")
    on = models.DateField(_("日期"))
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("工作人员"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("值班")
        verbose_name_plural = _("值班")
        constraints = [models.UniqueConstraint(fields=["window", "on", "clerk"], name="halls_duty_unique")]

    def __str__(self) -> str:
        return f"{self.window} {self.on}"


class Booking(models.Model):
    hall = models.ForeignKey(Hall, verbose_name=_("大厅"), on_delete=models.PROTECT, related_name="bookings")
    category = models.ForeignKey(ServiceCategory, verbose_name=_("服务类别"), on_delete=models.PROTECT)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("预约人"), on_delete=models.PROTECT, related_name="bookings"
    )
    on = models.DateField(_("日期"))
    starts = models.TimeField(_("时段"))
    status = models.CharField(
        _("状态"), max_length=20, choices=BOOKING_STATUS_CHOICES, default=BookingStatus.BOOKED.value
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=CHANNEL_CHOICES, default="online")
    code = models.CharField(_("预约码"), max_length=12, unique=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("预约时间"), auto_now_add=True)
    changed_at = models.DateTimeField(_("变更时间"), auto_now=True)

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        indexes = [models.Index(fields=["hall", "category", "on", "starts"])]
        constraints = [
            # A person never holds two live bookings for the same slot (the database says so too).
            models.UniqueConstraint(
                fields=["person", "on", "starts"],
                condition=Q(status__in=["booked", "arrived"]),
                name="halls_one_booking_per_person_slot",
            )
        ]

    def __str__(self) -> str:
        return self.code
