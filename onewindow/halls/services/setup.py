"""Writes of a hall's settings: its rules and week hours, closures, windows and the roster.

Each in one transaction with its audit event (stream `hall:<id>`), under the hall's booking lock (the
`HallProfile` row) since each of them changes what a slot holds. The `*_update`, `*_add` and `*_remove`
services check that the actor may change the hall (`selectors.hall_get_for_settings`); `hall_setup` and
`window_setup` are the unchecked steps they share with the demo (actor None).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.audit.services import audit_record
from onewindow.errors import Conflict, InvalidFields, NotFound
from onewindow.halls import selectors
from onewindow.halls.domain import HallRules, WeekHours, rules_errors, week_hours_errors, window_errors
from onewindow.halls.models import Closure, Duty, HallProfile, OpeningHours, ServiceCategory, WindowProfile
from onewindow.orgs.models import Hall, User, Window

RULE_FIELDS = [
    "kind",
    "weekend_service",
    "slot_minutes",
    "daily_limit",
    "cutoff_minutes",
    "arrive_before_minutes",
    "arrive_after_minutes",
    "no_show_limit",
    "no_show_period_days",
    "pause_days",
]


def _stream(hall_id: int) -> str:
    return f"hall:{hall_id}"


def _audit(hall: Hall, action: str, actor: User | None, target: tuple[str, int], changes: Mapping[str, object]) -> None:
    audit_record(
        stream=_stream(hall.pk),
        action=action,
        target_type=target[0],
        target_id=target[1],
        actor=actor,
        organisation=hall.region,
        changes=dict(changes),
    )


def _lock(hall: Hall) -> HallProfile | None:
    """The hall's booking lock: its profile row. A hall without one takes no bookings: nothing to lock."""
    return HallProfile.objects.select_for_update().filter(hall=hall).first()


def hall_setup(
    *,
    actor: User | None,
    hall: Hall,
    kind: str,
    weekend_service: bool,
    hours: dict[int, tuple[dt.time, dt.time]],
    categories: list[str],
) -> HallProfile:
    """Give a hall its kind, weekend service, week hours and service categories (idempotent)."""
    with transaction.atomic():
        profile, _ = HallProfile.objects.update_or_create(
            hall=hall, defaults={"kind": kind, "weekend_service": weekend_service}
        )
        for weekday, (opens, closes) in hours.items():
            OpeningHours.objects.update_or_create(
                hall=hall, weekday=weekday, defaults={"opens": opens, "closes": closes}
            )
        for name in categories:
            ServiceCategory.objects.get_or_create(hall=hall, name=name)
        changes = {
            "kind": kind,
            "weekend_service": weekend_service,
            "hours": {str(day): _hours_text(span) for day, span in sorted(hours.items())},
            "categories": categories,
        }
        _audit(hall, "halls.hall_set_up", actor, ("hall", hall.pk), changes)
    return profile


def _hours_text(span: tuple[dt.time, dt.time] | None) -> str | None:
    return None if span is None else f"{span[0]:%H:%M}-{span[1]:%H:%M}"


def _save_week_hours(hall: Hall, hours: WeekHours) -> dict[str, list[str | None]]:
    """Write the week's hours; the weekdays whose hours changed, as [before, after]."""
    before = {h.weekday: (h.opens, h.closes) for h in OpeningHours.objects.filter(hall=hall)}
    changed: dict[str, list[str | None]] = {}
    for weekday, span in sorted(hours.items()):
        if before.get(weekday) == span:
            continue
        changed[str(weekday)] = [_hours_text(before.get(weekday)), _hours_text(span)]
        if span is None:
            OpeningHours.objects.filter(hall=hall, weekday=weekday).delete()
        else:
            OpeningHours.objects.update_or_create(
                hall=hall, weekday=weekday, defaults={"opens": span[0], "closes": span[1]}
            )
    return changed


def hall_settings_update(*, actor: User, hall_id: int, rules: HallRules, hours: WeekHours) -> HallProfile:
    """Change a hall's kind, weekend service, appointment rules and week hours (all checked at once)."""
    hall = selectors.hall_get_for_settings(actor, hall_id)
    errors = rules_errors(rules) | week_hours_errors(hours, rules.slot_minutes)
    if errors:
        raise InvalidFields("请按提示修改大厅设置。", errors=errors, code="halls_settings_invalid")
    with transaction.atomic():
        HallProfile.objects.get_or_create(hall=hall)  # the first settings open the hall for booking
        profile = HallProfile.objects.select_for_update().get(hall=hall)
        changes: dict[str, object] = {}
        for name in RULE_FIELDS:
            old, new = getattr(profile, name), getattr(rules, name)
            if old != new:
                changes[name] = [old, new]
                setattr(profile, name, new)
        profile.save(update_fields=RULE_FIELDS)
        if hours_changed := _save_week_hours(hall, hours):
            changes["hours"] = hours_changed
        _audit(hall, "halls.settings_changed", actor, ("hall", hall.pk), changes)
    return profile


