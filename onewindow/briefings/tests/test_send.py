"""Sending a report through notify: SMS text, e-mail with both files, deliveries recorded once per
version and channel; the periodic job on the configured day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from onewindow.audit.models import Event
from onewindow.briefings.models import LeaderReport, ReportDelivery
from onewindow.briefings.services.sending import monthly_reports_send_due, report_send
from onewindow.briefings.tests.helpers import OCTOBER, World, report_row, world
from onewindow.errors import PermissionDenied
from onewindow.notify.models import Delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return world()


def test_the_sms_carries_the_text_and_the_email_both_files(w: World, _memory_sms):
    report = report_row(w.leader, w.home)
    deliveries = report_send(report=report, actor=w.office)
    assert [(d.channel, d.status) for d in deliveries] == [("sms", "sent"), ("email", "sent")]
    assert _memory_sms == [("13900001111", report.sms_text)]
    [message] = mail.outbox
    assert message.to == ["zhang@example.gov.cn"]
    assert message.subject == "2026年10月重点项目推进情况月报"
    assert [name for name, _content, _mime in message.attachments] == [
        "2026年10月重点项目推进情况月报-张建国.docx",
        "2026年10月重点项目推进情况月报-张建国.pdf",
    ]
    assert ReportDelivery.objects.filter(report=report, version=1).count() == 2
    assert Event.objects.filter(stream=f"leader_report:{report.pk}", action="briefings.report_send").count() == 2


def test_a_delivered_channel_is_not_sent_again_for_the_same_version(w: World, _memory_sms):
    report = report_row(w.leader, w.home)
    report_send(report=report, actor=w.office)
    assert report_send(report=report, actor=w.office) == []
    LeaderReport.objects.filter(pk=report.pk).update(version=2)
    assert len(report_send(report=report, actor=w.office)) == 2
    assert len(_memory_sms) == 2


def test_a_failed_channel_is_recorded_and_tried_again(w: World, _memory_sms):
    w.leader.phone = ""
    w.leader.save(update_fields=["phone"])
    report = report_row(w.leader, w.home)
    first = report_send(report=report, actor=w.office)
    assert [(d.channel, d.status, d.error) for d in first] == [
        ("sms", "failed", "接收人未登记手机号"),
        ("email", "sent", ""),
    ]
    w.leader.phone = "13900001111"
    w.leader.save(update_fields=["phone"])
    again = report_send(report=report, actor=w.office)
    assert [(d.channel, d.status) for d in again] == [("sms", "sent")]
    assert Delivery.objects.filter(channel="sms").count() == 2


def test_only_an_office_sends(w: World):
    report = report_row(w.leader, w.home)
    with pytest.raises(PermissionDenied):
        report_send(report=report, actor=w.leader)
    assert not Delivery.objects.exists()


def test_the_job_waits_for_the_send_day_then_generates_and_sends_once(w: World, settings, _memory_sms, time_machine):
    settings.BRIEFINGS_SEND_DAY = 5
    assert monthly_reports_send_due(today=dt.date(2026, 11, 4)) == 0
    assert not LeaderReport.objects.exists()
    time_machine.move_to(dt.datetime(2026, 11, 5, 1, 0, tzinfo=dt.UTC), tick=False)
    sent = monthly_reports_send_due(today=dt.date(2026, 11, 5))
    assert set(LeaderReport.objects.values_list("leader", "period")) == {
        (w.leader.pk, OCTOBER),
        (w.other_leader.pk, OCTOBER),
    }
    assert sent == 4  # two leaders, SMS and e-mail each (the other leader has no e-mail: recorded as failed)
    assert sorted(text.split("同志")[0] for _phone, text in _memory_sms) == [
        f"【{w.city.name}重点办】{name}" for name in ("张建国", "李卫东")
    ]
    assert Delivery.objects.filter(status="failed").count() == 1
    assert monthly_reports_send_due(today=dt.date(2026, 11, 6)) == 0
    assert len(_memory_sms) == 2
