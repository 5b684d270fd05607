"""The supervision board rolled up by level (纵到底): open cases counted by where they were received
(受理地, `Case.region`), for the region in focus itself (本级) and for each region below it with
everything under that (a district with its townships and streets). A city supervisor sees their
districts and counties, a district supervisor their townships and streets; choosing a region on the
board moves the focus down to it. Also the open cases per level of the receiving region."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from onewindow.cases.domain import OPEN_CASE_STATUSES, WarningLevel
from onewindow.cases.models import Case
from onewindow.cases.selectors.access import SUPERVISION_ROLES, organisation_ids
from onewindow.cases.selectors.board import _within, supervision_scope
from onewindow.orgs.domain import is_within
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.selectors import membership_paths


@dataclass(frozen=True)
class RegionCounts:
    """Open cases received in `region` (with everything below it, unless `is_own`) per warning level."""

    region: Organisation
    is_own: bool
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def red(self) -> int:
        return self.counts.get(WarningLevel.RED, 0)

    @property
    def yellow(self) -> int:
        return self.counts.get(WarningLevel.YELLOW, 0)

    @property
    def normal(self) -> int:
        return self.counts.get(WarningLevel.NORMAL, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class LevelCount:
    """Open cases received at one level (市, 区, 县, 乡镇, 街道, 社区/村)."""

    level: str
    count: int

    @property
    def label(self) -> str:
        return str(Organisation.Level(self.level).label)


@dataclass(frozen=True)
class LevelRollup:
    rows: list[RegionCounts]
    by_level: list[LevelCount]  # the levels with open cases, top level first


LEVEL_ORDER = [
    Organisation.Level.CITY,
    Organisation.Level.DISTRICT,
    Organisation.Level.COUNTY,
    Organisation.Level.TOWNSHIP,
    Organisation.Level.STREET,
    Organisation.Level.COMMUNITY,
]


def supervision_by_region(*, user: User, organisation: Organisation | None = None) -> LevelRollup:
    """The roll-up for the supervisor's own regions, or for `organisation` (NotFound outside their scope)."""
    scope = supervision_scope(user)
    if organisation is not None:
        subtree = organisation_ids(_within(scope, organisation))
        focuses = [organisation] if organisation.kind == Organisation.Kind.REGION else []
    else:
        subtree = organisation_ids(scope)
        focuses = _top_regions(user)
    rows_of_regions = (
        Case.objects.filter(status__in=sorted(OPEN_CASE_STATUSES), region__in=subtree)
        .order_by()
        .values_list("region__path", "region__level", "warning_level")
        .annotate(n=Count("id"))
    )
    open_counts: OpenCounts = [(path, level, warning, n) for path, level, warning, n in rows_of_regions]
    children = Organisation.objects.filter(parent__in=focuses, kind=Organisation.Kind.REGION).order_by("path")
    rows: list[RegionCounts] = []
    for focus in focuses:
        rows.append(RegionCounts(focus, True, _counted(open_counts, focus.path, own=True)))
        rows += [
            RegionCounts(child, False, _counted(open_counts, child.path, own=False))
            for child in children
            if child.parent_id == focus.pk
        ]
    return LevelRollup(rows=rows, by_level=_by_level(open_counts))


def _top_regions(user: User) -> list[Organisation]:
    """The regions where the user supervises, without those below another of them."""
    paths = membership_paths(user, SUPERVISION_ROLES)
    regions = Organisation.objects.filter(path__in=paths, kind=Organisation.Kind.REGION).order_by("path")
    return [r for r in regions if not is_within(r.path, {p for p in paths if p != r.path})]


OpenCounts = list[tuple[str, str, str, int]]  # (region path, region level, warning level, open cases)


def _counted(open_counts: OpenCounts, region_path: str, *, own: bool) -> dict[str, int]:
    """Per warning level: the cases received in the region itself (`own`), or in it and below it."""
    counts: Counter[str] = Counter()
    for path, _level, warning, n in open_counts:
        if path == region_path or (not own and path.startswith(region_path)):
            counts[warning] += n
    return dict(counts)


def _by_level(open_counts: OpenCounts) -> list[LevelCount]:
    per_level: Counter[str] = Counter()
    for _path, level, _warning, n in open_counts:
        per_level[level] += n
    return [LevelCount(level, per_level[level]) for level in LEVEL_ORDER if per_level[level]]
