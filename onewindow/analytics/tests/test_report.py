"""The monthly report on the small world of cases (`figures_world`, March 2026): its bundle made the
enterprise set-up bundle (企业开办, `990100-YJS-002`), the quick case a green-channel one. The headline and
the economy tables a director reads, the Word file (python-docx), the PDF's text (pdftotext), the page, the
scope and the API with a bearer token."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.test import Client
from docx import Document

from onewindow.analytics.report.selectors import BUSINESS_START_BUNDLE
from onewindow.analytics.report.tables import report_for
from onewindow.analytics.tests.figures_world import World, build
from onewindow.api.auth import token_issue
from onewindow.cases.models import Case, Task
from onewindow.catalogue.models import Bundle
from onewindow.errors import PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import staff

pytestmark = pytest.mark.django_db
FIRST, LAST = dt.date(2026, 3, 1), dt.date(2026, 3, 31)


@pytest.fixture
def world(time_machine) -> World:
    w = build(time_machine)
    Bundle.objects.filter(pk=w.bundle.bundle_version.bundle_id).update(code=BUSINESS_START_BUNDLE)
    Case.objects.filter(pk=w.quick.pk).update(is_green_channel=True)
    return w


def table(report, key):
    return next(t for t in report.tables if t.key == key)


def last_department(world: World) -> str:
    task = Task.objects.filter(case=world.bundle, stage=1).order_by("decided_at", "pk").last()
    assert task is not None
    return task.department.name


def test_the_headline_is_composed_from_the_months_figures(world):
    report = report_for(world.leader, FIRST, LAST)
    bundle_name = world.bundle.bundle_version.name
    assert report.headline.startswith("2026年3月，本辖区共受理办件4件，上月无办件，无法比较（上月0件）。")
    assert "网上办理率为75%，目标为" in report.headline
    assert "本月办结3件，按期办结率为" in report.headline
    assert f"办理用时最长的是“{bundle_name}”，中位用时5天。" in report.headline
    assert f"最常最后办结的部门是{last_department(world)}（1次）" in report.headline
    assert "本月办结企业开办1件，中位用时5天（自然日）。" in report.headline
    headings = [heading for heading, _tables in report.sections]
    assert headings == ["一、把握公众需求", "二、规范运行管理", "三、服务经济发展"]


def test_the_economy_tables(world):
    report = report_for(world.leader, FIRST, LAST)
    district = table(report, "setups_by_district").rows
    assert district[0] == {"name": world.home.name, "count": 1, "p50": 5.0, "p90": 5.0}
    assert district[-1]["name"] == "合计"
    assert [r["name"] for r in table(report, "setups_by_month").rows] == ["2026-03", "合计"]
    by_industry = table(report, "setups_by_industry").rows  # the world's form asks for no industry
    assert by_industry[0] == {"name": "未填写", "count": 1, "p50": 5.0, "p90": 5.0}
    april = report_for(world.leader, dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    assert table(april, "setups_by_district").rows == []  # none decided in April
    assert [r["name"] for r in table(april, "setups_by_month").rows] == ["2026-03", "合计"]  # the year to April
    assert table(report, "investment_by_district").rows == []  # no industrial-project bundle here
    green = table(report, "green_channel").rows
    assert green == [
        {
            "name": world.matter_name,
            "green": 1,
            "green_p50": 4.0,
            "ordinary": 1,
            "ordinary_p50": 7.8,  # day 0 at 15:00 to day 8 at 10:00
            "saved": 3.8,
        }
    ]


def test_the_month_before_is_counted_for_the_change(world, time_machine):
    april = report_for(world.leader, dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    assert april.headline.startswith("2026年4月，本辖区共受理办件0件，较上月下降100%（上月4件）。")
    assert "本月无办结办件。" in april.headline and "本月无办结的企业开办。" in april.headline


def test_another_districts_leader_reads_only_their_case(world):
    report = report_for(world.other_leader, FIRST, LAST)
    assert "共受理办件1件" in report.headline
    assert table(report, "setups_by_district").rows == [] and table(report, "green_channel").rows == []
    with pytest.raises(PermissionDenied):
        report_for(staff(Role.CLERK, world.home), FIRST, LAST)


def test_the_word_file_opens_with_the_headline_and_the_tables(world, client):
    client.force_login(world.leader)
    response = client.get("/analytics/report/2026-03.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="analytics-report-2026-03.docx"'
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "2026年3月政务服务运行分析报告"
    assert any(t.startswith("2026年3月，本辖区共受理办件4件") for t in texts)
    assert "三、服务经济发展" in texts
    headers = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert ["区县", "办结量", "用时 P50（天）", "用时 P90（天）"] in headers
    first = document.paragraphs[0].runs[0]._r
    assert 'w:eastAsia="方正小标宋简体"' in first.xml


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")
def test_the_pdf_names_the_month_and_the_headline(world, client, tmp_path):
    client.force_login(world.leader)
    response = client.get("/analytics/report/2026-03.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout  # noqa: S603, S607
    flat = "".join(text.split())
    assert "2026年3月政务服务运行分析报告" in flat
    assert "本辖区共受理办件4件" in flat and "企业开办" in flat


def test_the_page_previews_the_headline_with_the_download_links(world, client, settings):
    settings.DEBUG = False
    client.force_login(world.leader)
    page = client.get("/analytics/report/?month=2026-03").content.decode()
    assert "本辖区共受理办件4件" in page
    assert 'href="/analytics/report/2026-03.docx"' in page and 'href="/analytics/report/2026-03.pdf"' in page
    assert "绿色通道（重点项目）与普通办件" in page
    wrong = client.get("/analytics/report/?month=2026-13")
    assert wrong.status_code == 200 and "月份格式应为 YYYY-MM。" in wrong.content.decode()
    assert client.get("/analytics/report/2026-13.pdf").status_code == 404
    assert 'href="/analytics/report/"' in client.get("/analytics/?from=2026-03-01&to=2026-03-31").content.decode()


def test_the_api_with_a_bearer_token(world):
    client = Client()
    headers = {"Authorization": f"Bearer {token_issue(world.leader).token}"}
    response = client.get("/api/analytics/report?month=2026-03", headers=headers)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["month"], body["from_date"], body["to_date"]) == ("2026-03", "2026-03-01", "2026-03-31")
    assert body["headline"].startswith("2026年3月，本辖区共受理办件4件")
    economy = body["sections"][2]["tables"]
    setups = next(t for t in economy if t["key"] == "setups_by_district")
    assert setups["rows"][0]["p50"] == 5.0
    wrong = client.get("/api/analytics/report?month=2026-3", headers=headers)
    assert (wrong.status_code, wrong.json()["code"]) == (422, "analytics_month_invalid")
