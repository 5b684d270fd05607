"""Sending a monthly leader report through notify, and the monthly job that sends them.

Sending goes through notify after the report is stored: the SMS text by SMS, the bulletin by
e-mail with the Word and PDF files attached. A channel already delivered for this version is not
sent again; a failed one is tried again on the next send. Each attempt is a notify Delivery,
linked to the report (ReportDelivery) with its audit event.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from onewindow.audit.services import audit_record
from onewindow.briefings.domain.amounts import period_text, previous_month
from onewindow.briefings.models import LeaderReport, ReportDelivery
from onewindow.briefings.services.reports import (
    TARGET_TYPE,
    monthly_reports_generate,
    report_files_ensure,
    require_office,
)
from onewindow.notify.models import Channel, Delivery
from onewindow.notify.services import Attachment, notify_send
from onewindow.orgs.models import User
from onewindow.projects.domain import TeamRole
from onewindow.projects.models import TeamMember

TOPIC = "briefings.monthly"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def report_filename(report: LeaderReport, extension: str) -> str:
    """The name a person sees: 2026年10月重点项目推进情况月报-张三.pdf."""
    name = report.leader.name or report.leader.username
    return f"{period_text(report.period)}重点项目推进情况月报-{name}.{extension}"


def report_send(*, report: LeaderReport, actor: User | None = None) -> list[Delivery]:
    """Send the report's SMS and e-mail (each channel not yet delivered for this version).

    Not one transaction: notify sends after our writes are committed, and each delivery is
    recorded against the report with its audit event as soon as it is known."""
    if actor is not None:
        require_office(actor)
    report = report_files_ensure(LeaderReport.objects.select_related("leader", "region").get(pk=report.pk))
    deliveries = []
    for channel in (Channel.SMS, Channel.EMAIL):
        if _delivered(report, channel):
            continue
        delivery = _send_one(report, channel)
        _record(report, delivery, actor)
        deliveries.append(delivery)
    return deliveries


def _delivered(report: LeaderReport, channel: Channel) -> bool:
    return report.deliveries.filter(
        version=report.version, delivery__channel=channel, delivery__status=Delivery.Status.SENT
    ).exists()


def _send_one(report: LeaderReport, channel: Channel) -> Delivery:
    attempt = report.deliveries.filter(version=report.version, delivery__channel=channel).count() + 1
    attachments: tuple[Attachment, ...] = ()
    if channel == Channel.EMAIL:
        attachments = (
            (report_filename(report, "docx"), _read(report.docx), DOCX_MIME),
            (report_filename(report, "pdf"), _read(report.pdf), "application/pdf"),
        )
    body = report.sms_text
    if channel == Channel.EMAIL:  # the document's language, whatever the sender's page speaks
        body = f"{report.sms_text}\n\n附件为{report.title}（Word 版与 PDF 版）。"
    return notify_send(
        recipient=report.leader,
        subject=report.title,
        body=body,
        topic=TOPIC,
        channel=channel,
        dedupe_key=f"{TOPIC}:{report.pk}:v{report.version}:{attempt}",
        attachments=attachments,
    )


def _read(field: FieldFile) -> bytes:
    with field.open("rb") as handle:
        content: bytes = handle.read()
    return content


@transaction.atomic
def _record(report: LeaderReport, delivery: Delivery, actor: User | None) -> None:
    if ReportDelivery.objects.filter(delivery=delivery).exists():  # a concurrent send recorded it
        return
    ReportDelivery.objects.create(report=report, delivery=delivery, version=report.version, sent_by=actor)
    audit_record(
        stream=f"leader_report:{report.pk}",
        action="briefings.report_send",
        target_type=TARGET_TYPE,
        target_id=report.pk,
        actor=actor,
        organisation=report.region,
        changes={"channel": delivery.channel, "status": delivery.status, "version": report.version},
    )


# --- the periodic job -----------------------------------------------------------------------------


def send_day() -> int:
    """The day of the month the previous month's reports go out (BRIEFINGS_SEND_DAY, default 5)."""
    return min(max(int(settings.BRIEFINGS_SEND_DAY), 1), 28)


def monthly_reports_send_due(today: dt.date | None = None) -> int:
    """From the send day on: generate last month's missing reports, send each report never sent.

    Runs often (see tasks.py) and does each thing once: a report with any delivery attempt is left
    to the office (a report regenerated after it went out is sent again by hand)."""
    today = today or timezone.localdate()
    if today.day < send_day():
        return 0
    period = previous_month(today)
    leaders = set(TeamMember.objects.filter(role=TeamRole.LEADER).values_list("user_id", flat=True))
    leaders -= set(LeaderReport.objects.filter(period=period).values_list("leader_id", flat=True))
    if leaders:
        monthly_reports_generate(period=period, leader_ids=leaders, with_files=False)  # drawn as each is sent
    sent = 0
    for report in LeaderReport.objects.filter(period=period, deliveries__isnull=True).order_by("pk"):
        sent += len(report_send(report=report))
    return sent
