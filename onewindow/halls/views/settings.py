"""大厅设置 for the system admin and the hall organisation's department head: the hall's kind, weekend
service, appointment rules and week hours; one-off closures; each window's kind, categories, named
matters and weekend service. Staff of the hall's scope without the role get 403, anyone else 404."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from onewindow.errors import DomainError, InvalidFields
from onewindow.halls import selectors, services
from onewindow.halls.domain import RULE_BOUNDS, HallRules, WeekHours
from onewindow.halls.models import HALL_KIND_CHOICES, WINDOW_KIND_CHOICES, HallProfile
from onewindow.halls.views.common import day_or_none, time_or_none
from onewindow.orgs.models import Hall
from onewindow.web.http import (
    Page,
    act,
    domain_errors_as_http,
    done_with,
    field_errors,
    int_or_none,
    refusal_status,
    render_page,
    request_user,
)

WEEKDAYS = [
    gettext_lazy("星期一"),
    gettext_lazy("星期二"),
    gettext_lazy("星期三"),
    gettext_lazy("星期四"),
    gettext_lazy("星期五"),
    gettext_lazy("星期六"),
    gettext_lazy("星期日"),
]
RULE_LABELS = {name: getattr(HallProfile._meta.get_field(name), "verbose_name", name) for name in RULE_BOUNDS}


def _rules(post: QueryDict) -> tuple[HallRules, WeekHours]:
    """The posted rules and week hours; what cannot be read raises, every field at once."""
    errors: dict[str, str] = {}
    numbers: dict[str, int] = {}
    for name in RULE_BOUNDS:
        value = int_or_none(post.get(name, "").strip())
        if value is None:
            errors[name] = _("请填写整数。")
        numbers[name] = value or 0
    hours: WeekHours = {}
    for weekday in range(7):
        opens, closes = time_or_none(post.get(f"opens_{weekday}")), time_or_none(post.get(f"closes_{weekday}"))
        if post.get(f"open_{weekday}") != "on":
            hours[weekday] = None
        elif opens is None or closes is None:
            errors[f"hours_{weekday}"] = _("请填写开门和关门时间。")
        else:
            hours[weekday] = (opens, closes)
    if errors:
        raise InvalidFields(_("请按提示修改大厅设置。"), errors=errors, code="halls_settings_invalid")
    rules = HallRules(kind=post.get("kind", ""), weekend_service=post.get("weekend_service") == "on", **numbers)
    return rules, hours


def _week_rows(hall: Hall, posted: QueryDict | None, errors: dict[str, str]) -> list[dict[str, Any]]:
    """Each weekday's row of the form: what was posted after a refusal, else what is stored."""
    stored = {h.weekday: h for h in hall.week_hours.all()}
    rows = []
    for day in range(7):
        row: dict[str, Any] = {"day": day, "label": WEEKDAYS[day], "error": errors.get(f"hours_{day}", "")}
        if posted is not None:
            row |= {
                "open": posted.get(f"open_{day}") == "on",
                "opens": posted.get(f"opens_{day}", ""),
                "closes": posted.get(f"closes_{day}", ""),
            }
        elif (hours := stored.get(day)) is not None:
            row |= {"open": True, "opens": f"{hours.opens:%H:%M}", "closes": f"{hours.closes:%H:%M}"}
        rows.append(row)
    return rows


def _settings_page(hall_id: int) -> Page:
    def page(request: HttpRequest, extra: dict[str, Any], status: int = 200) -> HttpResponse:
        hall = selectors.hall_get_for_settings(request_user(request), hall_id)
        profile = HallProfile.objects.filter(hall=hall).first() or HallProfile(hall=hall)  # defaults until saved
        errors, posted = extra.get("errors", {}), extra.get("values")
        context = {
            "hall": hall,
            "profile": profile,
            "kinds": HALL_KIND_CHOICES,
            "rules": [
                (
                    name,
                    RULE_LABELS[name],
                    posted.get(name, "") if posted else getattr(profile, name),
                    errors.get(name, ""),
                )
                for name in RULE_BOUNDS
            ],
            "week": _week_rows(hall, posted, errors),
            "closures": selectors.closures_of(hall, timezone.localdate()),
            "categories": selectors.categories_of(hall),
            **extra,
        }
        return render_page(request, "halls/settings.html", context, status)

    return page


