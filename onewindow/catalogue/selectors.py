"""Public reads of the catalogue: only published versions are ever returned from here.

Searching (matters and bundles, with synonyms) is in `selectors_search.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from onewindow.catalogue.domain import (
    CatalogueRuleError,
    FieldSpec,
    MergedMaterial,
    merge_materials,
    schema_to_fields,
)
from onewindow.catalogue.models import (
    BundleVersion,
    Material,
    MatterVersion,
    OnlineLevel,
    Stage,
    StageMatter,
    VersionStatus,
)
from onewindow.errors import NotFound
from onewindow.orgs.models import Organisation


class MatterNotFound(NotFound):
    code = "matter_not_found"

    def __init__(self) -> None:
        super().__init__(_("未找到该事项"))


class BundleNotFound(NotFound):
    code = "bundle_not_found"

    def __init__(self) -> None:
        super().__init__(_("未找到该一件事主题"))


@dataclass(frozen=True)
class MatterFilters:
    """Filters of the catalogue list; None means "any". `department` is the department's code."""

    department: str | None = None
    category: str | None = None
    online_level: str | None = None

    @property
    def narrowing(self) -> bool:
        return bool(self.department or self.category or self.online_level)


@dataclass(frozen=True)
class CatalogueCounts:
    total: int
    fully_online: int
    online_intake: int


# --- matters ------------------------------------------------------------------------------------


def published_matters() -> QuerySet[MatterVersion]:
    """The current published version of every matter, with its department (for lists)."""
    return MatterVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related(
        "matter", "matter__department", "matter__department__parent"
    )


def catalogue_counts() -> CatalogueCounts:
    """共 N 项,全程网办 X 项,网上受理 Y 项: over the currently published versions, in one query."""
    counts = MatterVersion.objects.filter(status=VersionStatus.PUBLISHED).aggregate(
        total=Count("id"),
        fully_online=Count("id", filter=Q(online_level=OnlineLevel.FULLY_ONLINE)),
        online_intake=Count("id", filter=Q(online_level=OnlineLevel.ONLINE_INTAKE)),
    )
    return CatalogueCounts(**counts)


def catalogue_departments() -> QuerySet[Organisation]:
    """Departments with at least one published matter (the department filter's choices)."""
    published = MatterVersion.objects.filter(status=VersionStatus.PUBLISHED).values("matter__department_id")
    return (
        Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT, id__in=published)
        .select_related("parent")
        .order_by("path")
    )


def matters_filtered(queryset: QuerySet[MatterVersion], filters: MatterFilters) -> QuerySet[MatterVersion]:
    if filters.department:
        queryset = queryset.filter(matter__department__code=filters.department)
    if filters.category:
        queryset = queryset.filter(category=filters.category)
    if filters.online_level:
        queryset = queryset.filter(online_level=filters.online_level)
    return queryset


def matter_get_published(code: str) -> MatterVersion:
    """The published version of the matter `code`, with its materials; MatterNotFound otherwise."""
    version = (
        published_matters()
        .prefetch_related(Prefetch("materials", queryset=Material.objects.order_by("position", "id")))
        .filter(matter__code=code)
        .first()
    )
    if version is None:
        raise MatterNotFound()
    return version


def form_fields(schema: dict[str, Any] | None) -> list[FieldSpec]:
    """The fields a stored form schema asks for; a malformed schema shows no fields rather than failing."""
    try:
        return schema_to_fields(schema)
    except CatalogueRuleError:
        return []


# --- bundles ------------------------------------------------------------------------------------


def published_bundles() -> QuerySet[BundleVersion]:
    """The published version of every bundle, with its number of stages."""
    return (
        BundleVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("bundle")
        .annotate(stage_count=Count("stages"))
        .order_by("bundle__code")
    )


def bundle_get_published(code: str) -> BundleVersion:
    """The published version of bundle `code` with its stages, their matters and the pinned versions."""
    stage_matters = StageMatter.objects.select_related(
        "matter", "matter__department", "matter_version"
    ).prefetch_related(Prefetch("matter_version__materials", queryset=Material.objects.order_by("position", "id")))
    stages = Stage.objects.select_related("lead_department", "lead_department__parent").prefetch_related(
        Prefetch("stage_matters", queryset=stage_matters.order_by("id"))
    )
    version = (
        BundleVersion.objects.filter(status=VersionStatus.PUBLISHED, bundle__code=code)
        .select_related("bundle")
        .prefetch_related(Prefetch("stages", queryset=stages.order_by("position")))
        .first()
    )
    if version is None:
        raise BundleNotFound()
    return version


def bundle_materials(bundle_version: BundleVersion) -> list[MergedMaterial]:
    """The bundle's materials, each once (by key), from the pinned matter versions of its stages.

    Expects the version from `bundle_get_published` (everything prefetched: no further queries).
    """
    per_matter: list[tuple[str, list[Material]]] = []
    for stage in bundle_version.stages.all():
        for stage_matter in stage.stage_matters.all():
            version = stage_matter.matter_version
            if version is not None:
                per_matter.append((version.name, list(version.materials.all())))
    return merge_materials(per_matter)
