"""Scoped reads of cases: every page and endpoint reads through here, never from the models.

Who sees what:
- an applicant's linked user (Applicant.user) sees their own cases, drafts included, and the
  public rows of the timeline;
- staff see a case when its region or any of its task departments lies within
  `organisations_visible_to(user)` (drafts only when they drafted it themselves); they see every
  timeline row;
- an agent (代办员) sees the cases they represent (`agency.selectors`: a valid authorisation from the
  applicant, or the key project linking the case) and, as the applicant, their public timeline rows;
  the agent role opens no organisation's cases;
- anything else gets the same "not found" as a missing case (no existence leak).

Lists return querysets (the caller paginates) with their foreign keys selected, so a page costs a
fixed number of queries. Remaining working days are computed for the rows shown (`task_progress`,
`case_progress`); sorting and counts use the stored warning level the periodic job keeps current.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.db import connections
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from onewindow.agency.selectors import applicants_agent_files_for, represented_cases_condition
from onewindow.cases.domain import (
    OPEN_CASE_STATUSES,
    OPEN_TASK_STATUSES,
    CaseAction,
    CaseStatus,
    TaskStatus,
    WarningLevel,
    deemed_accepted_on,
    remaining_working_days,
    warning_level,
)
from onewindow.cases.models import (
    TASK_ORDER,
    URGENCY,
    Case,
    CaseDepartment,
    CaseMatter,
    ClockStop,
    CorrectionNotice,
    Task,
    TimelineEntry,
)
from onewindow.catalogue.models import Matter, MatterVersion
from onewindow.errors import InvalidFields, NotFound, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, Organisation, User
from onewindow.orgs.selectors import (
    holds_role_over,
    organisation_subtree,
    organisations_visible_to,
    user_has_role,
    user_roles,
)
from onewindow.workdays.domain import WorkCalendar
from onewindow.workdays.selectors import work_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
TaskRows = TypeVar("TaskRows", bound=QuerySet[Task])
REVIEW_ROLES = frozenset({Role.REVIEWER, Role.DEPARTMENT_HEAD, Role.LEAD_COORDINATOR})
SUPERVISION_ROLES = frozenset({Role.SUPERVISOR, Role.LEADER})
# The roles that open the cases of their organisations' subtree: all but the agent's, who sees only
# the cases they represent (agency.selectors.represented_cases_condition).
STAFF_ROLES = frozenset(Role) - {Role.AGENT}
INTAKE_STATUSES = (CaseStatus.SUBMITTED, CaseStatus.CORRECTION)
OPEN_TASKS = sorted(OPEN_TASK_STATUSES)  # in the order of the task indexes' condition
CASE_RELATED = ("applicant", "region", "matter_version", "bundle_version")
CASE_LIST_RELATED = ("applicant", "region")  # what a row of the board's case list shows
TASK_RELATED = (
    "case",
    "case__applicant",
    "department",
    "department__parent",
    "case_matter__matter_version",
    "assignee",
)

TIMELINE_ACTION_LABELS = {
    "case_submit": gettext_noop("提交申请"),
    "case_request_correction": gettext_noop("一次性告知补正"),
    "case_resubmit": gettext_noop("补正后重新提交"),
    "case_accept": gettext_noop("受理"),
    "case_accept_deemed": gettext_noop("视为受理"),
    "case_accept_with_deferral": gettext_noop("容缺受理"),
    "case_approve_on_commitment": gettext_noop("告知承诺准予"),
    "case_refuse": gettext_noop("不予受理"),
    "case_send_back": gettext_noop("退回受理环节"),
    "case_finish_review": gettext_noop("部门审查完成"),
    "case_decide": gettext_noop("作出决定"),
    "case_withdraw": gettext_noop("撤回申请"),
    "task_approve": gettext_noop("审查同意"),
    "task_reject": gettext_noop("审查不同意"),
    "task_request_supplement": gettext_noop("要求补充材料"),
    "task_start_special_procedure": gettext_noop("启动特别程序"),
    "task_resume": gettext_noop("恢复计时"),
    "task_send_back": gettext_noop("驳回"),
    "task_cancel": gettext_noop("取消审查任务"),
    "task_open": gettext_noop("推送部门审查"),
    "task_claim": gettext_noop("领办"),
    "task_assign": gettext_noop("分办"),
    "task_transfer": gettext_noop("转办"),
    "task_signoff": gettext_noop("会签意见"),
    "task_extension_request": gettext_noop("申请延期"),
    "task_extension_approve": gettext_noop("批准延期"),
    "case_extension_approve": gettext_noop("办件延期"),
    "case_draft_saved": gettext_noop("保存草稿"),
    "case_green_channel": gettext_noop("纳入绿色通道"),
    "case_deferred_material_received": gettext_noop("补交容缺材料"),
    "case_deferral_overdue": gettext_noop("容缺材料逾期"),
    # 加签 and the checks of a commitment (services/countersign.py, services/commitment.py)
    "task_add_signer": gettext_noop("加签"),
    "task_conform": gettext_noop("核查符合"),
    "task_not_conform": gettext_noop("核查不符合"),
    "task_find_false_commitment": gettext_noop("认定虚假承诺"),
    "task_report_rectification": gettext_noop("报告整改完成"),
    "case_revoke": gettext_noop("撤销许可"),
}


def case_not_found() -> NotFound:
    return NotFound("未找到该办件", code="case_not_found")


def task_not_found() -> NotFound:
    return NotFound("未找到该审查任务", code="task_not_found")


def timeline_action_label(action: str) -> str:
    return gettext(TIMELINE_ACTION_LABELS.get(action, gettext_noop("办理")))


def is_staff(user: User) -> bool:
    """Staff who see the cases of their organisations (an agent only is not: they see as the applicant)."""
    return bool(user.is_authenticated and user.is_active and user_roles(user) & STAFF_ROLES)


# --- one case -------------------------------------------------------------------------------------


def _staff_scope(user: User) -> Q:
    """Cases a staff member may see: region or a task department within their organisations."""
    visible = organisations_visible_to(user, roles=set(STAFF_ROLES)).values("id")
    in_task_department = Exists(Task.objects.filter(case=OuterRef("pk"), department__in=visible))
    drafted_by_someone_else = Q(status=CaseStatus.DRAFT) & ~Q(submitted_by=user)
    return (Q(region__in=visible) | in_task_department) & ~drafted_by_someone_else


def visible_cases(user: User) -> QuerySet[Case]:
    """Every case the user may open (own cases as applicant, scoped cases as staff)."""
    if not (user.is_authenticated and user.is_active):
        return Case.objects.none()
    condition = Q(applicant__user=user)
    if is_staff(user):
        condition |= _staff_scope(user)
    if (represented := represented_cases_condition(user)) is not None:
        condition |= represented
    return Case.objects.filter(condition)


def case_get_for_user(*, user: User, case_id: int) -> Case:
    """The case if the user may see it; otherwise the same NotFound as a missing case."""
    case = visible_cases(user).select_related(*CASE_RELATED).filter(pk=case_id).first()
    if case is None:
        raise case_not_found()
    return case


def case_matters(case: Case) -> list[CaseMatter]:
    """The matters of one case in stage order, with their versions and departments (one query)."""
    related = ("matter_version__matter", "department", "department__parent")
    return list(case.matters.select_related(*related).order_by("stage", "id"))


def case_detail_parts(case: Case) -> tuple[list[CaseMatter], list[Task]]:
    """The matters and tasks of one case, for its page (two queries plus the open stops)."""
    tasks = list(with_open_stops(case.tasks.select_related(*TASK_RELATED)).order_by("stage", "id"))
    return case_matters(case), tasks


@dataclass(frozen=True)
class IntakeNotice:
    """The dated, written intake decision handed to the applicant (Art. 32): the acceptance notice,
    the one-time correction notice while it waits for the applicant, or the refusal."""

    kind: str  # "accepted", "correction" or "refused"
    issued_on: dt.date
    number: str
    correction: CorrectionNotice | None = None


def intake_notice(case: Case) -> IntakeNotice:
    """The case's current intake decision; NotFound while the clerk has not decided."""
    kind = case.intake_notice_kind
    if kind == "refused":
        refused = case.timeline.filter(action=f"case_{CaseAction.REFUSE.value}").order_by("-at").first()
        on = timezone.localtime(refused.at).date() if refused else timezone.localdate()
        return IntakeNotice(kind=kind, issued_on=on, number=case.number)
    if kind == "accepted" and case.accepted_on is not None:
        return IntakeNotice(kind=kind, issued_on=case.accepted_on, number=case.acceptance_notice_number or case.number)
    if kind == "correction":
        correction = case.correction_notices.filter(resolved_at__isnull=True).order_by("-issued_at").first()
        if correction is not None:
            on = timezone.localtime(correction.issued_at).date()
            return IntakeNotice(kind=kind, issued_on=on, number=correction.number, correction=correction)
    raise NotFound("窗口尚未作出受理决定", code="intake_notice_not_found")


