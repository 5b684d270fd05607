"""The office's path through the pages: generate a month, preview the SMS, send, see the delivery."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings

from onewindow.briefings.models import LeaderReport
from onewindow.briefings.tests.helpers import World, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(time_machine: Any) -> World:
    time_machine.move_to(dt.datetime(2026, 11, 6, 9, 0, tzinfo=dt.UTC), tick=False)
    return world()


def test_generate_preview_send_and_see_the_delivery(client: Any, w: World, _memory_sms: Any) -> None:
    client.force_login(w.office)
    response = client.post("/briefings/generate/", {"period": "2026-10"}, follow=True)
    page = response.content.decode()
    assert "已生成2026年10月月报 1 份（新建 1 份，更新 0 份）。" in page
    report = LeaderReport.objects.get(leader=w.leader)
    assert report.sms_text in page  # the SMS preview in the list
    detail = client.get(f"/briefings/{report.pk}/").content.decode()
    assert "五、需关注项目" in detail and "城东污水处理厂提标改造" in detail
    assert "尚未发送。" in detail
    sent = client.post(f"/briefings/{report.pk}/send/", follow=True).content.decode()
    assert "已发送 2 条，失败 0 条，详见发送记录。" in sent
    assert "13900001111" in sent and "zhang@example.gov.cn" in sent
    assert [phone for phone, _text in _memory_sms] == ["13900001111"]
    listed = client.get("/briefings/?period=2026-10").content.decode()
    assert listed.count("已送达") == 2


def test_the_leader_sees_their_reports_in_english_too(client: Any, w: World) -> None:
    client.force_login(w.office)
    client.post("/briefings/generate/", {"period": "2026-10"})
    client.force_login(w.leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/briefings/").content.decode()
    assert "Leader reports" in page and "Month to generate" not in page
    report = LeaderReport.objects.get(leader=w.leader)
    assert report.sms_text in page  # the document itself stays Chinese
