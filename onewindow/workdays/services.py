"""Every change to the calendar: one transaction each, one audit event each, revision raised.

All events go to the stream "workdays:calendar", so the history of the calendar reads in order.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.errors import Conflict, DomainError
from onewindow.workdays import seeding
from onewindow.workdays.domain import DayKind, check_date
from onewindow.workdays.models import CalendarRevision, CalendarYear, SpecialDay

if TYPE_CHECKING:
    from onewindow.orgs.models import User

STREAM = "workdays:calendar"
MAX_RANGE_DAYS = 31


class InvalidDayRange(DomainError):
    code = "workdays_invalid_range"
    status = 422


def _bump_revision() -> None:
    if not CalendarRevision.objects.filter(pk=1).update(number=F("number") + 1):
        CalendarRevision.objects.create(pk=1, number=1)


def _audit(*, actor: User | None, action: str, target_type: str, target_id: object, changes: dict[str, Any]) -> None:
    audit_record(
        stream=STREAM, action=action, target_type=target_type, target_id=target_id, actor=actor, changes=changes
    )


def _day_id(day: SpecialDay) -> str:
    return day.on.isoformat()


def _year_row(*, actor: User | None, year: int) -> CalendarYear:
    row = CalendarYear.objects.filter(year=year).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            row = CalendarYear.objects.create(year=year)
    except IntegrityError:  # created by a concurrent entry a moment ago
        return CalendarYear.objects.get(year=year)
    _audit(actor=actor, action="workdays.year_added", target_type="workdays.calendaryear", target_id=year, changes={})
    return row


@transaction.atomic
def calendar_year_save(
    *, actor: User | None, year: int, is_published: bool, published_by: str = "", note: str = ""
) -> CalendarYear:
    """Create or change a year; publishing it makes its deadlines final (not provisional)."""
    check_date(dt.date(year, 1, 1), field="year")
    row = CalendarYear.objects.select_for_update().filter(year=year).first()
    created = row is None
    if row is None:
        row = CalendarYear(year=year)
    before = {"is_published": row.is_published, "published_by": row.published_by, "note": row.note}
    row.is_published, row.published_by, row.note = is_published, published_by, note
    after = {"is_published": is_published, "published_by": published_by, "note": note}
    changes = {k: [before[k], v] for k, v in after.items() if created or before[k] != v}
    if not changes:
        return row
    try:
        with transaction.atomic():
            row.save(force_insert=created)
    except IntegrityError:
        raise Conflict(
            _("%(year)s 年已由他人同时录入，请刷新后再改") % {"year": year}, code="workdays_year_exists"
        ) from None
    action = "workdays.year_added" if created else "workdays.year_changed"
    _audit(actor=actor, action=action, target_type="workdays.calendaryear", target_id=year, changes=changes)
    _bump_revision()
    return row


@transaction.atomic
def special_days_add(
    *, actor: User | None, first_on: dt.date, last_on: dt.date | None = None, kind: DayKind, name: str
) -> list[SpecialDay]:
    """Enter one day, or each day of a holiday period (first and last day included)."""
    last_on = last_on or first_on
    _check_range(first_on, last_on)
    days = [first_on + dt.timedelta(days=i) for i in range((last_on - first_on).days + 1)]
    taken = sorted(SpecialDay.objects.filter(on__in=days).values_list("on", flat=True))
    if taken:
        listed = "、".join(f"{d:%Y-%m-%d}" for d in taken)
        raise Conflict(
            _("以下日期已有记录，请修改原记录：%(dates)s") % {"dates": listed}, code="workdays_day_exists", field="on"
        )
    created = []
    for on in days:
        _year_row(actor=actor, year=on.year)
        day = _create_day(on=on, kind=kind, name=name)
        _audit(
            actor=actor,
            action="workdays.day_added",
            target_type="special_day",
            target_id=f"{on:%Y-%m-%d}",
            changes={"kind": str(kind), "name": name},
        )
        created.append(day)
    _bump_revision()
    return created


def _create_day(*, on: dt.date, kind: DayKind, name: str) -> SpecialDay:
    try:
        with transaction.atomic():
            return SpecialDay.objects.create(
                on=on, calendar_year_id=on.year, kind=kind, name=name, source=SpecialDay.Source.ADMIN
            )
    except IntegrityError:  # entered by someone else a moment ago
        raise Conflict(
            _("%(date)s 已有记录，请刷新后修改原记录") % {"date": f"{on:%Y-%m-%d}"},
            code="workdays_day_exists",
            field="on",
        ) from None


def _check_range(first_on: dt.date, last_on: dt.date) -> None:
    check_date(first_on, field="on")
    check_date(last_on, field="last_on")
    if last_on < first_on:
        raise InvalidDayRange(_("结束日期不能早于开始日期"), field="last_on")
    if (last_on - first_on).days >= MAX_RANGE_DAYS:
        raise InvalidDayRange(_("一次最多录入 %(days)s 天") % {"days": MAX_RANGE_DAYS}, field="last_on")


@transaction.atomic
def special_day_change(*, actor: User | None, day: SpecialDay, kind: DayKind, name: str) -> SpecialDay:
    """Change a day's kind or name. A package day changed by an admin becomes an admin day."""
    row = SpecialDay.objects.select_for_update().get(pk=day.pk)
    changes: dict[str, Any] = {}
    if row.kind != kind:
        changes["kind"] = [row.kind, str(kind)]
    if row.name != name:
        changes["name"] = [row.name, name]
    if not changes:
        return row
    row.kind, row.name, row.source = kind, name, SpecialDay.Source.ADMIN
    row.save(update_fields=["kind", "name", "source", "updated_at"])
    _audit(
        actor=actor,
        action="workdays.day_changed",
        target_type="special_day",
        target_id=f"{row.on:%Y-%m-%d}",
        changes=changes,
    )
    _bump_revision()
    return row


@transaction.atomic
def special_day_remove(*, actor: User | None, day: SpecialDay) -> None:
    """Remove a day: it follows the weekend rule again."""
    row = SpecialDay.objects.select_for_update().filter(pk=day.pk).first()
    if row is None:
        return
    changes = {"kind": row.kind, "name": row.name, "source": row.source}
    row.delete()
    _audit(
        actor=actor,
        action="workdays.day_removed",
        target_type="special_day",
        target_id=f"{row.on:%Y-%m-%d}",
        changes=changes,
    )
    _bump_revision()


@transaction.atomic
def calendar_seed(*, actor: User | None = None) -> seeding.SeedReport:
    """Bring the package's years up to date with `chinesecalendar`; admin entries stay as they are."""
    report = seeding.seed(CalendarYear, SpecialDay)
    first, last = seeding.package_years()[0], seeding.package_years()[-1]
    changes: dict[str, Any] = {"years": f"{first}-{last}", **report.as_dict()}
    _audit(actor=actor, action="workdays.seeded", target_type="calendar", target_id="chinesecalendar", changes=changes)
    _bump_revision()
    return report
