"""Progress reports (one per project and period) and site reports (one per project and day).

A second submission for the same period (or day) edits the first, with its audit event. The year
to date is never typed: after every write the project's reports of that year are summed again in
period order, in the same transaction, so a correction or a late report for an earlier period
moves every later year to date with it. The project row is locked first, so two reporters of one
project queue instead of summing over each other's half-written rows.

Editing stays open until the period is locked (`progress_reports_lock`, for the ranking to call
when it closes a month); a locked report refuses edits and new photos.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from onewindow.audit.services import audit_record
from onewindow.dispatch.domain import (
    MAX_TEXT,
    InvalidValue,
    NotACutoff,
    Period,
    is_late,
    parse_amount,
    parse_count,
    period_ending,
    period_of,
    year_to_date,
)
from onewindow.dispatch.models import ProgressReport, SiteReport
from onewindow.dispatch.selectors.access import is_reporter_for
from onewindow.dispatch.selectors.cycles import cycle_for_project
from onewindow.errors import Conflict, InvalidFields, PermissionDenied
from onewindow.orgs.models import User
from onewindow.projects.models import Project
from onewindow.projects.services.common import project_lock, project_stream

REPORT_FIELDS = ("invested_in_period", "progress_note", "workers", "difficulties")
SITE_FIELDS = ("workers", "machines", "note")


def require_reporter(actor: User, project: Project) -> None:
    if not is_reporter_for(actor, project):
        raise PermissionDenied("只有项目秘书、首席服务人或重点项目办可以填报", code="dispatch_not_reporter")


def _parse(errors: dict[str, str], name: str, parse: Callable[[Any], Any], value: object) -> Any:
    try:
        return parse(value)
    except InvalidValue as exc:
        errors[name] = str(exc)
        return None


def _text(errors: dict[str, str], name: str, value: str, *, required: bool, label: str) -> str:
    text = (value or "").strip()
    if required and not text:
        errors[name] = f"请填写{label}"
    elif len(text) > MAX_TEXT:
        errors[name] = f"{label}不能超过 {MAX_TEXT} 字"
    return text


def _period(project: Project, period_end: dt.date | None, today: dt.date, errors: dict[str, str]) -> Period | None:
    cycle = cycle_for_project(project)
    if period_end is None:
        return period_of(cycle, today)
    try:
        period = period_ending(cycle, period_end)
    except NotACutoff as exc:
        errors["period_end"] = exc.message
        return None
    if period.start > today:
        errors["period_end"] = "该期尚未开始，不能填报"
        return None
    return period


def _check_overlap(project: Project, period: Period) -> None:
    """After a change of cycle, a new period may straddle an old report's: refuse rather than count twice."""
    clash = (
        ProgressReport.objects.filter(project=project, period_start__lte=period.end, period_end__gte=period.start)
        .exclude(period_end=period.end)
        .first()
    )
    if clash is not None:
        raise Conflict(
            f"该期（{period.start}至{period.end}）与已填报的 {clash.period_start}至{clash.period_end} 重叠",
            code="report_period_overlap",
        )


def recompute_year_to_date(project_id: int, year: int) -> None:
    """The year to date of every report of the project in `year`, summed again in period order."""
    reports = list(ProgressReport.objects.filter(project_id=project_id, period_end__year=year).order_by("period_end"))
    totals = year_to_date([report.invested_in_period for report in reports])
    changed = []
    for report, total in zip(reports, totals, strict=True):
        if report.invested_year_to_date != total:
            report.invested_year_to_date = total
            changed.append(report)
    ProgressReport.objects.bulk_update(changed, ["invested_year_to_date"])