def case_timeline(*, user: User, case: Case) -> QuerySet[TimelineEntry]:
    """The case's steps, oldest first: applicants see the public rows only, staff every row."""
    entries = TimelineEntry.objects.filter(case=case).select_related("actor", "task__department__parent")
    if not is_staff(user):
        entries = entries.filter(is_public=True)
    return entries.order_by("at", "id")


@dataclass(frozen=True)
class TimelineRow:
    entry: TimelineEntry
    label: str


def timeline_rows(entries: Iterable[TimelineEntry]) -> list[TimelineRow]:
    return [TimelineRow(entry=entry, label=timeline_action_label(entry.action)) for entry in entries]


def cases_for_applicant_user(user: User) -> QuerySet[Case]:
    """我的办件: the cases of every applicant the user acts for, newest first, drafts included."""
    if not user.is_authenticated:
        return Case.objects.none()
    return (
        Case.objects.filter(applicant__user=user)
        .select_related(*CASE_RELATED)
        .prefetch_related(_open_case_stops())
        .order_by("-created_at", "-id")
    )


def cases_for_staff(user: User, *, status: str | None = None) -> QuerySet[Case]:
    """The cases a staff member may see, open ones first by due date, optionally of one status."""
    cases = visible_cases(user) if is_staff(user) else Case.objects.none()
    if status:
        cases = cases.filter(status=status)
    return (
        cases.select_related(*CASE_RELATED)
        .prefetch_related(_open_case_stops())
        .order_by(F("due_on").asc(nulls_last=True), "-id")
    )


