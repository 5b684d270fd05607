"""Seeding the calendar table from the `chinesecalendar` package (2004 to its last year).

Used by the data migration (with the migration's historical models) and by `services.calendar_seed`
(with the real ones), so both take the model classes as arguments. Idempotent: rows an admin
entered (source "admin") are never touched; package rows are created, corrected or removed so the
table matches the package for the years it covers. Years the package covers are created as
published; an existing year row is left as the admin keeps it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import chinese_calendar
from chinese_calendar.constants import Holiday, holidays, workdays

SOURCE = "chinesecalendar"
PUBLISHED_BY = f"国务院办公厅节假日安排（chinesecalendar {chinese_calendar.__version__} 收录）"
_CHINESE_NAMES = {h.value: h.chinese for h in Holiday}


@dataclass(frozen=True)
class SeedReport:
    years_created: int
    days_created: int
    days_updated: int
    days_removed: int
    admin_days_kept: int

    def as_dict(self) -> dict[str, int]:
        return {
            "years_created": self.years_created,
            "days_created": self.days_created,
            "days_updated": self.days_updated,
            "days_removed": self.days_removed,
            "admin_days_kept": self.admin_days_kept,
        }


def package_years() -> range:
    return range(min(holidays).year, max(holidays).year + 1)


def package_days() -> dict[dt.date, tuple[str, str]]:
    """date -> (kind, Chinese holiday name) for every entry of the package."""
    days: dict[dt.date, tuple[str, str]] = {}
    for on, english in holidays.items():
        days[on] = ("holiday", _CHINESE_NAMES.get(english, english))
    for on, english in workdays.items():
        days[on] = ("makeup_workday", _CHINESE_NAMES.get(english, english))
    return days


def seed(calendar_year_model: Any, special_day_model: Any) -> SeedReport:
    years = package_years()
    existing_years = set(calendar_year_model.objects.values_list("year", flat=True))
    new_years = [y for y in years if y not in existing_years]
    calendar_year_model.objects.bulk_create(
        [calendar_year_model(year=y, is_published=True, published_by=PUBLISHED_BY) for y in new_years]
    )
    wanted = package_days()
    existing = {day.on: day for day in special_day_model.objects.filter(on__year__in=list(years))}
    to_create, to_update, admin_kept = [], [], 0
    for on, (kind, name) in sorted(wanted.items()):
        row = existing.get(on)
        if row is None:
            to_create.append(special_day_model(on=on, calendar_year_id=on.year, kind=kind, name=name, source=SOURCE))
        elif row.source != SOURCE:
            admin_kept += 1
        elif (row.kind, row.name) != (kind, name):
            row.kind, row.name = kind, name
            to_update.append(row)
    stale = [row.pk for on, row in existing.items() if row.source == SOURCE and on not in wanted]
    special_day_model.objects.bulk_create(to_create)
    special_day_model.objects.bulk_update(to_update, ["kind", "name"])
    special_day_model.objects.filter(pk__in=stale).delete()
    return SeedReport(len(new_years), len(to_create), len(to_update), len(stale), admin_kept)
