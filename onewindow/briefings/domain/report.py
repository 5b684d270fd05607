"""A leader's month (领导月报): the facts a selector loads, and the bulletin composed from them.

The bulletin is one data structure — title, summary, sections of paragraphs and tables, chart bars —
that the Word and the PDF renderers both draw, so the two files always say the same thing. The SMS
text (see `sms`) is composed from the same summary.

Rules:
- year to date: the latest report of the year up to the month's end (its 年度累计完成投资);
- completion share: year to date / annual plan; compared with 序时进度 (months elapsed / 12);
- breakthroughs: milestones reached in the month, new starts, completions;
- difficulties: problems open at the month's end, overdue when their deadline passed before it;
- attention: projects the month's ranking classed lagging (滞后) or no progress (无进展).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from onewindow.briefings.domain.amounts import (
    amount_cell,
    amount_text,
    month_end,
    months_range_text,
    percent_text,
    period_text,
    points_text,
    salutation,
    schedule_share,
    share,
)
from onewindow.briefings.domain.printable import ChartBar, Printable, Section, Table
from onewindow.ranking.domain.rules import RANK_CLASS_LABELS, RankClass

ZERO = Decimal(0)


# --- facts (what a selector loads) ----------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFacts:
    project_id: int
    code: str
    name: str
    district: str
    phase: str  # label, e.g. 续建
    total_investment: Decimal
    annual_plan: Decimal
    invested_month: Decimal
    invested_ytd: Decimal
    rank_class: str | None = None  # a RankClass value; None when the month is not ranked (yet)


@dataclass(frozen=True)
class MilestoneFacts:
    project_name: str
    name: str
    reached_on: dt.date


@dataclass(frozen=True)
class ProblemFacts:
    project_name: str
    title: str
    category: str  # label
    unit: str
    raised_on: dt.date
    due_on: dt.date
    closed_on: dt.date | None = None


@dataclass(frozen=True)
class LeaderMonth:
    """Everything a leader's report for one month says, loaded set-based for all leaders at once."""

    sender: str  # "云川市重点办"
    leader_name: str
    period: dt.date  # first day of the month
    projects: Sequence[ProjectFacts]
    milestones: Sequence[MilestoneFacts] = ()
    new_starts: Sequence[str] = ()  # project names
    completions: Sequence[str] = ()
    problems: Sequence[ProblemFacts] = ()  # raised on or before the month's end, open then or later


# --- the composed report --------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    project_count: int
    total_investment: Decimal
    annual_plan: Decimal
    invested_month: Decimal
    invested_ytd: Decimal
    ytd_share: Decimal | None  # of the annual plan; None without a plan
    schedule_share: Decimal  # 序时进度


@dataclass(frozen=True)
class Bulletin:
    title: str
    sender: str
    leader_name: str
    period: dt.date
    totals: Totals
    summary: str
    sections: tuple[Section, ...]
    chart: tuple[ChartBar, ...]
    lagging: tuple[str, ...]
    no_progress: tuple[str, ...]
    new_starts: tuple[str, ...] = field(default=())
    completions: tuple[str, ...] = field(default=())
    milestone_count: int = 0
    open_problems: int = 0
    overdue_problems: tuple[ProblemFacts, ...] = field(default=())

    @property
    def printable(self) -> Printable:
        """What the Word and PDF files show."""
        return Printable(
            self.title, self.sender, self.leader_name, self.period, self.summary, self.sections, self.chart
        )


def month_totals(month: LeaderMonth) -> Totals:
    plan = sum((p.annual_plan for p in month.projects), ZERO)
    ytd = sum((p.invested_ytd for p in month.projects), ZERO)
    return Totals(
        project_count=len(month.projects),
        total_investment=sum((p.total_investment for p in month.projects), ZERO),
        annual_plan=plan,
        invested_month=sum((p.invested_month for p in month.projects), ZERO),
        invested_ytd=ytd,
        ytd_share=share(ytd, plan),
        schedule_share=schedule_share(month.period),
    )


def is_open_on(problem: ProblemFacts, day: dt.date) -> bool:
    return problem.raised_on <= day and (problem.closed_on is None or problem.closed_on > day)


def is_overdue_on(problem: ProblemFacts, day: dt.date) -> bool:
    return is_open_on(problem, day) and problem.due_on < day


def projects_in_class(month: LeaderMonth, rank_class: RankClass) -> tuple[str, ...]:
    return tuple(p.name for p in month.projects if p.rank_class == rank_class)


def schedule_gap_text(totals: Totals) -> str:
    """ "超序时进度2.1个百分点" / "低于序时进度5.0个百分点" / "与序时进度持平"."""
    if totals.ytd_share is None:
        return "年度计划未下达"
    gap = totals.ytd_share - totals.schedule_share
    if abs(gap) < Decimal("0.0005"):
        return "与序时进度持平"
    return f"{'超' if gap > 0 else '低于'}序时进度{points_text(gap)}个百分点"


def completion_text(totals: Totals, period: dt.date) -> str:
    """ "1-10月累计完成投资38.62亿元，占年度计划45亿元的85.8%（序时进度83.3%），超序时进度2.5个百分点"."""
    done = f"{months_range_text(period)}累计完成投资{amount_text(totals.invested_ytd)}"
    if totals.ytd_share is None:
        return f"{done}（年度计划未下达）"
    return (
        f"{done}，占年度计划{amount_text(totals.annual_plan)}的{percent_text(totals.ytd_share)}"
        f"（序时进度{percent_text(totals.schedule_share)}），{schedule_gap_text(totals)}"
    )