# --- work lists -----------------------------------------------------------------------------------


def intake_queue(*, user: User) -> QuerySet[Case]:
    """Cases waiting for the clerk's intake decision in their region subtree, most urgent first."""
    if not user_has_role(user, Role.CLERK):
        raise PermissionDenied("只有窗口人员可以查看受理队列", code="not_a_clerk")
    regions = organisations_visible_to(user, roles={Role.CLERK}).values("id")
    return (
        Case.objects.filter(status__in=INTAKE_STATUSES, region__in=regions)
        .select_related(*CASE_RELATED)
        .order_by("-is_green_channel", F("intake_due_on").asc(nulls_last=True), "id")
    )


def _require_reviewer(user: User) -> None:
    if not user_has_role(user, *REVIEW_ROLES):
        raise PermissionDenied("只有部门审核人员可以查看审查任务", code="not_a_reviewer")


def _ids(organisations: QuerySet[Organisation]) -> list[int]:
    """The organisations' ids as a list: PostgreSQL plans `IN (ids)` well, a subquery on path LIKE badly."""
    return list(organisations.values_list("id", flat=True))


def tasks_todo(*, user: User) -> QuerySet[Task]:
    """待办: open and suspended tasks of the user's departments, theirs or unassigned; red first."""
    _require_reviewer(user)
    departments = _ids(organisations_visible_to(user, roles=set(REVIEW_ROLES)))
    tasks = Task.objects.filter(status__in=OPEN_TASKS, department__in=departments).filter(
        Q(assignee=user) | Q(assignee__isnull=True)
    )
    return _task_list(tasks).order_by(*TASK_ORDER)


