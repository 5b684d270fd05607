"""Queue tickets (先取号后办理). A ticket keeps who called and served it, where, and when: the figures of
waiting time (issued → called) and service time (started → finished) are computed from these rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onewindow.cases.models import Case
from onewindow.halls.models import Booking, ServiceCategory
from onewindow.orgs.models import Applicant, Hall, Window
from onewindow.tickets.domain import PriorityGroup, TicketSource, TicketStatus

SOURCE_CHOICES = [
    (TicketSource.BOOKING.value, _("预约码")),
    (TicketSource.ID_CARD.value, _("身份证")),
    (TicketSource.WALK_IN.value, _("现场取号")),
]
PRIORITY_CHOICES = [
    (PriorityGroup.BOOKING.value, _("按时预约")),
    (PriorityGroup.GREEN.value, _("绿色通道")),
    (PriorityGroup.PRIORITY.value, _("优先群体")),
    (PriorityGroup.NORMAL.value, _("普通")),
]
STATUS_CHOICES = [
    (TicketStatus.WAITING.value, _("等候中")),
    (TicketStatus.CALLED.value, _("已叫号")),
    (TicketStatus.SERVING.value, _("办理中")),
    (TicketStatus.DONE.value, _("已办结")),
    (TicketStatus.SKIPPED.value, _("已过号")),
    (TicketStatus.TRANSFERRED.value, _("已转移，等候中")),
    (TicketStatus.ABANDONED.value, _("已作废")),
]


class TicketSequence(models.Model):
    """The last number given out per hall, category and day. Its row is locked while a number is taken."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(ServiceCategory, on_delete=models.CASCADE, related_name="+")
    issued_on = models.DateField(_("日期"))
    last = models.PositiveIntegerField(_("已发号"), default=0)

    class Meta:
        verbose_name = _("号段")
        verbose_name_plural = _("号段")
        constraints = [
            models.UniqueConstraint(fields=["hall", "category", "issued_on"], name="tickets_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.issued_on} {self.last}"


class Ticket(models.Model):
    hall = models.ForeignKey(Hall, verbose_name=_("大厅"), on_delete=models.PROTECT, related_name="tickets")
    category = models.ForeignKey(ServiceCategory, verbose_name=_("服务类别"), on_delete=models.PROTECT)
    issued_on = models.DateField(_("日期"))
    number = models.CharField(_("号码"), max_length=8)
    source = models.CharField(_("取号方式"), max_length=10, choices=SOURCE_CHOICES)
    priority = models.CharField(_("优先类别"), max_length=10, choices=PRIORITY_CHOICES)
    priority_rank = models.PositiveSmallIntegerField(_("优先次序"))  # domain.PRIORITY_RANK: lower is called first
    status = models.CharField(_("状态"), max_length=12, choices=STATUS_CHOICES, default=TicketStatus.WAITING.value)
    window = models.ForeignKey(
        Window, verbose_name=_("窗口"), null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("工作人员"), null=True, blank=True, on_delete=models.PROTECT
    )
    # A ticket transferred to one window waits for that window only.
    target_window = models.ForeignKey(
        Window, verbose_name=_("转至窗口"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("取号时间"))
    called_at = models.DateTimeField(_("叫号时间"), null=True, blank=True)  # the first call: waiting time ends
    last_called_at = models.DateTimeField(_("最近叫号"), null=True, blank=True)  # the screen's order
    started_at = models.DateTimeField(_("开始办理"), null=True, blank=True)
    finished_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    skipped_at = models.DateTimeField(_("过号时间"), null=True, blank=True)
    call_count = models.PositiveSmallIntegerField(_("叫号次数"), default=0)
    booking = models.OneToOneField(
        Booking, verbose_name=_("预约"), null=True, blank=True, on_delete=models.PROTECT, related_name="ticket"
    )
    applicant = models.ForeignKey(
        Applicant, verbose_name=_("申请人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Typed at the kiosk when no applicant is registered with it yet (fills the intake; masked in lists).
    id_number = models.CharField(_("证件号码"), max_length=18, blank=True)
    case = models.ForeignKey(
        Case, verbose_name=_("办件"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("排队号")
        verbose_name_plural = _("排队号")
        indexes = [
            models.Index(fields=["hall", "issued_on", "status", "priority_rank", "issued_at"], name="tickets_queue"),
            models.Index(fields=["window", "status"], name="tickets_window_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["hall", "issued_on", "number"], name="tickets_number_unique"),
            # A window serves one ticket at a time (the database says so too).
            models.UniqueConstraint(
                fields=["window"], condition=Q(status__in=["called", "serving"]), name="tickets_one_at_window"
            ),
        ]

    def __str__(self) -> str:
        return self.number
