"""Load 云川市's key projects through the real services: the registry by the Excel importer (the
layout offices use), then twelve months of progress reports, the secretaries' site reports,
problems with their answers and escalations, roadmaps, a campaign, a concentrated start, the
monthly ranking replayed month by month (which earns 松溪县 its warnings) and the leaders' reports.

Every step is idempotent: what exists is left alone, so `onewindow demo` can run again.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Q

from onewindow import xlsx
from onewindow.briefings.services.campaigns import campaign_create
from onewindow.briefings.services.reports import monthly_reports_generate
from onewindow.briefings.services.starts import start_event_create
from onewindow.demo.data import key_projects as data
from onewindow.demo.data.regions import CITY_CODE
from onewindow.dispatch.domain.cycles import Cycle, CycleKind, cutoffs_in_month
from onewindow.dispatch.domain.problems import ProblemLevel
from onewindow.dispatch.models import DispatchCycle, Problem, ProgressReport, SiteReport
from onewindow.dispatch.services.cycles import cycle_save
from onewindow.dispatch.services.problems import NewProblem, problem_answer, problem_confirm, problem_raise
from onewindow.dispatch.services.reports import progress_report_submit, site_report_submit
from onewindow.orgs.models import Organisation, User
from onewindow.projects.excel import layout
from onewindow.projects.excel.importer import projects_import
from onewindow.projects.models import Campaign, Project, Roadmap, StartEvent
from onewindow.projects.services.roadmap import MilestoneInput, milestone_record_actual, roadmap_publish, roadmap_set
from onewindow.ranking.services.run import ranking_replay
from onewindow.workdays.domain import WorkCalendar, is_working_day
from onewindow.workdays.selectors import work_calendar

PHASE_WRITTEN = {"reserve": "储备", "preparation": "前期", "new_start": "新开工", "continuing": "续建"}
PHASE_WRITTEN |= {"completed": "竣工", "in_production": "投产"}


def registry_workbook() -> xlsx.Workbook:
    """The demo's project list as an office would send it: a title row, the header, one row each."""
    book = xlsx.Workbook()
    sheet = book.active
    assert sheet is not None
    xlsx.append_row(sheet, [f"{data.YEAR}年云川市重点项目清单"])
    xlsx.append_row(sheet, layout.header([data.YEAR]))
    for number, spec in enumerate(data.projects(), start=1):
        xlsx.append_row(sheet, _row(number, spec))
    return book


def _row(number: int, spec: data.ProjectSpec) -> list[object]:
    from onewindow.demo.services import credit_code

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
        float(spec.plan_this_year) if spec.plan_this_year else None,
        PHASE_WRITTEN[spec.phase],
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


def registry_load(office: User) -> int:
    report = projects_import(actor=office, rows=xlsx.rows_of(registry_workbook().active))
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


def _progress_note(spec: data.ProjectSpec, invested: Decimal, month: dt.date) -> str:
    if invested:
        stage = ("场地平整", "基础施工", "主体结构施工", "设备采购安装", "装饰装修及配套")[month.month % 5]
        return f"{stage}有序推进,本月完成投资{invested}万元。"
    if spec.trajectory == data.Trajectory.STALLED:
        return "本月无实物工作量,现场停工待资金到位。"
    return "本月未完成投资。"


def reports_load(today: dt.date) -> int:
    """Twelve months of monthly reports for every project under construction (November: some)."""
    users = {u.username: u for u in User.objects.filter(username__startswith="secretary_")}
    created = 0
    for spec, project in _projects():
        if spec.phase in {"reserve", "preparation"}:
            continue
        filed = set(ProgressReport.objects.filter(project=project).values_list("period_end", flat=True))
        for month in data.REPORT_MONTHS:
            day = _filing_day(spec, month)
            if day > today or cutoff(month) in filed:
                continue
            invested = data.monthly_investment(spec, month)
            progress_report_submit(
                actor=users[spec.secretary],
                project=project,
                invested_in_period=invested,
                progress_note=_progress_note(spec, invested, month),
                workers=int(invested / 40) + (8 if invested else 0),
                period_end=cutoff(month),
                today=day,
            )
            created += 1
    return created


def site_reports_load(today: dt.date, days: int = 5) -> int:
    """The secretaries' daily reports of the last working days; about one in five has not yet
    reported today (the office's "not yet reported today" list has names on it)."""
    users = {u.username: u for u in User.objects.filter(username__startswith="secretary_")}
    calendar_ = work_calendar()
    created = 0
    for spec, project in _projects():
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


def _projects() -> Iterator[tuple[data.ProjectSpec, Project]]:
    projects = {p.code: p for p in Project.objects.select_related("district")}
    for spec in data.projects():
        yield spec, projects[spec.code]


# --- problems (问题交办) ------------------------------------------------------------------------------

