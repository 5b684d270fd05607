"""The history written: the rows the services would have written, on the board and the case pages, the
day's case numbers continued by a real submission, and every audit chain and case consistent."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.core.management import CommandError, call_command

from onewindow import clock
from onewindow.analytics.history.write import HistorySummary, history_write
from onewindow.analytics.tests.history_district import staff_district
from onewindow.audit.models import Event, StreamHead
from onewindow.cases.domain import OPEN_CASE_STATUSES
from onewindow.cases.models import Case, CaseDepartment, CaseSequence, ClockStop, CorrectionNotice, Task
from onewindow.cases.selectors import supervision_board
from onewindow.cases.tests.factories import (
    applicant_with_user,
    clerk_for,
    department,
    published_bundle,
    published_matter,
    region,
    submitted_case,
)
from onewindow.catalogue.models import BundleVersion, MatterVersion
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.tests.factories import staff

pytestmark = pytest.mark.django_db


@dataclass
class World:
    home: Organisation
    matter: MatterVersion
    clerk: User
    supervisor: User
    outsider: User
    summary: HistorySummary


@pytest.fixture(scope="module")
def world(module_db) -> World:
    home = region()
    bundle = published_bundle(in_region=home)
    matters = [published_matter(department=department(home), promised_limit_days=days) for days in (0, 5, 15)]
    clerk = staff_district(home, bundle, matters)
    summary = history_write(300, seed=5)
    return World(home, matters[1], clerk, staff(Role.SUPERVISOR, home), clerk_for(region()), summary)


def test_the_history_writes_every_kind_of_row_with_audit_chains_per_case(world: World) -> None:
    assert world.summary.cases == 300 and Case.objects.count() == 300
    statuses = world.summary.by_status
    assert statuses["completed"] > 200 and statuses.get("refused") and statuses.get("withdrawn")
    assert set(statuses) & set(map(str, OPEN_CASE_STATUSES))
    assert CorrectionNotice.objects.exists() and ClockStop.objects.filter(task__isnull=False).exists()
    assert set(Case.objects.values_list("channel", flat=True)) == {"window", "online", "app"}
    assert Task.objects.filter(status="rejected").exists() and Task.objects.filter(extension_days__gt=0).exists()
    assert CaseDepartment.objects.count() >= Task.objects.values("case", "department").distinct().count()
    case = Case.objects.filter(status="completed", bundle_version__isnull=False).first()
    assert case is not None
    head = StreamHead.objects.get(stream=f"case:{case.pk}")
    assert head.seq == Event.objects.filter(stream=f"case:{case.pk}").count() == case.timeline.count()


def test_audit_verify_passes_on_the_history(world: World) -> None:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "未发现断链" in out.getvalue()
    assert "已核对 300 个办件" in out.getvalue()


def test_the_board_shows_the_cases_still_open_with_their_warning_levels(world: World) -> None:
    board = supervision_board(user=world.supervisor)
    open_cases = Case.objects.filter(status__in=sorted(OPEN_CASE_STATUSES))
    assert board.case_counts["total"] == open_cases.count() > 0
    assert {case.pk for case in board.cases} == set(open_cases.values_list("pk", flat=True))
    assert Case.objects.filter(status="in_review").exclude(due_on=None).exists()


def test_the_case_pages_open_for_the_regions_staff_and_not_for_another_district(client, world: World) -> None:
    case = Case.objects.filter(status="completed").order_by("pk").first()
    assert case is not None
    client.force_login(world.clerk)
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    client.force_login(world.outsider)
    assert client.get(f"/cases/{case.pk}/").status_code == 404


def test_a_real_submission_afterwards_continues_the_days_sequence(world: World) -> None:
    latest = Case.objects.filter(region=world.home).order_by("-submitted_at").first()
    assert latest is not None
    day = dt.datetime.strptime(latest.number.split("-")[1], "%Y%m%d").date()
    taken = Case.objects.filter(number__startswith=f"{world.home.code}-{day:%Y%m%d}-").count()
    assert CaseSequence.objects.get(region_code=world.home.code, on=day).last == taken
    evening = dt.datetime.combine(day, dt.time(23, 50), tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with clock.told_at(evening):
        case = submitted_case(matter_version=world.matter, applicant=applicant_with_user())
    assert case.number == f"{world.home.code}-{day:%Y%m%d}-{taken + 1:05d}"


def test_the_command_adds_n_more_cases_and_refuses_without_anything_to_apply_for(world: World, settings) -> None:
    settings.DEBUG = True
    out = io.StringIO()
    call_command("history", "40", "--seed", "9", stdout=out)
    assert Case.objects.count() == 340
    assert "已写入历史办件 40 件" in out.getvalue()
    MatterVersion.objects.update(status="retired")
    BundleVersion.objects.update(status="retired")
    with pytest.raises(CommandError, match="没有可生成历史办件的事项"):
        call_command("history", "10", stdout=io.StringIO())


def test_every_kind_of_history_case_shows_on_its_pages(client, world: World) -> None:
    client.force_login(world.clerk)
    shown = 0
    for status in ("submitted", "correction", "in_review", "completed", "refused", "withdrawn"):
        case = Case.objects.filter(status=status).order_by("-pk").first()
        if case is None:
            continue
        html = client.get(f"/cases/{case.pk}/").content.decode()
        assert case.number in html
        shown += 1
        if case.intake_notice_kind is not None:
            assert client.get(f"/cases/{case.pk}/notice/").status_code == 200
    stopped = Case.objects.filter(clock_stops__task__isnull=False).order_by("pk").first()
    assert stopped is not None and client.get(f"/cases/{stopped.pk}/").status_code == 200
    assert shown >= 4
    for path in ("/cases/intake/", "/cases/received/"):
        assert client.get(path).status_code == 200
    client.force_login(world.supervisor)
    assert client.get("/cases/supervision/").status_code == 200
    mine = Case.objects.filter(channel="online").order_by("pk").first()
    assert mine is not None
    client.force_login(mine.applicant.user)
    assert mine.number in client.get("/cases/mine/").content.decode()
