"""Sending through notify: the message arrives by its channel and the outcome is recorded once."""

from __future__ import annotations

import pytest
from django.core import mail

from onewindow.notify.backends import MemorySmsBackend, SmsFailed
from onewindow.notify.models import Channel, Delivery
from onewindow.notify.selectors import deliveries_for
from onewindow.notify.services import notify_send
from onewindow.orgs.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_sms_reaches_the_phone_and_is_recorded_as_sent() -> None:
    person = UserFactory(phone="13800001234")

    delivery = notify_send(
        recipient=person, subject="填报提醒", body="请于30日前填报本月进度。", topic="dispatch.reminder"
    )

    assert MemorySmsBackend.outbox == [("13800001234", "请于30日前填报本月进度。")]
    assert delivery.status == Delivery.Status.SENT
    assert delivery.provider_id == "mem-1"
    assert list(deliveries_for(person, topic="dispatch.reminder")) == [delivery]


def test_an_email_carries_its_attachments() -> None:
    person = UserFactory(email="leader@example.gov.cn")

    notify_send(
        recipient=person,
        subject="10月重点项目月报",
        body="见附件。",
        topic="briefings.monthly",
        channel=Channel.EMAIL,
        attachments=[("月报.pdf", b"%PDF-1.7", "application/pdf")],
    )

    assert mail.outbox[0].to == ["leader@example.gov.cn"]
    assert mail.outbox[0].attachments[0][0] == "月报.pdf"
    assert Delivery.objects.get().attachment_names == ["月报.pdf"]


def test_the_same_key_is_sent_once() -> None:
    person = UserFactory(phone="13800001234")
    first = notify_send(recipient=person, subject="提醒", body="一", topic="t", dedupe_key="reminder:7:2026-10-30")
    again = notify_send(recipient=person, subject="提醒", body="二", topic="t", dedupe_key="reminder:7:2026-10-30")

    assert again == first
    assert MemorySmsBackend.outbox == [("13800001234", "一")]


def test_a_person_without_a_phone_or_a_refusing_provider_is_recorded_as_failed(settings, monkeypatch) -> None:
    nobody = notify_send(recipient=UserFactory(phone=""), subject="提醒", body="正文", topic="t")

    def refuse(self: MemorySmsBackend, phone: str, text: str) -> str:
        raise SmsFailed("号码已停机")

    monkeypatch.setattr(MemorySmsBackend, "send", refuse)
    refused = notify_send(recipient=UserFactory(phone="13800001234"), subject="提醒", body="正文", topic="t")

    assert (nobody.status, nobody.error) == (Delivery.Status.FAILED, "接收人未登记手机号")
    assert (refused.status, refused.error) == (Delivery.Status.FAILED, "号码已停机")
