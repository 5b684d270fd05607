"""Load 云川市's key projects through the real services: the registry by the Excel importer (the
layout offices use), the new starts breaking ground (`starts.py`), then the monthly progress
reports, the secretaries' site reports, problems with their answers and escalations, roadmaps, a
campaign, a concentrated start, the monthly ranking month by month (which earns 松溪县 its
warnings) and the leaders' reports.

The story is placed relative to the day it is first loaded (`data/story.py`): twelve months of
reports up to the last complete month. Every step is idempotent: what exists is left alone, so
`onewindow demo` run again the same day changes nothing. Run again later, it goes on with the story
the database already tells (`story_of`: its first report's month) rather than telling a new one: the
reports, site reports, milestones and starts that have come due since are filed, a new year's annual plans
added, the months not yet ranked (and those that received late reports) ranked, and the last
month's leaders' reports composed; what happened before is never rewritten. The problems, the
campaign and the concentrated start are events of the first twelve months and are loaded once.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Collection, Iterator
from decimal import Decimal

from django.db.models import Min, Q

from onewindow import xlsx
from onewindow.briefings.models import LeaderReport
from onewindow.briefings.services.campaigns import campaign_create
from onewindow.briefings.services.reports import monthly_reports_generate
from onewindow.briefings.services.starts import start_event_create
from onewindow.demo.data import key_projects as data
from onewindow.demo.data.regions import CITY_CODE
from onewindow.demo.data.story import Story
from onewindow.demo.identifiers import credit_code
from onewindow.demo.starts import starts_load
from onewindow.dispatch.domain.cycles import Cycle, CycleKind, cutoffs_in_month
from onewindow.dispatch.domain.problems import ProblemLevel
from onewindow.dispatch.models import DispatchCycle, Problem, ProgressReport, SiteReport
from onewindow.dispatch.services.cycles import cycle_save
from onewindow.dispatch.services.problems import NewProblem, problem_answer, problem_confirm, problem_raise
from onewindow.dispatch.services.reports import progress_report_submit, site_report_submit
from onewindow.orgs.models import Organisation, User
from onewindow.projects.excel import layout
from onewindow.projects.excel.importer import projects_import
from onewindow.projects.models import Campaign, Milestone, Project, Roadmap, StartEvent
from onewindow.projects.services.roadmap import MilestoneInput, milestone_record_actual, roadmap_publish, roadmap_set
from onewindow.ranking.models import RankingRun
from onewindow.ranking.services.run import ranking_replay
from onewindow.workdays.domain import WorkCalendar, is_working_day
from onewindow.workdays.selectors import work_calendar

PHASE_WRITTEN = {"reserve": "储备", "preparation": "前期", "new_start": "新开工", "continuing": "续建"}
PHASE_WRITTEN |= {"completed": "竣工", "in_production": "投产"}


def story_of(today: dt.date) -> Story:
    """The story this database already tells (the month of its first monthly report), else a new one
    whose twelve months end with the last complete month."""
    reports = ProgressReport.objects.filter(project__code__startswith=data.CODE_PREFIX)
    first = reports.aggregate(first=Min("period_end"))["first"]
    return Story(first.replace(day=1)) if first is not None else Story.told_on(today)


def registry_workbook(story: Story, today: dt.date, started: Collection[str] = ()) -> xlsx.Workbook:
    """The demo's project list as an office would send it: a title row, the header, one row each,
    with the annual plan of every year the story has ranked months in. A new start is listed in 前期
    until its start is recorded (`started`: the codes of those): it starts through the phase change."""
    book = xlsx.Workbook()
    sheet = book.active
    assert sheet is not None
    years = story.plan_years(today)
    xlsx.append_row(sheet, [f"{story.year}年云川市重点项目清单"])
    xlsx.append_row(sheet, layout.header(years))
    for number, spec in enumerate(data.projects(story), start=1):
        phase = "preparation" if spec.phase == "new_start" and spec.code not in started else spec.phase
        xlsx.append_row(sheet, _row(number, spec, len(years), phase))
    return book


def _row(number: int, spec: data.ProjectSpec, plan_years: int, phase: str) -> list[object]:
    plan = float(spec.annual_plan) if spec.annual_plan else None
    return [
        number,
        spec.name,
        spec.code,
        spec.owner_name,
        credit_code(spec.owner_credit_stem),
        spec.district,
        spec.industry,
        layout.TAG_SEPARATOR.join(spec.chain_tags),
        float(spec.total_investment),
        *[plan] * plan_years,
        PHASE_WRITTEN[phase],
        "市级" if spec.level == "city" else "区级",
        spec.planned_start,
        spec.planned_finish,
        spec.location,
        spec.leader,
        spec.chief_service,
        spec.secretary,
        "",
        "",
    ]


def registry_load(office: User, story: Story, today: dt.date) -> int:
    started = Project.objects.filter(code__startswith=data.CODE_PREFIX, phase="new_start").values_list("code")
    book = registry_workbook(story, today, started={code for (code,) in started})
    report = projects_import(actor=office, rows=xlsx.rows_of(book.active))
    if report.errors:
        raise RuntimeError(f"the demo's project list does not import: {report.errors[:3]}")
    return Project.objects.count()


# --- progress reports (月报) and site reports (日报) -------------------------------------------------


CYCLE = Cycle(CycleKind.MONTHLY, cutoff_day=30, remind_days_before=2)


def cycle_load(office: User) -> None:
    """The city reports monthly, due on the 30th (February: its last day)."""
    city = Organisation.objects.get(code=CITY_CODE)
    if not DispatchCycle.objects.filter(region=city).exists():
        cycle_save(actor=office, region=city, kind=CYCLE.kind, cutoff_day=30, remind_days_before=2)


def cutoff(month: dt.date) -> dt.date:
    return cutoffs_in_month(CYCLE, month.year, month.month)[-1]


def _filing_day(spec: data.ProjectSpec, month: dt.date) -> dt.date:
    """The day the secretary files: up to eleven days before the cut-off, one in seven two days late."""
    spread = zlib.crc32(f"{spec.code}{month:%Y%m}".encode()) % 7
    return cutoff(month) + dt.timedelta(days=2) if spread == 6 else cutoff(month) - dt.timedelta(days=1 + 2 * spread)


def _progress_note(spec: data.ProjectSpec, invested: Decimal, month: dt.date, carried: Decimal) -> str:
    if invested:
        stage = ("场地平整", "基础施工", "主体结构施工", "设备采购安装", "装饰装修及配套")[month.month % 5]
        note = f"{stage}有序推进，本月完成投资{invested}万元。"
    elif spec.trajectory == data.Trajectory.STALLED:
        note = "本月无实物工作量，现场停工待资金到位。"
    else:
        note = "本月未完成投资。"
    return note + (f"含本年此前各月（平台启用前）完成投资{carried}万元，一并填报。" if carried else "")


def reports_load(story: Story, today: dt.date) -> tuple[int, dt.date | None]:
    """The monthly reports of every project under construction, from the story's first month to this
    one (this month's: those filed by today). Returns how many were filed, and the earliest month
    that got one (its ranking, and the later months', is then out of date)."""
    users = {u.username: u for u in User.objects.filter(username__startswith="secretary_")}
    created, earliest = 0, None
    for spec, project in _projects(story):
        if spec.phase in {"reserve", "preparation"}:
            continue
        filed = set(ProgressReport.objects.filter(project=project).values_list("period_end", flat=True))
        for month in story.report_months(today):
            day = _filing_day(spec, month)
            if day > today or cutoff(month) in filed:
                continue
            invested = data.monthly_investment(spec, month, story)
            carried = data.carried_investment(spec, story) if month == story.first_month else Decimal(0)
            progress_report_submit(
                actor=users[spec.secretary],
                project=project,
                invested_in_period=invested + carried,
                progress_note=_progress_note(spec, invested, month, carried),
                workers=int(invested / 40) + (8 if invested else 0),
                period_end=cutoff(month),
                today=day,
            )
            created += 1
            earliest = month if earliest is None else min(earliest, month)
    return created, earliest


def site_reports_load(story: Story, today: dt.date, days: int = 5) -> int:
    """The secretaries' daily reports of the last working days; about one in five has not yet
    reported today (the office's "not yet reported today" list has names on it)."""
    users = {u.username: u for u in User.objects.filter(username__startswith="secretary_")}
    calendar_ = work_calendar()
    created = 0
    for spec, project in _projects(story):
        if spec.phase not in {"new_start", "continuing"}:
            continue
        for day in _last_working_days(today, days, calendar_):
            silent_today = day == today and zlib.crc32(spec.code.encode()) % 5 == 0
            if silent_today or SiteReport.objects.filter(project=project, reported_on=day).exists():
                continue
            workers = 20 + zlib.crc32(f"{spec.code}{day}".encode()) % 180
            site_report_submit(
                actor=users[spec.secretary], project=project, workers=workers, machines=workers // 15, today=day
            )
            created += 1
    return created


def _last_working_days(today: dt.date, count: int, calendar_: WorkCalendar) -> list[dt.date]:
    days: list[dt.date] = []
    day = today
    while len(days) < count:
        if is_working_day(day, calendar_):
            days.append(day)
        day -= dt.timedelta(days=1)
    return days


def _projects(story: Story) -> Iterator[tuple[data.ProjectSpec, Project]]:
    projects = {p.code: p for p in Project.objects.select_related("district")}
    for spec in data.projects(story):
        yield spec, projects[spec.code]


# --- problems (问题交办) ------------------------------------------------------------------------------

# (category, title, the city department that answers it at city level, its reviewer's username)
PROBLEMS: tuple[tuple[str, str, str, str], ...] = (
    ("land", "项目用地报批进度滞后，需协调新增建设用地指标", "9901-ZRZY", "reviewer_zrzy"),
    ("approval", "施工图审查意见反复，施工许可办理进度慢", "9901-ZJ", "reviewer_zj"),
    ("funding", "地方政府专项债券资金尚未拨付到位", "9901-FG", "reviewer_fg"),
    ("environment", "环评批复前置条件需与生态环境部门对接", "9901-STHJ", "reviewer_sthj"),
    ("utilities", "施工用水接入需市政管网配套", "9901-SW", "reviewer_sw"),
)
DISTRICT_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("demolition", "项目红线内尚有部分住户未完成征迁"),
    ("utilities", "施工临时用电容量不足，需协调增容"),
    ("other", "周边道路断交施工需协调交通疏导"),
)


NO_PROBLEMS = frozenset({"reserve", "completed", "in_production"})


def problems_load(story: Story, today: dt.date) -> int:
    """Problems raised over 110 days from the 3rd of the story's ninth month (August when it starts in
    December): at city level mostly answered and closed, at district level
    assigned to streets and townships, some of them overdue (the hourly job escalates those)."""
    if Problem.objects.exists():
        return 0
    staff = User.objects.filter(Q(username__startswith="secretary_") | Q(username__startswith="reviewer_"))
    users = {u.username: u for u in staff}
    units = {o.code: o for o in Organisation.objects.filter(code__in=[p[2] for p in PROBLEMS])}
    chosen = [(s, p) for n, (s, p) in enumerate(_projects(story)) if n % 4 == 0 and s.phase not in NO_PROBLEMS]
    created = 0
    for n, (spec, project) in enumerate(chosen):
        raised_on = story.problems_from + dt.timedelta(days=(n * 7) % 110)
        if raised_on > today:
            continue
        secretary = users[spec.secretary]
        if spec.level == "city" and n % 3:
            _city_problem(spec, project, secretary, users, units, raised_on, today, n)
        else:
            category, title = DISTRICT_PROBLEMS[n % len(DISTRICT_PROBLEMS)]
            place = Organisation.objects.filter(parent=project.district, kind="region").order_by("code").first()
            new = NewProblem(category=category, title=title, unit=place or project.district)
            problem_raise(actor=secretary, project=project, new=new, today=raised_on)
        created += 1
    return created


def _city_problem(
    spec: data.ProjectSpec,
    project: Project,
    secretary: User,
    users: dict[str, User],
    units: dict[str, Organisation],
    raised_on: dt.date,
    today: dt.date,
    n: int,
) -> None:
    category, title, unit, answerer = PROBLEMS[n % len(PROBLEMS)]
    new = NewProblem(category=category, title=title, unit=units[unit], level=ProblemLevel.CITY_DEPARTMENT)
    problem = problem_raise(actor=secretary, project=project, new=new, today=raised_on)
    answered_on = raised_on + dt.timedelta(days=3)
    if n % 4 == 1 or answered_on > today:  # not answered yet
        return
    problem = problem_answer(
        actor=users[answerer], problem=problem, answer="已召开专题协调会，明确办理路径和时限。", today=answered_on
    )
    if n % 4 != 2 and answered_on + dt.timedelta(days=2) <= today:  # else: awaiting confirmation
        problem_confirm(actor=secretary, problem=problem, note="问题已解决。", today=answered_on + dt.timedelta(days=2))


# --- roadmaps (推进路径图) ---------------------------------------------------------------------------

ROADMAP_MILESTONES: tuple[MilestoneInput, ...] = (
    MilestoneInput(kind="land", name="土地摘牌", duration_days=30),
    MilestoneInput(kind="approval", name="建设用地规划许可", duration_days=10, counts_working_days=True),
    MilestoneInput(kind="approval", name="建设工程规划许可", duration_days=15, counts_working_days=True),
    MilestoneInput(kind="approval", name="施工许可", duration_days=15, counts_working_days=True),
    MilestoneInput(kind="start", name="项目开工", duration_days=1),
)


def roadmaps_load(office: User, story: Story, today: dt.date) -> int:
    """Roadmaps backwards from a start by the story's target (the end of March after its first twelve
    months, when they end in November) for the projects in preparation; the steps whose latest date has
    passed are reached — late for every third project, so their slippage shows. Run again later, the
    steps that have come due since are reached too. Returns how many roadmaps were set up."""
    created = 0
    for n, (spec, project) in enumerate(_projects(story)):
        if spec.phase != "preparation":
            continue
        is_new = not Roadmap.objects.filter(project=project).exists()
        if is_new:
            roadmap_set(actor=office, project=project, target_on=story.roadmap_target_on, milestones=ROADMAP_MILESTONES)
        _milestones_reach(office, project, late=n % 3 == 0, today=today)
        if is_new:
            roadmap_publish(actor=office, project=project)
            created += 1
    return created


def _milestones_reach(office: User, project: Project, *, late: bool, today: dt.date) -> None:
    milestone: Milestone
    for milestone in project.milestones.order_by("position"):
        assert milestone.latest_on is not None
        reached = milestone.latest_on + dt.timedelta(days=12 if late else -3)
        if reached > today:
            break
        if milestone.actual_on is None:
            milestone_record_actual(actor=office, project=project, milestone_id=milestone.pk, actual_on=reached)


# --- campaign, concentrated start, ranking and the leaders' reports ---------------------------------


def campaign_load(office: User, story: Story) -> None:
    """The story's 百日攻坚, organised by `office`'s region (the city): every district office sees it."""
    if Campaign.objects.exists():
        return
    codes = [
        spec.code for n, spec in enumerate(data.projects(story)) if spec.phase in {"new_start", "continuing"} and n % 3
    ]
    campaign_create(
        actor=office,
        name=f"{story.campaign_starts_on.year}年重点项目“百日攻坚”行动",
        starts_on=story.campaign_starts_on,
        ends_on=story.campaign_ends_on,
        target_starts=20,
        target_completions=3,
        target_investment_share=Decimal("0.90"),
        project_codes=codes,
    )


def start_event_load(office: User, story: Story) -> None:
    """The story's concentrated start, organised by `office`'s region (the city), as the campaign."""
    if StartEvent.objects.exists():
        return
    codes = [spec.code for spec in data.projects(story) if data.starts_at_event(spec, story)]
    held_on = story.start_event_on
    start_event_create(
        actor=office,
        name=f"云川市{held_on.year}年第{story.start_event_quarter}季度重大项目集中开工",
        held_on=held_on,
        venue="云川市江北区滨江新区主会场",
        project_codes=codes,
    )


def ranking_and_reports_load(office: User, story: Story, today: dt.date, reported_from: dt.date | None) -> int:
    """Rank the story's months not ranked yet, and again those that received reports in this run and
    every month after them (warning streaks and year-to-date figures build on the month before), one
    after the other; then compose each leader's report for the last complete month, unless nothing
    was ranked and they exist."""
    months = story.ranked_months(today)
    if not months:
        return 0
    ranked = set(RankingRun.objects.filter(period__in=months).values_list("period", flat=True))
    due = [m for m in months if m not in ranked or (reported_from is not None and m >= reported_from)]
    if due:
        ranking_replay(first=due[0], last=months[-1], actor=office, today=today)
    elif LeaderReport.objects.filter(period=months[-1]).exists():
        return 0
    return monthly_reports_generate(period=months[-1], with_files=False).created


def key_projects_load(*, today: dt.date) -> dict[str, int]:
    story = story_of(today)
    office = User.objects.get(username="project_office")
    cycle_load(office)
    counts = {"重点项目": registry_load(office, story, today)}
    counts["实际开工"] = starts_load(office, story, today)
    counts["月度进度填报"], reported_from = reports_load(story, today)
    counts["现场日报"] = site_reports_load(story, today)
    counts["交办问题"] = problems_load(story, today)
    counts["推进路径图"] = roadmaps_load(office, story, today)
    campaign_load(office, story)
    start_event_load(office, story)
    counts["领导月报"] = ranking_and_reports_load(office, story, today, reported_from)
    return counts