# (category, title, the city department that answers it at city level, its reviewer's username)
PROBLEMS: tuple[tuple[str, str, str, str], ...] = (
    ("land", "项目用地报批进度滞后,需协调新增建设用地指标", "9901-ZRZY", "reviewer_zrzy"),
    ("approval", "施工图审查意见反复,施工许可办理进度慢", "9901-ZJ", "reviewer_zj"),
    ("funding", "地方政府专项债券资金尚未拨付到位", "9901-FG", "reviewer_fg"),
    ("environment", "环评批复前置条件需与生态环境部门对接", "9901-STHJ", "reviewer_sthj"),
    ("utilities", "施工用水接入需市政管网配套", "9901-SW", "reviewer_sw"),
)
DISTRICT_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("demolition", "项目红线内尚有部分住户未完成征迁"),
    ("utilities", "施工临时用电容量不足,需协调增容"),
    ("other", "周边道路断交施工需协调交通疏导"),
)


NO_PROBLEMS = frozenset({"reserve", "completed", "in_production"})


def problems_load(today: dt.date) -> int:
    """Problems raised from August on: at city level mostly answered and closed, at district level
    assigned to streets and townships, some of them overdue (the hourly job escalates those)."""
    if Problem.objects.exists():
        return 0
    staff = User.objects.filter(Q(username__startswith="secretary_") | Q(username__startswith="reviewer_"))
    users = {u.username: u for u in staff}
    units = {o.code: o for o in Organisation.objects.filter(code__in=[p[2] for p in PROBLEMS])}
    chosen = [(s, p) for n, (s, p) in enumerate(_projects()) if n % 4 == 0 and s.phase not in NO_PROBLEMS]
    created = 0
    for n, (spec, project) in enumerate(chosen):
        raised_on = dt.date(data.YEAR, 8, 3) + dt.timedelta(days=(n * 7) % 110)
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
        actor=users[answerer], problem=problem, answer="已召开专题协调会,明确办理路径和时限。", today=answered_on
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
ROADMAP_TARGET = dt.date(data.YEAR + 1, 3, 31)


def roadmaps_load(office: User, today: dt.date) -> int:
    """Roadmaps backwards from a start at the end of next March for the projects in preparation;
    the land is in hand for most, and the steps whose latest date has passed are reached — late
    for every third project, so their slippage shows."""
    created = 0
    for n, (spec, project) in enumerate(_projects()):
        if spec.phase != "preparation" or Roadmap.objects.filter(project=project).exists():
            continue
        roadmap_set(actor=office, project=project, target_on=ROADMAP_TARGET, milestones=ROADMAP_MILESTONES)
        for milestone in project.milestones.order_by("position"):
            assert milestone.latest_on is not None
            reached = milestone.latest_on + dt.timedelta(days=12 if n % 3 == 0 else -3)
            if reached > today:
                break
            milestone_record_actual(actor=office, project=project, milestone_id=milestone.pk, actual_on=reached)
        roadmap_publish(actor=office, project=project)
        created += 1
    return created


# --- campaign, concentrated start, ranking and the leaders' reports ---------------------------------


def campaign_load(office: User) -> None:
    if Campaign.objects.exists():
        return
    codes = [spec.code for n, spec in enumerate(data.projects()) if spec.phase in {"new_start", "continuing"} and n % 3]
    campaign_create(
        actor=office,
        name=f"{data.YEAR}年重点项目“百日攻坚”行动",
        starts_on=dt.date(data.YEAR, 8, 1),
        ends_on=dt.date(data.YEAR, 11, 8),
        target_starts=20,
        target_completions=3,
        target_investment_share=Decimal("0.90"),
        project_codes=codes,
    )


def start_event_load(office: User) -> None:
    if StartEvent.objects.exists():
        return
    codes = [
        spec.code
        for spec in data.projects()
        if spec.phase == "new_start" and spec.planned_start.year == data.YEAR and spec.planned_start.month >= 7
    ]
    start_event_create(
        actor=office,
        name=f"云川市{data.YEAR}年第三季度重大项目集中开工",
        held_on=dt.date(data.YEAR, 9, 18),
        venue="云川市江北区滨江新区主会场",
        project_codes=codes,
    )


def ranking_and_reports_load(office: User, today: dt.date) -> int:
    """Rank every month of the year so far, one after the other (the warnings come out of the
    replay), then compose each leader's report for the last ranked month."""
    last = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    ranking_replay(first=dt.date(data.YEAR, 1, 1), last=last, actor=office, today=today)
    return monthly_reports_generate(period=last, with_files=False).created


def key_projects_load(*, today: dt.date) -> dict[str, int]:
    office = User.objects.get(username="project_office")
    cycle_load(office)
    counts = {"重点项目": registry_load(office)}
    counts["月度进度填报"] = reports_load(today)
    counts["现场日报"] = site_reports_load(today)
    counts["交办问题"] = problems_load(today)
    counts["推进路径图"] = roadmaps_load(office, today)
    campaign_load(office)
    start_event_load(office)
    counts["领导月报"] = ranking_and_reports_load(office, today)
    return counts