def closure_add(*, actor: User, hall_id: int, on: dt.date, reason: str) -> Closure:
    """Close the hall on one day (the day's slots go; bookings already made stay for staff to call)."""
    hall = selectors.hall_get_for_settings(actor, hall_id)
    reason = reason.strip()
    errors = {} if reason else {"reason": "请填写闭厅原因。"}
    if len(reason) > 100:
        errors["reason"] = "原因不超过 100 字。"
    if on < timezone.localdate():
        errors["on"] = "不能为已过去的日期设置闭厅。"
    if errors:
        raise InvalidFields("请按提示修改闭厅信息。", errors=errors, code="halls_closure_invalid")
    with transaction.atomic():
        _lock(hall)
        try:
            with transaction.atomic():
                closure = Closure.objects.create(hall=hall, on=on, reason=reason)
        except IntegrityError as exc:  # the constraint halls_closure_unique
            raise InvalidFields(
                "该日已设为闭厅。", errors={"on": "该日已设为闭厅。"}, code="halls_closure_exists"
            ) from exc
        _audit(hall, "halls.closure_added", actor, ("closure", closure.pk), {"on": on.isoformat(), "reason": reason})
    return closure


def closure_remove(*, actor: User, hall_id: int, closure_id: int) -> None:
    hall = selectors.hall_get_for_settings(actor, hall_id)
    with transaction.atomic():
        _lock(hall)
        closure = Closure.objects.filter(hall=hall, pk=closure_id).first()
        if closure is None:
            raise NotFound("未找到该闭厅日。", code="halls_closure_not_found")
        changes = {"on": closure.on.isoformat(), "reason": closure.reason}
        closure.delete()
        _audit(hall, "halls.closure_removed", actor, ("closure", closure_id), changes)


def window_setup(
    *,
    actor: User | None,
    window: Window,
    kind: str,
    categories: Iterable[ServiceCategory],
    matters: str = "",
    weekend_service: bool = False,
) -> WindowProfile:
    """A window's kind, categories, named matters and weekend service (unchecked: the demo's step too)."""
    categories = list(categories)
    chosen = sorted({c.pk for c in categories})
    if any(c.hall_id != window.hall_id for c in categories):
        raise InvalidFields("服务类别不属于本大厅。", errors={"categories": "请选择本大厅的服务类别。"})
    errors = window_errors(kind, matters)
    if errors:
        raise InvalidFields("请按提示修改窗口设置。", errors=errors, code="halls_window_invalid")
    with transaction.atomic():
        _lock(window.hall)
        values = {"kind": kind, "matters": matters.strip(), "weekend_service": weekend_service}
        profile, _ = WindowProfile.objects.update_or_create(window=window, defaults=values)
        profile.categories.set(chosen)
        changes: dict[str, object] = {**values, "categories": chosen}
        _audit(window.hall, "halls.window_changed", actor, ("window", window.pk), changes)
    return profile


def window_settings_update(
    *, actor: User, window_id: int, kind: str, category_ids: list[int], matters: str, weekend_service: bool
) -> WindowProfile:
    window = selectors.window_get_for_settings(actor, window_id)
    categories = list(ServiceCategory.objects.filter(hall_id=window.hall_id, pk__in=category_ids))
    if len(categories) != len(set(category_ids)):
        raise InvalidFields("服务类别不属于本大厅。", errors={"categories": "请选择本大厅的服务类别。"})
    return window_setup(
        actor=actor,
        window=window,
        kind=kind,
        categories=categories,
        matters=matters,
        weekend_service=weekend_service,
    )


def duty_add(*, actor: User, window_id: int, on: dt.date, clerk_id: int) -> Duty:
    """Put a clerk of the hall's organisation (or below) on duty at a window on a day."""
    window = selectors.window_get_for_settings(actor, window_id)
    clerk = selectors.clerks_for_roster(window.hall).filter(pk=clerk_id).first()
    errors = {} if clerk else {"clerk": "请选择本大厅所属单位（含下级）的窗口人员。"}
    if on < timezone.localdate():
        errors["on"] = "不能为已过去的日期排班。"
    if errors or clerk is None:
        raise InvalidFields("请按提示修改排班。", errors=errors, code="halls_duty_invalid")
    with transaction.atomic():
        _lock(window.hall)
        try:
            with transaction.atomic():
                duty = Duty.objects.create(window=window, on=on, clerk=clerk)
        except IntegrityError as exc:  # the constraint halls_duty_unique
            raise Conflict("该窗口人员当日已在此窗口值班。", code="halls_duty_exists") from exc
        changes = {"window": window.pk, "on": on.isoformat(), "clerk": clerk.pk}
        _audit(window.hall, "halls.duty_added", actor, ("duty", duty.pk), changes)
    return duty


def duty_remove(*, actor: User, duty_id: int) -> None:
    duty = Duty.objects.filter(pk=duty_id).select_related("window").first()
    if duty is None:
        raise NotFound("未找到该排班。", code="halls_duty_not_found")
    window = selectors.window_get_for_settings(actor, duty.window_id)
    with transaction.atomic():
        _lock(window.hall)
        changes = {"window": window.pk, "on": duty.on.isoformat(), "clerk": duty.clerk_id}
        deleted, _ = Duty.objects.filter(pk=duty_id).delete()
        if not deleted:
            raise NotFound("未找到该排班。", code="halls_duty_not_found")
        _audit(window.hall, "halls.duty_removed", actor, ("duty", duty_id), changes)
