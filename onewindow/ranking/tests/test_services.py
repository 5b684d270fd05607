"""Ranking a period end to end: classes with their inputs, district standings, warnings 2/3/4 and
their resets, idempotent replay, rule versions, acknowledgement and rectification, the job."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from onewindow.audit.models import Event
from onewindow.briefings.selectors.facts import leader_facts
from onewindow.errors import Conflict, InvalidFields, PermissionDenied
from onewindow.jobs.models import Job
from onewindow.orgs.models import Organisation
from onewindow.projects.domain import Phase, TeamRole
from onewindow.projects.models import PhaseChange, Project
from onewindow.projects.services.registry import project_change_phase
from onewindow.projects.tests.factories import city, district, leader, office_for, team_member
from onewindow.ranking.domain import InvalidPeriod
from onewindow.ranking.models import AssessmentScore, DistrictRank, ProjectRank, RankingRun, RuleVersion, Warning
from onewindow.ranking.services.rules import rule_version_create
from onewindow.ranking.services.run import ranking_recompute, ranking_replay, ranking_run, ranking_run_previous_month
from onewindow.ranking.services.warnings import warning_acknowledge, warning_add_rectification
from onewindow.ranking.tests.factories import building, milestone, month, report

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 15)


class Town:
    """Three districts with one project each (plan 1200 = 100 a month): `good` invests 120 a month,
    `fair` 100, `poor` nothing until it is told to catch up."""

    def __init__(self) -> None:
        self.city = city()
        self.good, self.fair, self.poor = district(self.city), district(self.city), district(self.city)
        self.projects = {d.pk: building(d) for d in (self.good, self.fair, self.poor)}

    def project(self, where: Organisation) -> Project:
        return self.projects[where.pk]

    def months(self, first: int, last: int, *, poor: str = "0") -> None:
        for number in range(first, last + 1):
            report(self.project(self.good), 2026, number, amount="120")
            report(self.project(self.fair), 2026, number, amount="100")
            report(self.project(self.poor), 2026, number, amount=poor)

    def replay(self, first: int, last: int) -> None:
        ranking_replay(first=month(2026, first), last=month(2026, last), today=TODAY)


@pytest.fixture
def town() -> Town:
    return Town()


def levels(where: Organisation) -> list[tuple[str, str, bool]]:
    return [
        (f"{w.period:%m}", w.level, w.withdrawn_at is None)
        for w in Warning.objects.filter(district=where).order_by("period")
    ]


# --- classes and standings ------------------------------------------------------------------------


def test_a_month_classes_every_project_with_its_inputs_and_rule_version(town):
    town.months(1, 5)
    run = ranking_run(period=month(2026, 5), today=TODAY)
    assert (run.project_count, run.district_count) == (3, 3)
    good = ProjectRank.objects.get(period=month(2026, 5), project=town.project(town.good))
    assert good.rank_class == "normal"  # 50 % against 序时 41.67 %: +8.33 points, not yet +10
    assert (good.annual_plan, good.invested_year_to_date, good.invested_in_period) == (
        Decimal("1200.00"),
        Decimal("600.00"),
        Decimal("120.00"),
    )
    assert (good.completion_pct, good.elapsed_pct, good.gap_points) == (
        Decimal("50.00"),
        Decimal("41.67"),
        Decimal("8.33"),
    )
    assert good.rule_version.number == 1 and good.has_report and good.report_on_time
    poor = ProjectRank.objects.get(period=month(2026, 5), project=town.project(town.poor))
    assert (poor.rank_class, poor.reason) == ("no_progress", "no_investment")
    ranks = list(DistrictRank.objects.filter(period=month(2026, 5)).order_by("position"))
    assert [r.district_id for r in ranks] == [town.good.pk, town.fair.pk, town.poor.pk]
    assert [r.target_met for r in ranks] == [True, True, False]
    assert ranks[-1].target_amount == Decimal("500.00")


def test_milestone_slippage_is_read_as_of_the_months_end(town):
    project = town.project(town.fair)
    town.months(1, 3)
    milestone(project, planned_on=dt.date(2026, 1, 31), actual_on=dt.date(2026, 4, 10))  # reached in April
    milestone(project, planned_on=dt.date(2026, 3, 20))  # never reached
    ranking_run(period=month(2026, 3), today=TODAY)
    march = ProjectRank.objects.get(period=month(2026, 3), project=project)
    assert march.slippage_days == 59  # 31 March − 31 January: the January node is still late then
    assert march.rank_class == "lagging" and march.reason == "slippage"
    ranking_run(period=month(2026, 4), today=TODAY)  # no report in April, but a node was reached
    april = ProjectRank.objects.get(period=month(2026, 4), project=project)
    assert april.milestone_reached and april.slippage_days == 41  # the March node, 20 March → 30 April
    assert april.rank_class == "lagging" and not april.has_report


def test_a_replayed_month_sees_the_phase_the_project_had_then(town):
    project = town.project(town.fair)
    town.months(1, 2)
    PhaseChange.objects.create(
        project=project, from_phase="continuing", to_phase="completed", reason="竣工", changed_by=office_for(town.city)
    )
    Project.objects.filter(pk=project.pk).update(phase="completed")
    ranking_run(period=month(2026, 2), today=TODAY)
    assert ProjectRank.objects.filter(period=month(2026, 2), project=project).exists()  # changed after February
    ranking_run(period=month(2026, 12), today=TODAY)
    assert not ProjectRank.objects.filter(period=month(2026, 12), project=project).exists()


def test_a_future_month_is_refused():
    with pytest.raises(InvalidPeriod):
        ranking_run(period=month(2027, 1), today=TODAY)


def test_the_number_of_queries_does_not_grow_with_the_projects(town):
    town.months(1, 2)
    ranking_run(period=month(2026, 2), today=TODAY)  # the default rule version and the warning exist now
    with CaptureQueriesContext(connection) as few:
        ranking_run(period=month(2026, 2), today=TODAY)
    for _ in range(3):
        for where in (town.good, town.fair, town.poor):
            extra = building(where)
            report(extra, 2026, 2, amount="50")
            milestone(extra, planned_on=dt.date(2026, 1, 15))
    with CaptureQueriesContext(connection) as many:
        ranking_run(period=month(2026, 2), today=TODAY)
    assert ProjectRank.objects.filter(period=month(2026, 2)).count() == 12
    assert len(many) == len(few)


# --- warnings -------------------------------------------------------------------------------------


def test_two_three_four_months_last_with_the_target_unmet_give_yellow_red_organisational(town):
    town.months(1, 5)
    town.replay(1, 5)
    assert levels(town.poor) == [
        ("02", "yellow", True),
        ("03", "red", True),
        ("04", "organisational", True),
        ("05", "organisational", True),
    ]
    assert levels(town.good) == levels(town.fair) == []
    streaks = DistrictRank.objects.filter(district=town.poor).order_by("period").values_list("last_unmet_streak")
    assert [s for (s,) in streaks] == [1, 2, 3, 4, 5]
    issued = Event.objects.filter(stream=f"ranking:district:{town.poor.pk}", action="ranking.warning_issued")
    assert issued.count() == 4


def test_meeting_the_target_resets_the_streak(town):
    town.months(1, 3)
    report(town.project(town.good), 2026, 4, amount="120")
    report(town.project(town.fair), 2026, 4, amount="100")
    report(town.project(town.poor), 2026, 4, amount="400")  # 400 of 序时 400: met, though still last
    town.months(5, 7)
    town.replay(1, 7)
    ranks = DistrictRank.objects.filter(district=town.poor).order_by("period")
    assert [r.position for r in ranks] == [3] * 7
    assert [r.last_unmet_streak for r in ranks] == [1, 2, 3, 0, 1, 2, 3]
    assert levels(town.poor) == [
        ("02", "yellow", True),
        ("03", "red", True),
        ("06", "yellow", True),
        ("07", "red", True),
    ]


def test_leaving_last_place_resets_the_streak(town):
    town.months(1, 2)
    for number, amount in ((3, "250"), (4, "100")):  # poor invests, short of its target; fair stops, drops last
        report(town.project(town.good), 2026, number, amount="120")
        report(town.project(town.poor), 2026, number, amount=amount)
    town.replay(1, 4)
    assert [r.last_unmet_streak for r in DistrictRank.objects.filter(district=town.poor).order_by("period")] == [
        1,
        2,
        0,
        0,
    ]
    april = DistrictRank.objects.get(district=town.poor, period=month(2026, 4))
    assert (april.position, april.target_met) == (2, False)  # the target is still unmet: the place decided
    assert levels(town.poor) == [("02", "yellow", True)]
    assert levels(town.fair) == [("04", "yellow", True)]


def test_replaying_is_idempotent(town):
    town.months(1, 5)
    town.replay(1, 5)

    def snapshot() -> tuple[list[object], ...]:
        return (
            list(ProjectRank.objects.order_by("pk").values_list("pk", "period", "project", "rank_class", "gap_points")),
            list(DistrictRank.objects.order_by("pk").values_list("pk", "period", "district", "score", "position")),
            list(Warning.objects.order_by("pk").values_list("pk", "district", "period", "level", "withdrawn_at")),
            list(AssessmentScore.objects.order_by("pk").values_list("pk", "window", "period", "as_of", "score")),
            list(RankingRun.objects.order_by("pk").values_list("pk", "period", "project_count")),
        )

    first = snapshot()
    town.replay(1, 5)
    assert snapshot() == first
    assert Event.objects.filter(action="ranking.period_ranked").count() == 10


def test_a_replay_under_new_rules_withdraws_warnings_and_keeps_what_the_district_wrote(town):
    town.months(1, 3)
    town.replay(1, 3)
    office = office_for(town.poor)
    yellow = Warning.objects.get(district=town.poor, level="yellow")
    warning_acknowledge(warning=yellow, actor=office)
    warning_add_rectification(warning=yellow, actor=office, note="已约谈业主，倒排工期")
    rule_version_create(
        actor=office_for(town.city),
        effective_from=month(2026, 1),
        rules={"warnings": {"yellow_after": 3, "red_after": 4, "organisational_after": 5}},
        note="放宽预警",
    )
    town.replay(1, 3)
    assert levels(town.poor) == [("02", "yellow", False), ("03", "red", False), ("03", "yellow", True)]
    kept = Warning.objects.get(pk=yellow.pk)
    assert kept.acknowledged_by == office
    assert [n.note for n in kept.rectification_notes.all()] == ["已约谈业主，倒排工期"]
    assert ProjectRank.objects.filter(rule_version__number=2).count() == 9
    town.replay(2, 3)  # and back again under the same rules: nothing changes
    assert levels(town.poor) == [("02", "yellow", False), ("03", "red", False), ("03", "yellow", True)]


def test_the_district_office_acknowledges_once_and_then_rectifies(town):
    town.months(1, 2)
    town.replay(1, 2)
    warning = Warning.objects.get(district=town.poor)
    office = office_for(town.poor)
    with pytest.raises(Conflict):
        warning_add_rectification(warning=warning, actor=office, note="先写整改")
    for outsider in (office_for(town.city), office_for(town.good)):
        with pytest.raises(PermissionDenied):
            warning_acknowledge(warning=warning, actor=outsider)
    done = warning_acknowledge(warning=warning, actor=office)
    assert done.acknowledged_at is not None and done.acknowledged_by == office
    with pytest.raises(Conflict):
        warning_acknowledge(warning=warning, actor=office)
    with pytest.raises(InvalidFields):
        warning_add_rectification(warning=warning, actor=office, note="   ")
    warning_add_rectification(warning=warning, actor=office, note="项目已复工")
    actions = list(
        Event.objects.filter(stream=f"ranking:district:{town.poor.pk}").order_by("seq").values_list("action", flat=True)
    )
    assert actions == ["ranking.warning_issued", "ranking.warning_acknowledged", "ranking.rectification_added"]


# --- rule versions --------------------------------------------------------------------------------


def test_each_month_is_ranked_under_the_version_in_force(town):
    town.months(1, 4)
    rule_version_create(
        actor=office_for(town.city),
        effective_from=month(2026, 3),
        rules={"classification": {"ahead_margin_points": 5}},
    )
    town.replay(1, 4)
    used = dict(RankingRun.objects.values_list("period", "rule_version__number"))
    assert used == {month(2026, 1): 1, month(2026, 2): 1, month(2026, 3): 2, month(2026, 4): 2}
    # good: 480/1200 = 40 % in April against 33.33 %: +6.67 points — ahead only under v2's 5 points.
    assert ProjectRank.objects.get(period=month(2026, 4), project=town.project(town.good)).rank_class == "ahead"
    assert ProjectRank.objects.get(period=month(2026, 2), project=town.project(town.good)).rank_class == "normal"


def test_only_the_city_office_adds_versions_and_each_month_once(town):
    with pytest.raises(PermissionDenied):
        rule_version_create(actor=office_for(town.poor), effective_from=month(2026, 3), rules={})
    city_office = office_for(town.city)
    rule_version_create(actor=city_office, effective_from=month(2026, 3), rules={})
    with pytest.raises(Conflict):
        rule_version_create(actor=city_office, effective_from=month(2026, 3), rules={})
    with pytest.raises(InvalidFields) as refused:
        rule_version_create(actor=city_office, effective_from=month(2026, 4), rules={"warnings": {"red_after": 0}})
    assert "warnings.red_after" in refused.value.errors
    assert list(RuleVersion.objects.order_by("number").values_list("number", "effective_from")) == [
        (1, dt.date(2000, 1, 1)),
        (2, month(2026, 3)),
    ]


# --- assessment -----------------------------------------------------------------------------------


def test_assessment_scores_months_quarters_and_years(town):
    town.months(1, 6)
    town.replay(1, 6)
    scores = {
        (s.window, s.period, s.organisation_id): s
        for s in AssessmentScore.objects.filter(subject="district", as_of=month(2026, 6))
    }
    quarter = scores[("quarter", month(2026, 4), town.fair.pk)]
    assert quarter.indicators["investment"] == {"numerator": "300.00", "denominator": "300.00", "score": "83.33"}
    assert quarter.indicators["report_timeliness"]["score"] == "100.00"
    assert scores[("year", month(2026, 1), town.poor.pk)].position == 3
    assert AssessmentScore.objects.filter(window="quarter", period=month(2026, 1), as_of=month(2026, 3)).exists()


def test_a_move_to_new_start_is_a_new_start_for_the_ranking_and_the_report(town, time_machine):
    # The office moves the project to 新开工 in March, its actual start that day.
    starting = building(town.fair, phase=Phase.PREPARATION, planned_start=dt.date(2026, 3, 10), name="城北物流园")
    held_by = team_member(starting, TeamRole.LEADER, leader(town.city))
    time_machine.move_to(dt.datetime(2026, 3, 12, 10, 0, tzinfo=timezone.get_default_timezone()), tick=False)
    project_change_phase(actor=office_for(town.city), project=starting, to_phase=Phase.NEW_START, reason="主体开工")
    time_machine.move_to(dt.datetime(2026, 12, 15, 10, 0, tzinfo=timezone.get_default_timezone()), tick=False)
    town.months(1, 3)

    ranking_run(period=month(2026, 3), today=TODAY)

    march = AssessmentScore.objects.get(window="month", period=month(2026, 3), organisation=town.fair)
    assert march.indicators["new_starts"] == {"numerator": "1", "denominator": "1", "score": "100.00"}
    (facts,) = [f for f in leader_facts(month(2026, 3)) if f.leader.pk == held_by.pk]
    assert facts.month.new_starts == ["城北物流园"]
    assert [f.month.new_starts for f in leader_facts(month(2026, 4)) if f.leader.pk == held_by.pk] == [[]]


def test_a_start_recorded_after_the_month_it_broke_ground_in_is_ranked_under_construction_then(town, time_machine):
    # Broke ground on 20 February, recorded on 5 April: February is ranked as 新开工, January as 前期.
    starting = building(town.fair, phase=Phase.PREPARATION, name="城北物流园")
    time_machine.move_to(dt.datetime(2026, 4, 5, 10, 0, tzinfo=timezone.get_default_timezone()), tick=False)
    project_change_phase(
        actor=office_for(town.city),
        project=starting,
        to_phase=Phase.NEW_START,
        reason="补录开工",
        started_on=dt.date(2026, 2, 20),
    )
    time_machine.move_to(dt.datetime(2026, 12, 15, 10, 0, tzinfo=timezone.get_default_timezone()), tick=False)
    town.months(1, 2)
    report(starting, 2026, 1, amount="0")
    report(starting, 2026, 2, amount="0")

    town.replay(1, 2)

    january, february = (ProjectRank.objects.get(period=month(2026, n), project=starting) for n in (1, 2))
    assert (january.phase, january.rank_class) == ("preparation", "normal")
    assert (february.phase, february.rank_class) == ("new_start", "no_progress")


def test_recomputing_an_earlier_month_leaves_a_later_window_alone(town):
    town.months(1, 5)
    town.replay(4, 5)
    ranking_run(period=month(2026, 4), today=TODAY)
    assert set(AssessmentScore.objects.filter(window="quarter").values_list("as_of", flat=True)) == {month(2026, 5)}
    assert set(AssessmentScore.objects.filter(window="month").values_list("period", flat=True)) == {
        month(2026, 4),
        month(2026, 5),
    }


def _late_january(town: Town) -> None:
    """poor reports nothing for January until after February and March are ranked: then 150 (序时 100)."""
    for number in (1, 2, 3):
        report(town.project(town.good), 2026, number, amount="120")
        report(town.project(town.fair), 2026, number, amount="100")
    for number in (2, 3):
        report(town.project(town.poor), 2026, number, amount="0", ytd="0")
    town.replay(1, 3)
    assert levels(town.poor) == [("02", "yellow", True), ("03", "red", True)]
    report(town.project(town.poor), 2026, 1, amount="150", late=True)


def test_recomputing_a_month_recomputes_the_later_months_whose_warnings_build_on_it(town):
    _late_january(town)
    runs = ranking_recompute(period=month(2026, 1), today=TODAY)
    assert [run.period for run in runs] == [month(2026, 1), month(2026, 2), month(2026, 3)]
    streaks = DistrictRank.objects.filter(district=town.poor).order_by("period").values_list("last_unmet_streak")
    assert [s for (s,) in streaks] == [0, 1, 2]  # January's target met: the streak starts again in February
    assert levels(town.poor) == [("02", "yellow", False), ("03", "red", False), ("03", "yellow", True)]


def test_the_ranking_page_says_which_later_months_it_recomputed(town, client):
    _late_january(town)
    client.force_login(office_for(town.city))
    response = client.post("/ranking/run/", {"period": "2026-01"}, follow=True)
    page = response.content.decode()
    assert "已重新计算 2026-01" in page and "其后已计算的 2026-02 至 2026-03 也已随之重算" in page
    assert levels(town.poor)[-1] == ("03", "yellow", True)
    job = Job.objects.get()  # the recomputation ran as a job, one step a month
    assert (job.kind, job.status, job.done, job.total) == ("ranking.recompute", "succeeded", 3, 3)


# --- the job and the command ----------------------------------------------------------------------


def test_the_job_ranks_the_previous_month_once(town):
    town.months(10, 11)
    said = ranking_run_previous_month(today=dt.date(2026, 12, 1))
    assert said.startswith("2026-11:")
    assert list(RankingRun.objects.values_list("period", flat=True)) == [month(2026, 11)]
    assert ranking_run_previous_month(today=dt.date(2026, 12, 2)) == "2026-11 已计算"


def test_the_command_recomputes_one_month_or_a_span(town, monkeypatch):
    town.months(1, 3)
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    out = StringIO()
    call_command("ranking", "run", "--period", "2026-02", stdout=out)
    assert out.getvalue() == "2026-02: 规则 v1, 3 个项目， 3 个区县， 0 个预警\n"  # January unranked: a streak of 1
    call_command("ranking", "run", "--from", "2026-01", "--to", "2026-03", stdout=out)
    assert out.getvalue().splitlines()[1:] == [
        "2026-01: 规则 v1, 3 个项目， 3 个区县， 0 个预警",
        "2026-02: 规则 v1, 3 个项目， 3 个区县， 1 个预警",
        "2026-03: 规则 v1, 3 个项目， 3 个区县， 1 个预警",
    ]
    with pytest.raises(CommandError) as refused:
        call_command("ranking", "run", "--from", "2026-03", "--to", "2026-01")
    assert refused.value.returncode == 2
    with pytest.raises(CommandError):
        call_command("ranking", "run", "--period", "2026-02", "--from", "2026-01")


# --- the inputs agree with the tables and with dispatch -------------------------------------------


def test_the_plain_sql_upsert_names_every_column_of_project_rank():
    from onewindow.ranking.services.standings import RANK_COLUMNS

    assert sorted(RANK_COLUMNS) == sorted(f.column for f in ProjectRank._meta.concrete_fields if f.column != "id")


def test_investment_is_read_as_dispatch_reads_it(town):
    from onewindow.dispatch.selectors import monthly_investment
    from onewindow.ranking.selectors.inputs import investments

    town.months(1, 3)
    report(town.project(town.poor), 2026, 4, amount="75", late=True)
    figures = monthly_investment(2026)
    for number in (3, 4):
        mine = investments(month(2026, number))
        for project_id, months in figures.items():
            if number in months:
                assert (mine[project_id].in_period, mine[project_id].year_to_date) == months[number]
    april = investments(month(2026, 4))[town.project(town.poor).pk]
    assert (april.report_count, april.late_count) == (1, 1)


def test_a_departments_assessment_counts_its_satisfaction_by_evaluations_rule(town, time_machine):
    from onewindow.cases.tests.factories import applicant_with_user, department
    from onewindow.evaluation.domain import Channel
    from onewindow.evaluation.services import Given, case_rate
    from onewindow.evaluation.tests.factories import ended_case

    unit = department(town.good)
    building(town.good, responsible_unit=unit)
    time_machine.move_to(dt.datetime(2026, 2, 10, 10, 0, tzinfo=timezone.get_default_timezone()), tick=False)
    for level in (5, 4, 3, 1):  # three of four satisfied
        applicant = applicant_with_user()
        case_rate(case=ended_case(applicant, unit), rater=applicant.user, channel=Channel.API, given=Given(level=level))
    time_machine.move_to(dt.datetime(2026, 12, 15, 10, 0, tzinfo=timezone.get_default_timezone()), tick=False)
    town.months(1, 2)
    ranking_run(period=month(2026, 2), today=TODAY)
    score = AssessmentScore.objects.get(subject="department", organisation=unit, window="month", period=month(2026, 2))
    assert score.indicators["satisfaction"] == {"numerator": "3", "denominator": "4", "score": "75.00"}
    district_score = AssessmentScore.objects.get(
        subject="district", organisation=town.good, window="month", period=month(2026, 2)
    )
    assert district_score.indicators["satisfaction"]["score"] is None  # departments only
