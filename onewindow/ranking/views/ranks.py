"""Ranking pages: the monthly ranking (项目分类与区县排位), the public progress board (进度牌), the
dashboards, and the rule versions. Warnings and assessment are in views/warnings.py.

Views are thin: parse the period, check the page is open to the user (403 otherwise; anonymous
users go to the login, except on the public board), call selectors, render. A wrong period is
reported beside the picker and the latest ranked month is shown instead.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onewindow.errors import DomainError, InvalidFields, PermissionDenied
from onewindow.jobs.selectors import job_in_query
from onewindow.jobs.services import job_start
from onewindow.orgs.models import User
from onewindow.ranking import selectors
from onewindow.ranking.domain import RANK_CLASS_LABELS, RankClass, parse_period, period_label
from onewindow.ranking.domain.periods import check_not_future, period_of
from onewindow.ranking.services.rules import rule_version_create
from onewindow.ranking.tasks import RECOMPUTE_JOB, ranking_recompute_job
from onewindow.web.http import domain_errors_as_http, field_errors, request_user

PAGE_SIZE = 50


def require_ranking_pages(user: User) -> None:
    if not selectors.can_open_ranking(user):
        raise PermissionDenied(_("您没有查看量化排位的权限"), code="ranking_forbidden")


def chosen_period(request: HttpRequest) -> tuple[dt.date | None, str]:
    """The period asked for (?period=YYYY-MM), else the latest ranked one; and the error, if any."""
    text = request.GET.get("period", "").strip()[:20]
    if text:
        try:
            return parse_period(text), ""
        except DomainError as exc:
            return selectors.latest_ranked_period(), exc.message
    return selectors.latest_ranked_period(), ""


def labels(table: Mapping[Any, str]) -> dict[str, str]:
    """A domain label table for a template, translated."""
    return {str(key): _(label) for key, label in table.items()}


def links(user: User) -> dict[str, bool]:
    return {
        "show_warnings": selectors.can_open_warnings(user),
        "is_city_office": selectors.is_city_office(user),
    }


def _filters(request: HttpRequest) -> tuple[str, int | None]:
    rank_class = request.GET.get("class", "")
    rank_class = rank_class if rank_class in {c.value for c in RankClass} else ""
    district = request.GET.get("district", "")
    return rank_class, int(district) if district.isdigit() and len(district) < 12 else None


@require_GET
@login_required
@domain_errors_as_http
def ranking(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require_ranking_pages(user)
    period, error = chosen_period(request)
    context: dict[str, Any] = {"period": period, "period_error": error, "links": links(user)}
    context["job"] = job_in_query(request)
    context["periods"] = selectors.ranked_periods()
    context["class_labels"] = labels(RANK_CLASS_LABELS)
    if period is not None:
        rank_class, district = _filters(request)
        ranks = selectors.project_ranks_for(user, period)
        context["counts"] = selectors.class_counts(ranks)
        if rank_class:
            ranks = ranks.filter(rank_class=rank_class)
        if district is not None:
            ranks = ranks.filter(district_id=district)
        context["page"] = Paginator(ranks, PAGE_SIZE).get_page(request.GET.get("page"))
        context["district_ranks"] = list(selectors.district_ranks(period))
        context["run"] = selectors.ranking_run_for(period)
        context["chosen"] = {"class": rank_class, "district": district}
        query = {"period": period_label(period), "class": rank_class, "district": district or ""}
        context["query"] = urlencode({k: v for k, v in query.items() if v})
    return render(request, "ranking/ranking.html", context)


@require_POST
@login_required
@domain_errors_as_http
def run(request: HttpRequest) -> HttpResponse:
    """Recompute one month (city key-project office): classes, standings, warnings, assessment; and
    the later months already ranked, which build on it. A job: the page shows its progress."""
    user = request_user(request)
    require_ranking_pages(user)
    if not selectors.is_city_office(user):
        raise PermissionDenied(_("只有市重点项目办可以重新计算排位"), code="ranking_run_forbidden")
    try:
        period = parse_period(request.POST.get("period", "")[:20])
        check_not_future(period, today=timezone.localdate())
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("ranking:ranking")
    job = job_start(kind=RECOMPUTE_JOB, actor=user, task=ranking_recompute_job, period=period_label(period))
    return redirect(f"{reverse('ranking:ranking')}?{urlencode({'period': period_label(period), 'job': job.pk})}")


@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """The public progress board (进度牌): anonymous visitors welcome, names and classes only."""
    period, error = chosen_period(request)
    context: dict[str, Any] = {"period": period, "period_error": error, "class_labels": labels(RANK_CLASS_LABELS)}
    context["periods"] = selectors.ranked_periods()[:36]
    if period is not None:
        _, district = _filters(request)
        context["districts"] = selectors.board_districts(period)
        context["chosen_district"] = district
        rows = selectors.board_rows(period, district)
        context["page"] = Paginator(rows, 100).get_page(request.GET.get("page"))
        query = {"period": period_label(period), "district": district or ""}
        context["query"] = urlencode({k: v for k, v in query.items() if v})
    return render(request, "ranking/board.html", context)


@require_GET
@login_required
@domain_errors_as_http
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require_ranking_pages(user)
    period, error = chosen_period(request)
    year = (period or period_of(timezone.localdate())).year
    data = selectors.dashboard_data(user, year, period, today=timezone.localdate())
    context: dict[str, Any] = {"period": period, "period_error": error, "data": data, "links": links(user)}
    context["periods"] = selectors.ranked_periods()
    context["problem_labels"] = {"open": _("办理中"), "overdue": _("已逾期"), "closed": _("已办结")}
    return render(request, "ranking/dashboard.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def rules(request: HttpRequest) -> HttpResponse:
    """The rule versions; the city's office adds a version (its numbers as JSON)."""
    user = request_user(request)
    require_ranking_pages(user)
    context: dict[str, Any] = {"links": links(user), "errors": {}, "values": {}}
    status = 200
    if request.method == "POST":
        status = _add_version(request, user, context)
        if status == 302:
            return redirect("ranking:rules")
    latest = selectors.rule_versions().first()
    context["versions"] = [
        (version, json.dumps(version.rules, ensure_ascii=False, indent=2)) for version in selectors.rule_versions()
    ]
    context.setdefault("example", json.dumps(latest.rules if latest else {}, ensure_ascii=False, indent=2))
    return render(request, "ranking/rules.html", context, status=status)


def _add_version(request: HttpRequest, user: User, context: dict[str, Any]) -> int:
    if not selectors.is_city_office(user):
        raise PermissionDenied(_("只有市重点项目办可以修改排位规则"), code="rule_version_forbidden")
    values = {key: request.POST.get(key, "")[:20000] for key in ("effective_from", "rules", "note")}
    context["values"] = values
    try:
        try:
            document = json.loads(values["rules"] or "{}")
        except ValueError:
            raise InvalidFields(_("规则不是有效的 JSON"), errors={"rules": _("规则不是有效的 JSON")}) from None
        period = parse_period(values["effective_from"], field="effective_from")
        version = rule_version_create(actor=user, effective_from=period, rules=document, note=values["note"])
    except DomainError as exc:
        context["error"] = exc.message
        context["errors"] = field_errors(exc)
        context["example"] = values["rules"]
        return 422
    messages.success(request, _("已新增规则版本 v%(number)s") % {"number": version.number})
    return 302