def tasks_done(*, user: User) -> QuerySet[Task]:
    """已办: tasks whose timeline holds an action of this user, most recent action first."""
    _require_reviewer(user)
    own_steps = TimelineEntry.objects.filter(task=OuterRef("pk"), actor=user)
    return _task_list(
        Task.objects.filter(Exists(own_steps)).annotate(
            acted_at=Subquery(own_steps.order_by("-at", "-id").values("at")[:1])
        )
    ).order_by("-acted_at", "-id")


# --- supervision ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardFilters:
    organisation: Organisation | None = None
    department: Organisation | None = None
    matter: Matter | None = None


# The board counts open cases per warning level up to here ("1000+"): an exact count would read every
# case of a district on every page.
CASE_COUNT_CAP = 1000


class CountedTasks(QuerySet[Task]):
    """Tasks whose count() was read already with other counts in one statement (the board's task total
    is its paginator's count). A queryset derived from them (filtered, sliced) counts again."""

    known_count: int | None = None

    def count(self) -> int:
        return super().count() if self.known_count is None else self.known_count


@dataclass(frozen=True)
class SupervisionBoard:
    cases: QuerySet[Case]
    tasks: QuerySet[Task]
    case_counts: dict[str, int]
    task_counts: dict[str, int]
    case_counts_capped: bool = False

    @property
    def case_count_cap(self) -> int:
        return CASE_COUNT_CAP


def supervision_scope(user: User) -> QuerySet[Organisation]:
    if not user_has_role(user, *SUPERVISION_ROLES):
        raise PermissionDenied("只有效能监察人员可以查看监察看板", code="not_a_supervisor")
    return organisations_visible_to(user, roles=set(SUPERVISION_ROLES))


def _within(scope: QuerySet[Organisation], organisation: Organisation | None) -> QuerySet[Organisation]:
    if organisation is None:
        return scope
    if not scope.filter(pk=organisation.pk).exists():
        raise NotFound("该组织不在您的监察范围内", code="organisation_not_in_scope")
    return organisation_subtree(organisation)


def supervision_board(
    *,
    user: User,
    organisation: Organisation | None = None,
    department: Organisation | None = None,
    matter: Matter | None = None,
) -> SupervisionBoard:
    """Open cases and tasks within the supervisor's subtree, filterable, with counts per warning level."""
    subtree = _ids(_within(supervision_scope(user), organisation))
    tasks = CountedTasks(Task).filter(status__in=OPEN_TASKS, department__in=subtree)
    open_cases = Case.objects.filter(status__in=sorted(OPEN_CASE_STATUSES))
    if department is not None:
        tasks = tasks.filter(department=department)
        open_cases = open_cases.filter(Exists(Task.objects.filter(case=OuterRef("pk"), department=department)))
    if matter is not None:
        tasks = tasks.filter(case_matter__matter_version__matter=matter)
        open_cases = open_cases.filter(
            Exists(CaseMatter.objects.filter(case=OuterRef("pk"), matter_version__matter=matter))
        )
    # A case of the subtree's regions, or of another region with a department of the subtree recorded
    # for it (CaseDepartment). The page reads them in the order of case_board_order_idx and stops
    # after its rows.
    recorded = Exists(CaseDepartment.objects.filter(case=OuterRef("pk"), department__in=subtree))
    cases = open_cases.filter(Q(region__in=subtree) | recorded)
    case_counts, task_counts = _board_counts(
        open_cases.filter(region__in=subtree), open_cases.exclude(region__in=subtree).filter(recorded), tasks
    )
    page_tasks = _task_list(tasks).order_by(*TASK_ORDER)
    page_tasks.known_count = task_counts["total"]
    return SupervisionBoard(
        cases=cases.select_related(*CASE_LIST_RELATED)
        .prefetch_related(_open_case_stops())
        .order_by(URGENCY, F("is_green_channel").desc(), F("due_on").asc(nulls_last=True), F("id").asc()),
        tasks=page_tasks,
        case_counts=case_counts,
        task_counts=task_counts,
        case_counts_capped=max(case_counts[level.value] for level in WarningLevel) >= CASE_COUNT_CAP,
    )


