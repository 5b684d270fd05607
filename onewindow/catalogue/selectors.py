"""Public reads of the catalogue: only published versions are ever returned from here.

`matter_search` hides the database: FTS5 on SQLite, tsvector + pg_trgm on PostgreSQL (search.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Field,
    FloatField,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from onewindow.catalogue import search
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


def _filtered(queryset: QuerySet[MatterVersion], filters: MatterFilters) -> QuerySet[MatterVersion]:
    if filters.department:
        queryset = queryset.filter(matter__department__code=filters.department)
    if filters.category:
        queryset = queryset.filter(category=filters.category)
    if filters.online_level:
        queryset = queryset.filter(online_level=filters.online_level)
    return queryset


def _raw(sql: str, params: list[str], output_field: Field[Any, Any]) -> RawSQL:
    # The SQL is a constant of this module; everything the user typed goes in as a parameter.
    return RawSQL(sql, params, output_field=output_field)  # noqa: S611


_FTS_MATCHED = "SELECT rowid FROM catalogue_matterversion_fts WHERE catalogue_matterversion_fts MATCH %s"
# The same expression as the GIN index of migration 0090, so that the index is used; a subquery, so that
# PostgreSQL does not compute to_tsvector row by row to OR it with the name condition.
_PG_MATCHED = (
    "SELECT id FROM catalogue_matterversion "
    "WHERE to_tsvector('simple'::regconfig, search_text) @@ to_tsquery('simple', %s)"
)
_PG_SIMILAR = 'word_similarity(%s, "catalogue_matterversion"."name")'
SIMILARITY_THRESHOLD = 0.5
SIMILARITY_MIN_LENGTH = 4


def _index_match(terms: list[search.Term]) -> Q:
    """Every term matches among the indexed words: FTS5 on SQLite, tsvector on PostgreSQL."""
    if connection.vendor == "postgresql":
        ts_query = search.tsquery(terms)
        return Q(pk__in=_raw(_PG_MATCHED, [ts_query], IntegerField())) if ts_query else Q(pk__in=[])
    fts_query = search.fts5_query(terms)
    return Q(pk__in=_raw(_FTS_MATCHED, [fts_query], IntegerField())) if fts_query else Q(pk__in=[])


def _in_name(term: search.Term) -> Q:
    condition = Q(pk__in=[])
    for words in term.alternatives:
        condition |= Q(*(Q(name__icontains=word) for word in words))
    return condition


def _ranked(queryset: QuerySet[MatterVersion], text: str, terms: list[search.Term]) -> QuerySet[MatterVersion]:
    """Names containing the whole query first, then names containing more of its terms, then shorter names.

    The indexed words are deduplicated, so bm25 / ts_rank would reduce to "shorter documents first" here
    (and bm25 per row cost ~1 s at 5,000 matters on SQLite): the name says more, at the same order on both
    databases.
    """
    whole = Q(pk__in=[])
    for candidate in search.synonym_texts(text):
        whole |= Q(name__icontains=candidate)
    term_hits = [Case(When(_in_name(term), then=Value(1)), default=Value(0)) for term in terms]
    return queryset.annotate(
        name_hit=Case(When(whole, then=Value(1)), default=Value(0)),
        name_terms=sum(term_hits, start=Value(0)),
        name_length=Length("name"),
    ).order_by("-name_hit", "-name_terms", "name_length", "matter__code")


def _similar(queryset: QuerySet[MatterVersion], text: str) -> QuerySet[MatterVersion]:
    """PostgreSQL, when nothing matched exactly: names close to the query (pg_trgm), closest first."""
    similarity = _raw(_PG_SIMILAR, [text], FloatField())
    return (
        queryset.annotate(similarity=similarity)
        .filter(similarity__gte=SIMILARITY_THRESHOLD)
        .order_by("-similarity", "matter__code")
    )


def _searched(queryset: QuerySet[MatterVersion], text: str) -> QuerySet[MatterVersion]:
    terms = search.parse_query(text)
    in_name = Q(pk__in=[])
    for candidate in search.synonym_texts(text):
        in_name |= Q(name__icontains=candidate)
    found = _ranked(queryset.filter(_index_match(terms) | in_name), text, terms)
    fuzzy = connection.vendor == "postgresql" and len(text) >= SIMILARITY_MIN_LENGTH
    if fuzzy and not found.exists():
        return _similar(queryset, text)
    return found


def matter_search(query: str = "", filters: MatterFilters | None = None) -> QuerySet[MatterVersion]:
    """Published versions matching the Chinese query and the filters, best matches first.

    A matter matches when every word of the query (or a synonym) is among its indexed words, or its
    name contains the query. On PostgreSQL, a query of four characters or more that matches nothing
    falls back to names similar to it (a mistyped character). The fallback costs one more query.
    """
    queryset = _filtered(published_matters(), filters or MatterFilters())
    text = search.normalise_query(query)
    if not text:
        return queryset.order_by("matter__code")
    return _searched(queryset, text)


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
