"""The leader report, campaign and start rules, without a database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onewindow.briefings.domain.amounts import (
    amount_text,
    month_end,
    months_range_text,
    parse_period,
    percent_text,
    previous_month,
    salutation,
    schedule_share,
)
from onewindow.briefings.domain.campaigns import (
    MemberFacts,
    Targets,
    Window,
    campaign_progress,
    completed_within,
    targets_check,
)
from onewindow.briefings.domain.report import (
    LeaderMonth,
    MilestoneFacts,
    ProblemFacts,
    ProjectFacts,
    bulletin_compose,
)
from onewindow.briefings.domain.sms import SMS_LIMIT, names_text, sms_text
from onewindow.errors import InvalidFields

OCTOBER = dt.date(2026, 10, 1)


def project(
    n: int,
    *,
    plan: str = "40000",
    ytd: str = "30000",
    month: str = "3000",
    rank: str | None = "normal",
    name: str | None = None,
) -> ProjectFacts:
    return ProjectFacts(
        project_id=n,
        code=f"XM{n:04d}",
        name=name or f"滨江新材料产业园{n}期",
        district="滨江区",
        phase="续建",
        total_investment=Decimal("120000"),
        annual_plan=Decimal(plan),
        invested_month=Decimal(month),
        invested_ytd=Decimal(ytd),
        rank_class=rank,
    )


def problem(name: str, *, due: dt.date, closed: dt.date | None = None) -> ProblemFacts:
    return ProblemFacts(name, "用地指标未落实", "用地", "市自然资源局", dt.date(2026, 8, 1), due, closed)


def october(**kwargs) -> LeaderMonth:
    base = {
        "sender": "云川市重点办",
        "leader_name": "张三",
        "period": OCTOBER,
        "projects": [project(1), project(2, rank="lagging"), project(3, ytd="0", month="0", rank="no_progress")],
    }
    return LeaderMonth(**(base | kwargs))


# --- amounts --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wan", "text"),
    [
        ("386000", "38.6亿元"),
        ("10000", "1亿元"),
        ("12345.6", "1.23亿元"),
        ("5320.45", "5320.5万元"),
        ("0", "0万元"),
        ("9999.96", "10000万元"),
    ],
)
def test_amounts_read_in_yi_from_one_yi_up_else_in_wan(wan, text):
    assert amount_text(Decimal(wan)) == text


def test_schedule_share_is_months_elapsed_over_twelve():
    assert percent_text(schedule_share(OCTOBER)) == "83.3%"
    assert percent_text(schedule_share(dt.date(2026, 12, 1))) == "100.0%"
    assert percent_text(None) == "—"


def test_periods():
    assert months_range_text(dt.date(2026, 1, 1)) == "1月"
    assert months_range_text(OCTOBER) == "1-10月"
    assert month_end(dt.date(2028, 2, 1)) == dt.date(2028, 2, 29)
    assert previous_month(dt.date(2026, 1, 5)) == dt.date(2025, 12, 1)
    assert parse_period("2026-10") == OCTOBER
    assert parse_period("2026-10-31") == OCTOBER
    for wrong in ("2026-13", "2026-02-30", "October", "", "1-1", "99999-1"):
        assert parse_period(wrong) is None


# --- the bulletin ---------------------------------------------------------------------------------


def test_totals_share_and_schedule():
    bulletin = bulletin_compose(october())
    assert bulletin.totals.project_count == 3
    assert bulletin.totals.invested_ytd == Decimal("60000")
    assert bulletin.totals.annual_plan == Decimal("120000")
    assert (
        "1-10月累计完成投资6亿元，占年度计划12亿元的50.0%（序时进度83.3%），低于序时进度33.3个百分点"
        in bulletin.summary
    )
    assert bulletin.lagging == ("滨江新材料产业园2期",)
    assert bulletin.no_progress == ("滨江新材料产业园3期",)


def test_the_projects_table_lists_every_project_with_its_share_and_class():
    table = bulletin_compose(october()).sections[1].table
    assert table is not None
    assert [row[1] for row in table.rows] == ["滨江新材料产业园1期", "滨江新材料产业园2期", "滨江新材料产业园3期"]
    assert table.rows[0][4:] == ("40000.00", "3000.00", "30000.00", "75.0%", "正常推进")
    assert table.rows[2][-1] == "无进展"


def test_problems_open_and_overdue_at_the_months_end():
    problems = [
        problem("甲项目", due=dt.date(2026, 9, 30)),  # overdue
        problem("乙项目", due=dt.date(2026, 11, 30)),  # open, not yet due
        problem("丙项目", due=dt.date(2026, 9, 1), closed=dt.date(2026, 10, 15)),  # closed within the month
        problem("丁项目", due=dt.date(2026, 9, 1), closed=dt.date(2026, 11, 3)),  # closed later: open then
    ]
    bulletin = bulletin_compose(october(problems=problems))
    assert bulletin.open_problems == 3
    assert [p.project_name for p in bulletin.overdue_problems] == ["甲项目", "丁项目"]
    table = bulletin.sections[3].table
    assert table is not None and [row[0] for row in table.rows] == ["丁项目", "甲项目", "乙项目"]
    assert table.rows[0][-1] == "超期60天"


def test_without_a_plan_the_share_is_not_invented():
    bulletin = bulletin_compose(october(projects=[project(1, plan="0", ytd="500")]))
    assert bulletin.totals.ytd_share is None
    assert "年度计划未下达" in bulletin.summary
    assert "年度计划未下达" in sms_text(bulletin)


# --- the SMS --------------------------------------------------------------------------------------


def test_the_sms_reads_like_a_message_from_the_office():
    month = october(
        new_starts=["城东污水处理厂"],
        completions=["高铁站前广场"],
        milestones=[MilestoneFacts("滨江新材料产业园1期", "主体封顶", dt.date(2026, 10, 20))],
        problems=[problem("滨江新材料产业园2期", due=dt.date(2026, 9, 30))],
    )
    text = sms_text(bulletin_compose(month))
    assert text == (
        "【云川市重点办】张三同志：您包联的3个重点项目（总投资36亿元），1-10月累计完成投资6亿元，占年度计划12亿元的50.0%"
        "（序时进度83.3%），低于序时进度33.3个百分点。本月完成投资6000万元，新开工1个（城东污水处理厂），"
        "竣工1个（高铁站前广场），完成推进节点1个。尚有1个问题未解决，其中1个超期（滨江新材料产业园2期）。"
        "滞后项目：滨江新材料产业园2期；无进展项目：滨江新材料产业园3期。请予关注。"
    )


def test_a_month_without_trouble_ends_plainly():
    text = sms_text(bulletin_compose(october(projects=[project(1, ytd="36000")])))
    assert "超序时进度6.7个百分点" in text
    assert text.endswith("特此报告。")


def test_long_lists_are_shortened_with_a_count():
    many = [project(n, rank="lagging", name=f"云川市第{n}号重点产业园区基础设施配套工程") for n in range(1, 60)]
    text = sms_text(bulletin_compose(october(projects=many)))
    assert len(text) <= SMS_LIMIT
    assert "等59个项目" in text
    assert "滞后项目：云川市第1号重点产业园区基础设…、" in text


def test_names_text():
    assert names_text(["甲", "乙"], 3) == "甲、乙"
    assert names_text(["甲", "乙", "丙"], 2) == "甲、乙等3个项目"
    assert names_text(["甲", "乙", "丙"], 0) == "3个项目"


_names = st.text(alphabet="重点项目工程园区产业一二三ABC（）", min_size=1, max_size=200)
_amounts = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def leader_months(draw):
    count = draw(st.integers(min_value=0, max_value=80))
    projects = [
        ProjectFacts(
            n,
            f"X{n}",
            draw(_names),
            "区",
            "续建",
            draw(_amounts),
            draw(_amounts),
            draw(_amounts),
            draw(_amounts),
            draw(st.sampled_from(["ahead", "normal", "lagging", "no_progress", None])),
        )
        for n in range(count)
    ]
    names = st.lists(_names, max_size=40)
    problems = [problem(draw(_names), due=dt.date(2026, 1, 1)) for _ in range(draw(st.integers(0, 40)))]
    return LeaderMonth(
        sender=draw(_names),
        leader_name=draw(_names),
        period=dt.date(2026, draw(st.integers(1, 12)), 1),
        projects=projects,
        new_starts=draw(names),
        completions=draw(names),
        problems=problems,
    )


@settings(max_examples=60, deadline=None)
@given(leader_months())
def test_the_sms_never_exceeds_the_limit(month):
    assert len(sms_text(bulletin_compose(month))) <= SMS_LIMIT


# --- campaigns ------------------------------------------------------------------------------------

HUNDRED_DAYS = Window(dt.date(2026, 6, 1), dt.date(2026, 9, 8))


def test_a_completion_counts_by_a_day_within_the_window():
    assert completed_within(HUNDRED_DAYS, [dt.date(2026, 1, 1), dt.date(2026, 7, 1)])
    assert not completed_within(HUNDRED_DAYS, [])


def member(n: int, *, started=False, completed=False, plan="1000", ytd="500") -> MemberFacts:
    return MemberFacts(n, f"项目{n}", "滨江区", started, completed, Decimal(plan), Decimal(ytd))


def test_progress_against_targets_and_pace():
    targets = Targets(starts=4, completions=1, investment_share=Decimal("0.9"))
    members = [member(1, started=True), member(2, started=True, completed=True), member(3)]
    progress = campaign_progress(HUNDRED_DAYS, targets, members, today=dt.date(2026, 7, 20))
    assert progress.elapsed_share == Decimal(50) / Decimal(100)
    starts, completions, investment = progress.indicators
    assert (starts.actual, starts.target, starts.is_met, starts.is_on_pace) == ("2个", "4个", False, True)
    assert (completions.is_met, completions.is_on_pace) == (True, True)
    assert investment.actual == "50.0%（1500万元）"
    assert (investment.target, investment.is_met, investment.is_on_pace) == ("90.0%", False, True)
    late = campaign_progress(HUNDRED_DAYS, targets, members, today=dt.date(2026, 12, 1))
    assert late.elapsed_share == 1
    assert not late.indicators[0].is_on_pace


def test_campaign_input_errors_are_reported_together():
    with pytest.raises(InvalidFields) as caught:
        targets_check(
            name=" ", starts_on=dt.date(2026, 6, 2), ends_on=dt.date(2026, 6, 1), targets=Targets(-1, 0, Decimal("1.5"))
        )
    assert set(caught.value.errors) == {"name", "ends_on", "target_starts", "target_investment_share"}


@pytest.mark.parametrize(
    ("name", "addressed"),
    [("张建国", "张建国同志"), ("袁市长", "袁市长"), ("周副市长", "周副市长"), ("王书记", "王书记")],
)
def test_a_leader_is_addressed_as_comrade_unless_the_name_carries_a_title(name, addressed):
    assert salutation(name) == addressed