URGENCIES = {WarningLevel.RED.value: 0, WarningLevel.YELLOW.value: 1, WarningLevel.NORMAL.value: 2}  # URGENCY's ranks
Counts = dict[str, int]


def _board_counts(
    in_regions: QuerySet[Case], elsewhere: QuerySet[Case], tasks: QuerySet[Task]
) -> tuple[Counts, Counts]:
    """Open cases per warning level, counted up to CASE_COUNT_CAP, and open tasks per level (exact: the
    task pages need their total).

    One statement counts the tasks and the cases of the subtree's regions (from their ranges of
    case_board_region_idx, stopping at the cap). The cases of other regions, found through
    CaseDepartment, are counted by a second one only for the levels still below the cap.
    """
    task_sql, task_params = (
        tasks.order_by().values_list("warning_level").annotate(n=Count("id")).query.sql_with_params()
    )
    case_sql, case_params = _capped_levels(in_regions, dict.fromkeys(URGENCIES, CASE_COUNT_CAP))
    cases: Counts = dict.fromkeys(URGENCIES, 0)
    open_tasks: Counts = dict.fromkeys(URGENCIES, 0)
    with connections[tasks.db].cursor() as cursor:
        cursor.execute(
            f"{case_sql} UNION ALL SELECT 'task', counted.* FROM ({task_sql}) counted",  # noqa: S608 - SQL by the ORM
            [*case_params, *task_params],
        )
        for kind, level, count in cursor.fetchall():
            (cases if kind == "case" else open_tasks)[level] = count
        below_cap = {level: CASE_COUNT_CAP - count for level, count in cases.items() if count < CASE_COUNT_CAP}
        if below_cap:
            cursor.execute(*_capped_levels(elsewhere, below_cap))
            for _kind, level, count in cursor.fetchall():
                cases[level] += count
    return _with_total(cases), _with_total(open_tasks)


def _capped_levels(cases: QuerySet[Case], caps: Counts) -> tuple[str, list[Any]]:
    """A statement counting `cases` per warning level, up to the level's cap: rows ('case', level, count).

    The queryset is compiled once; each level is a range of an index on URGENCY, where PostgreSQL
    stops reading at the cap (the condition on `urgency` is pushed into the subquery).
    """
    sql, params = cases.annotate(urgency=URGENCY).order_by().values("urgency").query.sql_with_params()
    parts: list[str] = []
    all_params: list[Any] = []
    for level, cap in caps.items():
        parts.append(
            f"SELECT 'case', %s, COUNT(*) FROM (SELECT 1 FROM ({sql}) ranked WHERE ranked.urgency = %s LIMIT %s) capped"  # noqa: S608 - SQL by the ORM
        )
        all_params += [level, *params, URGENCIES[level], cap]
    return " UNION ALL ".join(parts), all_params


def _with_total(counts: Counts) -> Counts:
    return {level: counts[level] for level in URGENCIES} | {"total": sum(counts.values())}


@dataclass(frozen=True)
class DepartmentRate:
    department: Organisation
    decided_count: int
    on_time_count: int

    @property
    def rate(self) -> float | None:
        return self.on_time_count / self.decided_count if self.decided_count else None