def _to_settings(hall_id: int) -> str:
    return reverse("halls:settings", args=[hall_id])


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def hall_settings(request: HttpRequest, hall_id: int) -> HttpResponse:
    user = request_user(request)
    page = _settings_page(hall_id)
    if request.method != "POST":
        return page(request, {}, 200)

    def save() -> HallProfile:
        rules, hours = _rules(request.POST)
        return services.hall_settings_update(actor=user, hall_id=hall_id, rules=rules, hours=hours)

    selectors.hall_get_for_settings(user, hall_id)
    return act(request, save, done_with(_("大厅设置已保存。"), _to_settings(hall_id)), page)


@login_required
@domain_errors_as_http
@require_POST
def closure_add(request: HttpRequest, hall_id: int) -> HttpResponse:
    user = request_user(request)
    selectors.hall_get_for_settings(user, hall_id)

    def add() -> Any:
        on = day_or_none(request.POST.get("closure_on"))
        if on is None:
            raise InvalidFields(_("请选择日期。"), errors={"on": _("请选择日期。")}, code="halls_closure_invalid")
        return services.closure_add(actor=user, hall_id=hall_id, on=on, reason=request.POST.get("reason", ""))

    def failure(req: HttpRequest, exc: DomainError) -> tuple[dict[str, Any], int]:
        closure = {"error": exc.message, "errors": field_errors(exc), "values": req.POST}
        return {"closure_form": closure}, refusal_status(exc)

    return act(
        request, add, done_with(_("已设置闭厅日。"), _to_settings(hall_id)), _settings_page(hall_id), failure=failure
    )


@login_required
@domain_errors_as_http
@require_POST
def closure_remove(request: HttpRequest, hall_id: int, closure_id: int) -> HttpResponse:
    user = request_user(request)
    selectors.hall_get_for_settings(user, hall_id)
    return act(
        request,
        lambda: services.closure_remove(actor=user, hall_id=hall_id, closure_id=closure_id),
        done_with(_("已取消闭厅日。"), _to_settings(hall_id)),
        _settings_page(hall_id),
    )


def _windows_page(hall_id: int, failed_window: int | None = None) -> Page:
    def page(request: HttpRequest, extra: dict[str, Any], status: int = 200) -> HttpResponse:
        hall = selectors.hall_get_for_settings(request_user(request), hall_id)
        rows, posted = [], extra.get("values")
        for window in selectors.windows_of(hall):
            profile = getattr(window, "profile", None)
            chosen = set(profile.categories.values_list("pk", flat=True)) if profile else set()
            failed = window.pk == failed_window
            if failed and posted is not None:
                chosen = {int(v) for v in posted.getlist("categories") if v.isdigit()}
            rows.append({"window": window, "profile": profile, "chosen": chosen, "failed": failed})
        context = {
            "hall": hall,
            "rows": rows,
            "kinds": WINDOW_KIND_CHOICES,
            "categories": selectors.categories_of(hall),
        }
        return render_page(request, "halls/windows.html", context | extra, status)

    return page


@login_required
@domain_errors_as_http
def windows(request: HttpRequest, hall_id: int) -> HttpResponse:
    return _windows_page(hall_id)(request, {}, 200)


@login_required
@domain_errors_as_http
@require_POST
def window_update(request: HttpRequest, window_id: int) -> HttpResponse:
    user = request_user(request)
    window = selectors.window_get_for_settings(user, window_id)
    post = request.POST
    ids = [int(v) for v in post.getlist("categories") if v.isdigit()]
    return act(
        request,
        lambda: services.window_settings_update(
            actor=user,
            window_id=window.pk,
            kind=post.get("kind", ""),
            category_ids=ids,
            matters=post.get("matters", ""),
            weekend_service=post.get("weekend_service") == "on",
        ),
        done_with(_("窗口设置已保存。"), reverse("halls:windows", args=[window.hall_id])),
        _windows_page(window.hall_id, failed_window=window.pk),
    )
