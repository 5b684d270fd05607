"""Scoped reads of progress reports, site reports and photos, and the office's two chase lists:
late reporters per cut-off, and projects with no site report today.

A report or photo is visible to whoever sees its project; the same "not found" otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from onewindow.dispatch.domain import (
    REPORTING_PHASES,
    Cycle,
    Period,
    is_cutoff,
    latest_passed_cutoff,
    missing_reports,
    period_ending,
    period_of,
    previous_cutoff,
)
from onewindow.dispatch.models import Photo, ProgressReport, SiteReport
from onewindow.dispatch.selectors.cycles import cycle_for_path, cycle_table
from onewindow.errors import NotFound
from onewindow.orgs.models import User
from onewindow.projects.domain import TeamRole
from onewindow.projects.models import Project, TeamMember
from onewindow.projects.selectors import projects_visible_to

PERIOD_CHOICES = 6  # the current period and the five before it


def progress_reports_of(project: Project) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(project=project).select_related("submitted_by").order_by("-period_end")


def progress_report_get_for_user(user: User, report_id: int) -> ProgressReport:
    report = (
        ProgressReport.objects.filter(pk=report_id, project__in=projects_visible_to(user).values("pk"))
        .select_related("project", "project__district", "submitted_by")
        .first()
    )
    if report is None:
        raise NotFound("未找到该进度填报", code="progress_report_not_found")
    return report


def site_reports_of(project: Project) -> QuerySet[SiteReport]:
    return SiteReport.objects.filter(project=project).select_related("reported_by").order_by("-reported_on")


def site_report_get_for_user(user: User, report_id: int) -> SiteReport:
    report = (
        SiteReport.objects.filter(pk=report_id, project__in=projects_visible_to(user).values("pk"))
        .select_related("project", "project__district", "reported_by")
        .first()
    )
    if report is None:
        raise NotFound("未找到该现场日报", code="site_report_not_found")
    return report


def photo_get_for_user(user: User, photo_id: int) -> Photo:
    visible = projects_visible_to(user).values("pk")
    photo = (
        Photo.objects.filter(pk=photo_id)
        .filter(Q(progress_report__project__in=visible) | Q(site_report__project__in=visible))
        .select_related("progress_report__project", "site_report__project")
        .first()
    )
    if photo is None:
        raise NotFound("未找到该照片", code="photo_not_found")
    return photo


def period_choices(cycle: Cycle, today: dt.date) -> list[Period]:
    """The periods a report may be entered for: the current one and the few before it."""
    periods = [period_of(cycle, today)]
    while len(periods) < PERIOD_CHOICES:
        periods.append(period_ending(cycle, previous_cutoff(cycle, periods[-1].end)))
    return periods


def _secretary_name() -> Subquery:
    members = TeamMember.objects.filter(project=OuterRef("pk"), role=TeamRole.SECRETARY)
    return Subquery(members.values("user__name")[:1])


def _secretary_username() -> Subquery:
    members = TeamMember.objects.filter(project=OuterRef("pk"), role=TeamRole.SECRETARY)
    return Subquery(members.values("user__username")[:1])


@dataclass(frozen=True)
class ChaseRow:
    """A project the office chases: who its secretary is, and the cut-off (or day) it missed."""

    project_id: int
    code: str
    name: str
    district: str
    secretary: str
    missed_on: dt.date


ProjectRow = tuple[int, str, str, str, str, str | None, str | None]


def _reporting_projects(user: User, *, no_site_report_on: dt.date | None = None) -> list[ProjectRow]:
    """Visible projects under construction, by district and code, with their secretary."""
    rows = projects_visible_to(user).filter(phase__in=list(REPORTING_PHASES))
    if no_site_report_on is not None:
        rows = rows.filter(~Exists(SiteReport.objects.filter(project=OuterRef("pk"), reported_on=no_site_report_on)))
    annotated = rows.annotate(secretary_name=_secretary_name(), secretary_username=_secretary_username())
    fields = ("pk", "code", "name", "district__name", "district__path", "secretary_name", "secretary_username")
    return list(annotated.order_by("district__path", "code").values_list(*fields))


def late_reporters(user: User, *, today: dt.date, cutoff_on: dt.date | None = None) -> list[ChaseRow]:
    """Projects under construction with no report for a cut-off that has passed: for `cutoff_on`
    (projects whose cycle has that cut-off), or else each project's latest passed cut-off."""
    table = cycle_table()
    rows = _reporting_projects(user)
    due: list[tuple[int, dt.date]] = []
    for pk, _code, _name, _district, path, _sec, _user in rows:
        cycle = cycle_for_path(path, table)
        if cutoff_on is None:
            due.append((pk, latest_passed_cutoff(cycle, today)))
        elif cutoff_on < today and is_cutoff(cycle, cutoff_on):
            due.append((pk, cutoff_on))
    by_project = {row[0]: row for row in rows}
    cutoffs = {cutoff for _pk, cutoff in due}
    reported = set(
        ProgressReport.objects.filter(project__in=[pk for pk, _ in due], period_end__in=cutoffs).values_list(
            "project_id", "period_end"
        )
    )
    late = sorted(missing_reports(due, reported), key=lambda pair: (pair[1], by_project[pair[0]][4]))
    return [_chase_row(by_project[pk], cutoff) for pk, cutoff in late]


def _chase_row(row: ProjectRow, missed_on: dt.date) -> ChaseRow:
    pk, code, name, district, _path, secretary, username = row
    return ChaseRow(pk, code, name, district, secretary or username or "", missed_on)


def late_reporters_by_cutoff(rows: list[ChaseRow]) -> dict[dt.date, list[ChaseRow]]:
    grouped: dict[dt.date, list[ChaseRow]] = defaultdict(list)
    for row in rows:
        grouped[row.missed_on].append(row)
    return dict(grouped)


def site_reports_missing(user: User, *, today: dt.date) -> list[ChaseRow]:
    """Projects under construction with no site report today, with their secretary's name."""
    return [_chase_row(row, today) for row in _reporting_projects(user, no_site_report_on=today)]