def department_on_time_rate(*, user: User, since: dt.date | None = None) -> list[DepartmentRate]:
    """Per department in the supervisor's subtree: decided tasks, and those decided by their due day."""
    departments = supervision_scope(user).filter(kind=Organisation.Kind.DEPARTMENT)
    return _rates(departments, since=since)


def _rates(departments: QuerySet[Organisation], *, since: dt.date | None) -> list[DepartmentRate]:
    tasks = Task.objects.filter(
        department__in=departments.values("id"),
        status__in=[TaskStatus.APPROVED, TaskStatus.REJECTED],
        decided_at__isnull=False,
    ).annotate(decided_on=TruncDate("decided_at", tzinfo=SHANGHAI))
    if since is not None:
        tasks = tasks.filter(decided_on__gte=since)
    totals = {
        row["department"]: (row["decided"], row["on_time"])
        for row in tasks.order_by()
        .values("department")
        .annotate(decided=Count("id"), on_time=Count("id", filter=Q(decided_on__lte=F("due_on"))))
    }
    return [
        DepartmentRate(
            department=department, decided_count=totals[department.pk][0], on_time_count=totals[department.pk][1]
        )
        for department in departments.select_related("parent").filter(pk__in=totals.keys()).order_by("path")
    ]


# --- remaining days -------------------------------------------------------------------------------


def _open_case_stops() -> Prefetch[Any, Any, Any]:
    return Prefetch(
        "clock_stops", queryset=ClockStop.objects.filter(last_on__isnull=True, task__isnull=True), to_attr="open_stops"
    )


def _task_list(tasks: TaskRows) -> TaskRows:
    """What a row of a task list shows: its case, matter and department joined; its assignee (a few
    people on a page, most rows none) and open clock stop prefetched. Every joined table costs
    PostgreSQL's planner time on each page (for a district's 21 departments: seven tables about 8 ms,
    six about 4 ms). Prepared statements do not spare it: PostgreSQL keeps planning this statement
    for its parameters each time, its generic plan being far worse (measured on 1M tasks)."""
    return with_open_stops(
        tasks.select_related("case", "department__parent", "case_matter__matter_version")
    ).prefetch_related("assignee")


def with_open_stops(tasks: TaskRows) -> TaskRows:
    """Tasks with their open clock stop prefetched (one query for the page)."""
    return tasks.prefetch_related(
        Prefetch("clock_stops", queryset=ClockStop.objects.filter(last_on__isnull=True), to_attr="open_stops")
    )


@dataclass(frozen=True)
class Progress:
    remaining_days: int | None
    level: WarningLevel
    is_suspended: bool

    @property
    def overdue_days(self) -> int:
        return -self.remaining_days if self.remaining_days is not None and self.remaining_days < 0 else 0


def remaining_days(
    *, today: dt.date, due_on: dt.date, calendar: WorkCalendar, open_since: dt.date | None = None
) -> int:
    """Working days left; while the clock is stopped the count stays where it was when it stopped."""
    if open_since is not None:
        today = min(today, open_since - dt.timedelta(days=1))
    return remaining_working_days(today, due_on, calendar)


def _progress(
    due_on: dt.date | None, limit_days: int, stops: Iterable[ClockStop], today: dt.date, calendar: WorkCalendar
) -> Progress:
    open_since = min((stop.first_on for stop in stops), default=None)
    if due_on is None:
        return Progress(remaining_days=None, level=WarningLevel.NORMAL, is_suspended=open_since is not None)
    left = remaining_days(today=today, due_on=due_on, calendar=calendar, open_since=open_since)
    return Progress(remaining_days=left, level=warning_level(left, limit_days), is_suspended=open_since is not None)


def task_progress(task: Task, *, today: dt.date, calendar: WorkCalendar) -> Progress:
    """A task's remaining working days and warning level (decided tasks show none)."""
    if task.status not in OPEN_TASK_STATUSES:
        return Progress(remaining_days=None, level=WarningLevel.NORMAL, is_suspended=False)
    stops = getattr(task, "open_stops", None)
    if stops is None:
        stops = list(task.clock_stops.filter(last_on__isnull=True))
    return _progress(task.due_on, task.limit_days + task.extension_days, stops, today, calendar)