def bulletin_compose(month: LeaderMonth) -> Bulletin:
    """The full bulletin: what the Word and PDF files show, section by section."""
    totals = month_totals(month)
    end = month_end(month.period)
    open_problems = [p for p in month.problems if is_open_on(p, end)]
    overdue = tuple(p for p in open_problems if is_overdue_on(p, end))
    summary = (
        f"截至{period_text(month.period)}底，{salutation(month.leader_name)}包联重点项目{totals.project_count}个，"
        f"总投资{amount_text(totals.total_investment)}。{completion_text(totals, month.period)}。"
        f"本月完成投资{amount_text(totals.invested_month)}。"
    )
    return Bulletin(
        title=f"{period_text(month.period)}重点项目推进情况月报",
        sender=month.sender,
        leader_name=month.leader_name,
        period=month.period,
        totals=totals,
        summary=summary,
        sections=sections_compose(month, totals, open_problems, end),
        chart=tuple(ChartBar(p.name, p.annual_plan, p.invested_ytd) for p in month.projects),
        lagging=projects_in_class(month, RankClass.LAGGING),
        no_progress=projects_in_class(month, RankClass.NO_PROGRESS),
        new_starts=tuple(month.new_starts),
        completions=tuple(month.completions),
        milestone_count=len(month.milestones),
        open_problems=len(open_problems),
        overdue_problems=overdue,
    )


def sections_compose(
    month: LeaderMonth, totals: Totals, open_problems: Sequence[ProblemFacts], end: dt.date
) -> tuple[Section, ...]:
    return (
        Section("一、总体情况", (_overview(month, totals),)),
        Section("二、项目推进明细", table=_projects_table(month)),
        _breakthroughs(month),
        _difficulties(open_problems, end),
        _attention(month),
    )


def _overview(month: LeaderMonth, totals: Totals) -> str:
    classes = [
        f"{label}{count}个"
        for value, label in RANK_CLASS_LABELS.items()
        if (count := sum(1 for p in month.projects if p.rank_class == value))
    ]
    ranked = f"按本月量化排位，{'、'.join(classes)}。" if classes else "本月量化排位尚未发布。"
    return (
        f"包联重点项目{totals.project_count}个，总投资{amount_text(totals.total_investment)}，"
        f"年度计划投资{amount_text(totals.annual_plan)}。{completion_text(totals, month.period)}。{ranked}"
    )


PROJECT_COLUMNS = (
    "序号",
    "项目名称",
    "所属区县",
    "阶段",
    "年度计划（万元）",
    "本月完成（万元）",
    "累计完成（万元）",
    "完成率",
    "排位",
)


def _projects_table(month: LeaderMonth) -> Table:
    rows = tuple(project_row(n, p) for n, p in enumerate(month.projects, start=1))
    return Table(PROJECT_COLUMNS, rows, numeric=(4, 5, 6, 7), widths=(5, 26, 10, 7, 12, 11, 12, 8, 9))


def _breakthroughs(month: LeaderMonth) -> Section:
    paragraphs = (
        f"新开工项目{len(month.new_starts)}个{_listed(month.new_starts)}。",
        f"竣工项目{len(month.completions)}个{_listed(month.completions)}。",
        f"完成推进节点{len(month.milestones)}个。",
    )
    rows = tuple((m.project_name, m.name, m.reached_on.isoformat()) for m in month.milestones)
    table = Table(("项目名称", "节点", "完成日期"), rows, empty_text="本月无节点完成", widths=(45, 35, 20))
    return Section("三、本月突破", paragraphs, table)


def _difficulties(open_problems: Sequence[ProblemFacts], end: dt.date) -> Section:
    overdue = sum(1 for p in open_problems if is_overdue_on(p, end))
    paragraph = f"截至月底尚未解决的问题{len(open_problems)}个，其中超期{overdue}个。"
    rows = tuple(
        (p.project_name, p.title, p.category, p.unit, p.due_on.isoformat(), _problem_state(p, end))
        for p in sorted(open_problems, key=lambda p: (p.due_on, p.project_name))
    )
    columns = ("项目名称", "问题", "类别", "责任单位", "办理期限", "状态")
    table = Table(columns, rows, empty_text="无未解决问题", widths=(22, 26, 8, 18, 14, 12))
    return Section("四、困难问题", (paragraph,), table)


def _problem_state(problem: ProblemFacts, end: dt.date) -> str:
    if is_overdue_on(problem, end):
        return f"超期{(end - problem.due_on).days}天"
    return "办理中"


def _attention(month: LeaderMonth) -> Section:
    lagging = projects_in_class(month, RankClass.LAGGING)
    stalled = projects_in_class(month, RankClass.NO_PROGRESS)
    paragraphs = (
        f"滞后项目{len(lagging)}个{_listed(lagging)}。",
        f"无进展项目{len(stalled)}个{_listed(stalled)}。",
    )
    return Section("五、需关注项目", paragraphs)


def _listed(names: Sequence[str]) -> str:
    return f"：{'、'.join(names)}" if names else ""


def project_row(number: int, project: ProjectFacts) -> tuple[str, ...]:
    return (
        str(number),
        project.name,
        project.district,
        project.phase,
        amount_cell(project.annual_plan),
        amount_cell(project.invested_month),
        amount_cell(project.invested_ytd),
        percent_text(share(project.invested_ytd, project.annual_plan)),
        rank_label(project.rank_class),
    )


def rank_label(rank_class: str | None) -> str:
    labels = {str(value): label for value, label in RANK_CLASS_LABELS.items()}
    return labels.get(rank_class or "", "未排位")
