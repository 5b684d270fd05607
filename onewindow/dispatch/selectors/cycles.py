"""Which cycle applies where: a region's own DispatchCycle, else its nearest ancestor's, else the
default monthly cycle with the cut-off day of DISPATCH_DEFAULT_CUTOFF_DAY (see settings.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from onewindow.dispatch.domain import Cycle, CycleKind, cycle_for_region
from onewindow.dispatch.models import DispatchCycle
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.selectors import organisations_visible_to
from onewindow.projects.models import Project

CYCLE_REGION_LEVELS = (Organisation.Level.CITY, Organisation.Level.DISTRICT, Organisation.Level.COUNTY)


def default_cycle() -> Cycle:
    day = int(getattr(settings, "DISPATCH_DEFAULT_CUTOFF_DAY", 30))
    return Cycle(kind=CycleKind.MONTHLY, cutoff_day=min(max(day, 1), 31))


def cycle_of(row: DispatchCycle) -> Cycle:
    return Cycle(kind=CycleKind(row.kind), cutoff_day=row.cutoff_day, remind_days_before=row.remind_days_before)


def cycle_table() -> dict[str, Cycle]:
    """Every region's own cycle, by the region's materialised path (a handful of rows)."""
    rows = DispatchCycle.objects.values_list("region__path", "kind", "cutoff_day", "remind_days_before")
    return {path: Cycle(CycleKind(kind), day, remind) for path, kind, day, remind in rows}


def cycle_for_path(path: str, table: dict[str, Cycle] | None = None) -> Cycle:
    return cycle_for_region(path, cycle_table() if table is None else table, default_cycle())


def cycle_for_project(project: Project) -> Cycle:
    return cycle_for_path(project.district.path)


@dataclass(frozen=True)
class CycleRow:
    """A region the office may set the cycle of: its own cycle (if any) and the one in force."""

    region: Organisation
    own: DispatchCycle | None
    effective: Cycle


def cycle_regions_for(user: User) -> QuerySet[Organisation]:
    """Regions (city, district, county) within the user's key-project office subtree."""
    visible = organisations_visible_to(user, roles={Role.PROJECT_OFFICE})
    return visible.filter(kind=Organisation.Kind.REGION, level__in=CYCLE_REGION_LEVELS).order_by("path")


def cycle_rows_for(user: User) -> list[CycleRow]:
    regions = list(cycle_regions_for(user))
    own = {row.region_id: row for row in DispatchCycle.objects.filter(region__in=[r.pk for r in regions])}
    table = cycle_table()
    return [CycleRow(region, own.get(region.pk), cycle_for_path(region.path, table)) for region in regions]