def case_progress(case: Case, *, today: dt.date, calendar: WorkCalendar) -> Progress:
    """A case's remaining working days against its own (joint) limit, while it is in review."""
    if case.status not in {CaseStatus.IN_REVIEW, CaseStatus.AWAITING_DECISION}:
        return Progress(remaining_days=None, level=WarningLevel.NORMAL, is_suspended=False)
    stops = getattr(case, "open_stops", None)
    if stops is None:
        stops = list(case.clock_stops.filter(last_on__isnull=True, task__isnull=True))
    return _progress(case.due_on, case.limit_days + case.extension_days, stops, today, calendar)


def today() -> dt.date:
    return timezone.localdate()


# --- rows with their progress, for pages and the API ----------------------------------------------


@dataclass(frozen=True)
class TaskRow:
    task: Task
    progress: Progress
    can_handle: bool = False  # the viewer reviews for the task's department: the row links to its task page


@dataclass(frozen=True)
class CaseRow:
    case: Case
    progress: Progress


def task_rows(
    tasks: Iterable[Task], *, calendar: WorkCalendar | None = None, viewer: User | None = None
) -> list[TaskRow]:
    calendar = calendar or work_calendar()
    on = today()
    return [
        TaskRow(
            task=task,
            progress=task_progress(task, today=on, calendar=calendar),
            can_handle=viewer is not None and holds_role_over(viewer, task.department, REVIEW_ROLES),
        )
        for task in tasks
    ]


def case_rows(cases: Iterable[Case], *, calendar: WorkCalendar | None = None) -> list[CaseRow]:
    """The cases as the law stands today (`as_the_law_stands`), each with its progress."""
    calendar = calendar or work_calendar()
    on = today()
    shown = [as_the_law_stands(case, today=on, calendar=calendar) for case in cases]
    return [CaseRow(case=case, progress=case_progress(case, today=on, calendar=calendar)) for case in shown]


def case_deemed_accepted_on(case: Case) -> dt.date | None:
    """The day a submitted case counts as accepted (Art. 32) once its intake limit has passed, else None."""
    return deemed_accepted_on(CaseStatus(case.status), case.received_on, today(), work_calendar())


def as_the_law_stands(case: Case, *, today: dt.date, calendar: WorkCalendar) -> Case:
    """The case as shown: a submitted case past its intake limit is accepted in law from the day its
    materials arrived (Art. 32) even before the hourly job records it. Only this instance changes,
    for display (`is_deemed_pending` says so); nothing is written."""
    on = deemed_accepted_on(CaseStatus(case.status), case.received_on, today, calendar)
    if on is not None:
        case.status, case.accepted_on = CaseStatus.IN_REVIEW, on
        case.is_deemed_accepted = case.is_deemed_pending = True
    return case


# --- filters given by code ------------------------------------------------------------------------


def board_filters(*, organisation: str | None, department: str | None, matter: str | None) -> BoardFilters:
    """Resolve the board's filters given by code; every unknown code is reported at once, per field."""
    errors: dict[str, str] = {}
    found_organisation = Organisation.objects.filter(code=organisation).first() if organisation else None
    if organisation and found_organisation is None:
        errors["organisation"] = f"未找到编码为“{organisation}”的组织"
    found_department = (
        Organisation.objects.filter(code=department, kind=Organisation.Kind.DEPARTMENT).first() if department else None
    )
    if department and found_department is None:
        errors["department"] = f"未找到编码为“{department}”的部门"
    found_matter = Matter.objects.filter(code=matter).first() if matter else None
    if matter and found_matter is None:
        errors["matter"] = f"未找到编码为“{matter}”的事项"
    if errors:
        raise InvalidFields("筛选条件有误，请检查后重试", errors=errors, code="invalid_filters")
    return BoardFilters(organisation=found_organisation, department=found_department, matter=found_matter)


