"""Generating the monthly leader reports: set-based facts, stored rows and files, scope, versions."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from onewindow.audit.models import Event
from onewindow.briefings.models import LeaderReport
from onewindow.briefings.selectors.facts import common_path, leader_facts
from onewindow.briefings.services.reports import monthly_reports_generate
from onewindow.briefings.tests.helpers import OCTOBER, World, world
from onewindow.errors import InvalidFields, PermissionDenied
from onewindow.projects.domain import Phase, TeamRole
from onewindow.projects.models import PhaseChange
from onewindow.projects.tests.factories import ProjectFactory, leader, plan, team_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return world()


@pytest.fixture(autouse=True)
def _november(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 6, 9, 0, tzinfo=dt.UTC), tick=False)


def test_the_facts_of_a_leaders_month(w: World):
    PhaseChange.objects.create(
        project=w.lagging, from_phase=Phase.PREPARATION, to_phase=Phase.NEW_START, reason="开工", changed_by=w.office
    )
    facts = {f.leader.pk: f for f in leader_facts(OCTOBER)}
    assert set(facts) == {w.leader.pk, w.other_leader.pk}
    month = facts[w.leader.pk].month
    assert month.leader_name == "张建国"
    assert month.sender == f"{w.city.name}重点办"
    assert [p.name for p in month.projects] == ["滨江新材料产业园", "城东污水处理厂提标改造"]
    first = month.projects[0]
    assert (first.annual_plan, first.invested_ytd, first.invested_month, first.rank_class) == (
        Decimal("60000"),
        Decimal("51000"),
        Decimal("6000"),
        "normal",
    )
    assert [m.name for m in month.milestones] == ["主体封顶"]
    assert [p.title for p in month.problems] == ["管网迁改用地未落实"]
    assert month.new_starts == []  # the phase change is in November (today), not October
    assert facts[w.leader.pk].region_id == w.home.pk


def test_the_facts_are_read_with_the_same_queries_for_one_leader_or_many(w: World):
    with CaptureQueriesContext(connection) as few:
        leader_facts(OCTOBER)
    for n in range(5):
        person = leader(w.city)
        project = ProjectFactory(district=w.other, name=f"新增项目{n}")
        team_member(project, TeamRole.LEADER, person)
        plan(project, 2026, "1000")
    with CaptureQueriesContext(connection) as many:
        assert len(leader_facts(OCTOBER)) == 7
    assert len(many) == len(few) <= 10


def test_common_path():
    assert common_path(["/1/2/", "/1/2/"]) == "/1/2/"
    assert common_path(["/1/2/", "/1/3/"]) == "/1/"
    assert common_path(["/1/2/", "/9/3/"]) == "/"
    assert common_path([]) == "/"


def test_generating_stores_the_text_the_files_and_an_audit_event(w: World):
    result = monthly_reports_generate(period=dt.date(2026, 10, 17), actor=w.users["city_office"])
    assert (result.period, result.created, result.updated) == (OCTOBER, 2, 0)
    report = LeaderReport.objects.get(leader=w.leader, period=OCTOBER)
    assert report.region == w.home
    assert report.version == 1
    assert report.sms_text.startswith(f"【{w.city.name}重点办】张建国同志：您包联的2个重点项目")
    assert "1-10月累计完成投资5.2亿元，占年度计划6.5亿元的80.0%（序时进度83.3%）" in report.sms_text
    assert "滞后项目：城东污水处理厂提标改造" in report.sms_text
    assert len(report.sms_text) <= 500
    assert (report.project_count, report.lagging_count, report.overdue_problem_count) == (2, 1, 1)
    assert report.content["sections"][1]["table"]["rows"][0][1] == "滨江新材料产业园"
    event = Event.objects.get(stream=f"leader_report:{report.pk}")
    assert event.action == "briefings.report_generate"
    assert event.actor_id == w.users["city_office"].pk


def test_the_word_file_names_the_leader_the_totals_and_the_lagging_projects(w: World):
    monthly_reports_generate(period=OCTOBER)
    report = LeaderReport.objects.get(leader=w.leader, period=OCTOBER)
    with report.docx.open("rb") as handle:
        document = Document(BytesIO(handle.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "张建国同志" in text
    assert "1-10月累计完成投资5.2亿元" in text
    assert "滞后项目1个：城东污水处理厂提标改造" in text
    assert {"城东污水处理厂提标改造", "滞后", "51000.00", "85.0%"} <= cells
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋"
    assert len(document.inline_shapes) == 1  # the chart


def test_the_pdf_says_the_same(w: World):
    monthly_reports_generate(period=OCTOBER)
    report = LeaderReport.objects.get(leader=w.leader, period=OCTOBER)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils is missing (scripts/setup.sh installs it)"
    text = subprocess.run(  # noqa: S603 - our own file
        [pdftotext, "-layout", report.pdf.path, "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = "".join(text.split())
    assert "张建国同志包联项目" in flat
    assert "1-10月累计完成投资5.2亿元" in flat
    assert "滞后项目1个：城东污水处理厂提标改造" in flat
    assert "年度计划投资" in flat and "累计完成投资" in flat  # the chart's legend


def test_regenerating_replaces_the_files_and_bumps_the_version(w: World, django_capture_on_commit_callbacks):
    monthly_reports_generate(period=OCTOBER)
    first = LeaderReport.objects.get(leader=w.leader, period=OCTOBER)
    old_pdf = first.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        result = monthly_reports_generate(period=OCTOBER)
    assert (result.created, result.updated) == (0, 2)
    again = LeaderReport.objects.get(pk=first.pk)
    assert again.version == 2
    assert again.pdf.name != old_pdf
    assert not again.pdf.storage.exists(old_pdf)


def test_a_district_office_generates_only_the_reports_of_its_region(w: World):
    result = monthly_reports_generate(period=OCTOBER, actor=w.users["office"])
    assert result.count == 1
    assert list(LeaderReport.objects.values_list("leader", flat=True)) == [w.leader.pk]


def test_a_leader_spanning_two_districts_belongs_to_the_city(w: World):
    team_member(ProjectFactory(district=w.other), TeamRole.LEADER, w.leader)
    monthly_reports_generate(period=OCTOBER, actor=w.users["office"])
    assert not LeaderReport.objects.filter(leader=w.leader).exists()
    monthly_reports_generate(period=OCTOBER, actor=w.users["city_office"])
    assert LeaderReport.objects.get(leader=w.leader).region == w.city


def test_only_an_office_generates_and_never_for_a_future_month(w: World):
    with pytest.raises(PermissionDenied):
        monthly_reports_generate(period=OCTOBER, actor=w.leader)
    with pytest.raises(InvalidFields) as caught:
        monthly_reports_generate(period=dt.date(2026, 12, 1), actor=w.office)
    assert caught.value.code == "briefings_period_future"
    assert not LeaderReport.objects.exists()


def test_without_files_the_files_are_drawn_from_the_stored_content_when_first_needed(w: World, client):
    monthly_reports_generate(period=OCTOBER, with_files=False)
    report = LeaderReport.objects.get(leader=w.leader, period=OCTOBER)
    assert not report.docx and not report.pdf
    client.force_login(w.leader)
    response = client.get(f"/briefings/{report.pk}/docx/")
    assert response.status_code == 200
    document = Document(BytesIO(b"".join(response.streaming_content)))
    assert "滞后项目1个：城东污水处理厂提标改造" in "\n".join(p.text for p in document.paragraphs)
    report.refresh_from_db()
    assert report.docx and report.pdf
