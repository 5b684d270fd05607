"""Reads of the monthly leader reports, scoped to the caller."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from onewindow.briefings.models import LeaderReport, ReportDelivery
from onewindow.briefings.selectors.access import is_office
from onewindow.errors import NotFound
from onewindow.orgs.domain import Role
from onewindow.orgs.models import User
from onewindow.orgs.selectors import organisations_visible_to, user_has_role


def reports_visible_to(user: User) -> QuerySet[LeaderReport]:
    if not user.is_authenticated:
        return LeaderReport.objects.none()
    condition = Q(leader=user)
    if is_office(user):
        condition |= Q(region__in=organisations_visible_to(user, roles={Role.PROJECT_OFFICE}))
    return LeaderReport.objects.filter(condition)


def may_open_reports(user: User) -> bool:
    """The reports page is for the key-project office and the leaders."""
    return user_has_role(user, Role.PROJECT_OFFICE, Role.LEADER) or LeaderReport.objects.filter(leader=user).exists()


def report_list(user: User, period: dt.date | None = None) -> QuerySet[LeaderReport]:
    reports = reports_visible_to(user).select_related("leader", "region")
    if period is not None:
        reports = reports.filter(period=period)
    return reports.order_by("-period", "leader__name", "leader_id")


def report_get_for_user(user: User, report_id: int) -> LeaderReport:
    """The report if the user may see it; the same "not found" for missing and forbidden."""
    report = report_list(user).filter(pk=report_id).first()
    if report is None:
        raise NotFound(_("未找到该月报"), code="leader_report_not_found")
    return report


def report_deliveries(report: LeaderReport) -> list[ReportDelivery]:
    return list(report.deliveries.select_related("delivery", "sent_by").order_by("-pk"))


def delivery_states(reports: list[LeaderReport]) -> dict[int, dict[str, str]]:
    """Per report, the latest delivery status of its current version per channel (one query)."""
    rows = (
        ReportDelivery.objects.filter(report__in=[r.pk for r in reports])
        .values_list("report_id", "version", "delivery__channel", "delivery__status")
        .order_by("pk")
    )
    versions = {r.pk: r.version for r in reports}
    states: dict[int, dict[str, str]] = {r.pk: {} for r in reports}
    for report_id, version, channel, status in rows:
        if version == versions[report_id]:
            states[report_id][channel] = status
    return states


def report_periods(user: User) -> list[dt.date]:
    """The months the user has reports for, newest first."""
    dates = reports_visible_to(user).order_by("-period").values_list("period", flat=True).distinct()
    return list(dates[:36])