def board_choices(user: User) -> tuple[list[Organisation], list[Organisation], list[tuple[str, str]]]:
    """What the board's filter form offers: the supervisor's regions, departments and their matters."""
    scope = supervision_scope(user)
    organisations = list(scope.filter(kind=Organisation.Kind.REGION).order_by("path"))
    departments = list(scope.filter(kind=Organisation.Kind.DEPARTMENT).select_related("parent").order_by("path"))
    latest_name = MatterVersion.objects.filter(matter=OuterRef("pk")).order_by("-number").values("name")[:1]
    matters = list(
        Matter.objects.filter(department__in=scope.values("id"))
        .annotate(latest_name=Subquery(latest_name))
        .order_by("code")
        .values_list("code", "latest_name")[:500]
    )
    return organisations, departments, matters


# --- the staff console's reads (views_console) ----------------------------------------------------


def task_get_for_reviewer(*, user: User, task_id: int) -> Task:
    """A task of one of the user's review departments; any other task is the same NotFound as a missing one."""
    departments = organisations_visible_to(user, roles=set(REVIEW_ROLES)).values("id")
    task = (
        with_open_stops(Task.objects.select_related(*TASK_RELATED, "case__region"))
        .filter(pk=task_id, department__in=departments)
        .first()
    )
    if task is None:
        raise task_not_found()
    return task


def department_reviewers(task: Task) -> QuerySet[User]:
    """The active reviewers and heads of the task's department (whom a task may be transferred to)."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation=task.department,
            memberships__role__in=[Role.REVIEWER.value, Role.DEPARTMENT_HEAD.value],
        )
        .distinct()
        .order_by("username")
    )


def case_get_for_decision(*, user: User, case_id: int) -> Case:
    """The case for the lead department's joint decision: visible to the user, or of their lead department."""
    from onewindow.cases.services.review import lead_department  # the one definition of "lead"

    case = Case.objects.select_related(*CASE_RELATED).filter(pk=case_id).first()
    if case is None:
        raise case_not_found()
    if visible_cases(user).filter(pk=case_id).exists():
        return case
    lead = lead_department(case)
    if lead is None or not organisations_visible_to(user, roles=set(STAFF_ROLES)).filter(pk=lead.pk).exists():
        raise case_not_found()
    return case


# --- the applicant portal's reads (views_portal) --------------------------------------------------


def applicants_for_user(user: User) -> list[Applicant]:
    """The applicants the user may act for online: those of their account (Applicant.user), themselves
    and e.g. their company, then those an agent may submit for under a valid authorisation."""
    if not (user.is_authenticated and user.is_active):
        return []
    own = list(Applicant.objects.filter(user=user).order_by("kind", "id"))
    return own + [a for a in applicants_agent_files_for(user) if a.pk not in {o.pk for o in own}]


def case_get_for_applicant_user(*, user: User, case_id: int) -> Case:
    """A case of one of the user's applicants, or one they represent as agent; anybody else's is NotFound."""
    condition = Q(applicant__user=user)
    if (represented := represented_cases_condition(user)) is not None:
        condition |= represented
    cases = Case.objects.filter(condition).select_related(*CASE_RELATED).prefetch_related(_open_case_stops())
    case = cases.filter(pk=case_id).first()
    if case is None:
        raise case_not_found()
    return case


def case_open_correction_notice(case: Case) -> CorrectionNotice | None:
    """The one-time correction notice the applicant still has to answer, if any."""
    return case.correction_notices.filter(resolved_at__isnull=True).order_by("-issued_at", "-id").first()


def case_open_supplement_requests(case: Case) -> list[ClockStop]:
    """The departments' open requests for supplementary material on the case, oldest first."""
    return list(
        ClockStop.objects.filter(
            case=case, task__isnull=False, reason=ClockStop.Reason.SUPPLEMENT, last_on__isnull=True
        )
        .select_related("task__department__parent")
        .order_by("first_on", "id")
    )