@transaction.atomic
def progress_report_submit(
    *,
    actor: User,
    project: Project,
    invested_in_period: str | Decimal,
    progress_note: str,
    workers: str | int,
    difficulties: str = "",
    period_end: dt.date | None = None,
    today: dt.date | None = None,
) -> ProgressReport:
    """Enter the report for the period ending `period_end` (default: the current period), or edit it."""
    today = today or timezone.localdate()
    require_reporter(actor, project)
    project_lock(project.pk)
    errors: dict[str, str] = {}
    values = {
        "invested_in_period": _parse(errors, "invested_in_period", parse_amount, invested_in_period),
        "progress_note": _text(errors, "progress_note", progress_note, required=True, label="形象进度"),
        "workers": _parse(errors, "workers", parse_count, workers),
        "difficulties": _text(errors, "difficulties", difficulties, required=False, label="存在问题"),
    }
    period = _period(project, period_end, today, errors)
    if errors or period is None:
        raise InvalidFields("填报内容有误，请检查", errors=errors, code="progress_report_invalid")
    _check_overlap(project, period)
    report = ProgressReport.objects.filter(project=project, period_end=period.end).first()
    if report is None:
        report = _report_create(actor, project, period, values, today)
    else:
        _report_edit(actor, report, values)
    recompute_year_to_date(project.pk, period.end.year)
    report.refresh_from_db()
    return report


def _report_create(
    actor: User, project: Project, period: Period, values: dict[str, Any], today: dt.date
) -> ProgressReport:
    report = ProgressReport.objects.create(
        project=project,
        period_start=period.start,
        period_end=period.end,
        invested_year_to_date=values["invested_in_period"],
        submitted_by=actor,
        is_late=is_late(period.end, today),
        **values,
    )
    audit_record(
        stream=project_stream(project.pk),
        action="dispatch.progress_report_submit",
        target_type="dispatch.ProgressReport",
        target_id=report.pk,
        actor=actor,
        organisation=project.district,
        changes={"period_end": period.end, "is_late": report.is_late, **values},
    )
    return report


def _report_edit(actor: User, report: ProgressReport, values: dict[str, Any]) -> None:
    if report.is_locked:
        raise Conflict("该期已排位锁定，不能再修改", code="progress_report_locked")
    changes = {
        name: {"from": getattr(report, name), "to": value}
        for name, value in values.items()
        if getattr(report, name) != value
    }
    # The earlier periods are unchanged: the new year to date differs by the change of amount.
    report.invested_year_to_date += values["invested_in_period"] - report.invested_in_period
    for name, value in values.items():
        setattr(report, name, value)
    report.save(update_fields=[*values, "invested_year_to_date"])
    audit_record(
        stream=project_stream(report.project_id),
        action="dispatch.progress_report_edit",
        target_type="dispatch.ProgressReport",
        target_id=report.pk,
        actor=actor,
        organisation=report.project.district,
        changes={"period_end": report.period_end, **changes},
    )


@transaction.atomic
def progress_reports_lock(*, through: dt.date, actor: User | None = None) -> int:
    """Lock every report with a cut-off on or before `through` (the ranking closed those periods)."""
    count = ProgressReport.objects.filter(period_end__lte=through, is_locked=False).update(is_locked=True)
    audit_record(
        stream="dispatch:locks",
        action="dispatch.progress_reports_lock",
        target_type="dispatch.ProgressReport",
        target_id=through.isoformat(),
        actor=actor,
        changes={"through": through, "count": count},
    )
    return count


@transaction.atomic
def site_report_submit(
    *,
    actor: User,
    project: Project,
    workers: str | int,
    machines: str | int,
    note: str = "",
    today: dt.date | None = None,
) -> SiteReport:
    """Today's site report (日报), or an edit of it: one per project and day."""
    today = today or timezone.localdate()
    require_reporter(actor, project)
    project_lock(project.pk)
    errors: dict[str, str] = {}
    values = {
        "workers": _parse(errors, "workers", parse_count, workers),
        "machines": _parse(errors, "machines", parse_count, machines),
        "note": _text(errors, "note", note, required=False, label="现场情况"),
    }
    if errors:
        raise InvalidFields("填报内容有误，请检查", errors=errors, code="site_report_invalid")
    report = SiteReport.objects.filter(project=project, reported_on=today).first()
    action = "dispatch.site_report_edit" if report else "dispatch.site_report_submit"
    if report is None:
        report = SiteReport.objects.create(project=project, reported_on=today, reported_by=actor, **values)
    else:
        for name, value in values.items():
            setattr(report, name, value)
        report.save(update_fields=list(values))
    audit_record(
        stream=project_stream(project.pk),
        action=action,
        target_type="dispatch.SiteReport",
        target_id=report.pk,
        actor=actor,
        organisation=project.district,
        changes={"reported_on": today, **values},
    )
    return report
