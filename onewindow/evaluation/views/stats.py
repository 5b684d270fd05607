"""Statistics: the staff page (scoped to one's organisations, per department, matter, window, clerk,
region and month, with the follow-ups' rates), its Excel export, and the PUBLIC page (no login): the
monthly figures by department, names and numbers only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from onewindow import xlsx
from onewindow.evaluation import selectors
from onewindow.evaluation.domain import rate_percent
from onewindow.evaluation.views.common import render
from onewindow.evaluation.views.staff import _require_staff
from onewindow.web.http import domain_errors_as_http, request_user

DIMENSION_LABELS = {
    "department": "按部门",
    "matter": "按事项",
    "window": "按窗口",
    "clerk": "按窗口人员",
    "region": "按区划",
    "month": "按月份",
}


def _months(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    try:
        last = dt.date.fromisoformat(request.GET.get("to", "") + "-01")
    except ValueError:
        last = today.replace(day=1)
    try:
        first = dt.date.fromisoformat(request.GET.get("from", "") + "-01")
    except ValueError:
        first = last.replace(month=1)
    return min(first, last), last


def _tables(request: HttpRequest) -> dict[str, Any]:
    user = request_user(request)
    first, last = _months(request)
    ratings = selectors.ratings_visible_to_staff(user).filter(month__gte=first, month__lte=last)
    follow_ups = selectors.follow_ups_visible_to(user).filter(opened_on__gte=first)
    return {
        "first": first,
        "last": last,
        "tally": selectors.tally_of(ratings),
        "rates": selectors.follow_up_rates(follow_ups.only("answered_on", "answer_due_on")),
        "tables": [(key, _(label), selectors.tally_by(ratings, key)) for key, label in DIMENSION_LABELS.items()],
    }


@require_GET
@login_required
@domain_errors_as_http
def statistics(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    return render(request, "evaluation/statistics.html", _tables(request))


@require_GET
@login_required
@domain_errors_as_http
def statistics_export(request: HttpRequest) -> FileResponse:
    _require_staff(request)
    data = _tables(request)
    workbook = xlsx.Workbook()
    workbook.remove(workbook.active)
    header = ["名称", "评价总数", "非常满意", "满意", "基本满意", "不满意", "非常不满意", "满意率"]
    for key, label, rows in data["tables"]:
        sheet = workbook.create_sheet(label)
        xlsx.append_row(sheet, [f"好差评统计 {label}（{data['first']:%Y-%m} 至 {data['last']:%Y-%m}）"], bold=True)
        xlsx.append_row(sheet, header, bold=True)
        for row in rows:
            t = row.tally
            name = row.key.strftime("%Y-%m") if key == "month" else row.name
            counts = [
                t.total,
                t.very_satisfied,
                t.satisfied,
                t.basically_satisfied,
                t.dissatisfied,
                t.very_dissatisfied,
            ]
            xlsx.append_row(sheet, [name, *counts, rate_percent(t.satisfaction_rate)])
    name = f"evaluation-{data['first']:%Y%m}-{data['last']:%Y%m}.xlsx"
    return FileResponse(xlsx.to_file(workbook), as_attachment=True, filename=name)


@require_GET
def public(request: HttpRequest) -> HttpResponse:
    """政务服务好差评结果公开: the last twelve months by department. No login, no person."""
    months = selectors.public_monthly(last_month=timezone.localdate().replace(day=1), months=12)
    return render(request, "evaluation/public.html", {"months": months})
