"""Searching the public catalogue: matters and bundles (一件事), best matches first, on both databases.

What a query means (its words, the synonyms, the filler words dropped) is decided once by
`search.parse`, with the synonym table as it is now (`synonyms_current`, one query). Here it becomes
SQL: FTS5 on SQLite, tsvector on PostgreSQL (`search_index.py`), over the same rjieba words.

Matters and bundles rank alike: names containing the query (or a synonym of it) first, then names
containing more of its words, then shorter names. `catalogue_search` splits the bundles in two for
the results page: those named for the query go above the matters, the others (found through their
stages or matters) after them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Case, Field, FloatField, IntegerField, Model, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

from onewindow.catalogue import search
from onewindow.catalogue.models import BundleVersion, MatterVersion, Synonym
from onewindow.catalogue.search_index import BUNDLES, MATTERS, IndexedTable
from onewindow.catalogue.selectors import MatterFilters, matters_filtered, published_bundles, published_matters

M = TypeVar("M", bound=Model)

SIMILARITY_THRESHOLD = 0.5
SIMILARITY_MIN_LENGTH = 4
MAX_BUNDLES_SHOWN = 5


def synonyms_current() -> dict[str, tuple[str, ...]]:
    """The synonym table as {word: the other words of its group} (one query)."""
    groups: dict[int, list[str]] = {}
    for group_id, word in Synonym.objects.order_by("group_id", "position").values_list("group_id", "word"):
        groups.setdefault(group_id, []).append(word)
    return search.synonyms_of(groups.values())


def parse(query: str, synonyms: search.Synonyms | None = None) -> search.Query:
    """The query with the synonym table as it is now, unless `synonyms` are given (an empty query
    reads no table)."""
    if synonyms is None:
        synonyms = synonyms_current() if search.normalise_query(query) else {}
    return search.parse(query, synonyms)


def _raw(sql: str, params: list[str], output_field: Field[Any, Any]) -> RawSQL:
    # The SQL is built from this app's table names only; everything the user typed goes in as a parameter.
    return RawSQL(sql, params, output_field=output_field)  # noqa: S611


def _index_match(indexed: IndexedTable, query: search.Query) -> Q:
    """Every term matches among the indexed words: FTS5 on SQLite, tsvector on PostgreSQL."""
    if connection.vendor == "postgresql":
        # The same expression as the GIN index, so that it is used; a subquery, so that PostgreSQL does not
        # compute to_tsvector row by row to OR it with the name condition.
        sql = (
            f"SELECT id FROM {indexed.table} "  # noqa: S608
            "WHERE to_tsvector('simple'::regconfig, search_text) @@ to_tsquery('simple', %s)"
        )
        matched = search.tsquery(query.terms)
    else:
        sql = f"SELECT rowid FROM {indexed.fts} WHERE {indexed.fts} MATCH %s"  # noqa: S608
        matched = search.fts5_query(query.terms)
    return Q(pk__in=_raw(sql, [matched], IntegerField())) if matched else Q(pk__in=[])


def _name_contains_any(texts: tuple[str, ...]) -> Q:
    condition = Q(pk__in=[])
    for text in texts:
        condition |= Q(name__icontains=text)
    return condition


def _in_name(term: search.Term) -> Q:
    condition = Q(pk__in=[])
    for words in term.alternatives:
        condition |= Q(*(Q(name__icontains=word) for word in words))
    return condition


def _found(queryset: QuerySet[M], indexed: IndexedTable, query: search.Query, code: str) -> QuerySet[M]:
    """Matches of the index or by name, ranked: names containing the whole query or more of its synonyms
    first (施工许可证核发 holds both 施工许可 and 施工许可证), then names containing more of its terms,
    then shorter names (then `code`).

    The indexed words are deduplicated, so bm25 / ts_rank would reduce to "shorter documents first" here
    (and bm25 per row cost ~1 s at 5,000 matters on SQLite): the name says more, at the same order on both
    databases.
    """
    whole_hits = [Case(When(name__icontains=text, then=Value(1)), default=Value(0)) for text in query.whole]
    term_hits = [Case(When(_in_name(term), then=Value(1)), default=Value(0)) for term in query.terms]
    found: QuerySet[M] = (
        queryset.filter(_index_match(indexed, query) | _name_contains_any(query.whole))
        .annotate(
            name_hit=sum(whole_hits, start=Value(0)),
            name_terms=sum(term_hits, start=Value(0)),
            name_length=Length("name"),
        )
        .order_by("-name_hit", "-name_terms", "name_length", code)
    )
    return found


def _similar(queryset: QuerySet[MatterVersion], text: str) -> QuerySet[MatterVersion]:
    """PostgreSQL, when nothing matched exactly: names close to the query (pg_trgm), closest first."""
    similarity = _raw('word_similarity(%s, "catalogue_matterversion"."name")', [text], FloatField())
    return (
        queryset.annotate(similarity=similarity)
        .filter(similarity__gte=SIMILARITY_THRESHOLD)
        .order_by("-similarity", "matter__code")
    )


def matters_found(query: search.Query, filters: MatterFilters | None = None) -> QuerySet[MatterVersion]:
    """Published matter versions for a parsed query and the filters, best first (everything, by code,
    for an empty query). On PostgreSQL, a query of four characters or more that matches nothing
    falls back to names similar to it (a mistyped character); the fallback costs one more query."""
    queryset = matters_filtered(published_matters(), filters or MatterFilters())
    if not query:
        return queryset.order_by("matter__code")
    found = _found(queryset, MATTERS, query, "matter__code")
    if connection.vendor == "postgresql" and len(query.text) >= SIMILARITY_MIN_LENGTH and not found.exists():
        return _similar(queryset, query.text)
    return found


def matter_search(query: str = "", filters: MatterFilters | None = None) -> QuerySet[MatterVersion]:
    """Published matter versions matching the Chinese query and the filters, best matches first.

    A matter matches when every word of the query (or a synonym) is among its indexed words (name,
    department, category), or its name contains the query or a synonym of it.
    """
    return matters_found(parse(query), filters)


def bundles_found(query: search.Query) -> QuerySet[BundleVersion]:
    """Published bundle versions for a parsed query, best first (every bundle, by code, for an empty query)."""
    if not query:
        return published_bundles()
    return _found(published_bundles(), BUNDLES, query, "bundle__code")


def bundle_search(query: str = "") -> QuerySet[BundleVersion]:
    """Published bundles matching the query, best first: their name, description and stage names and
    the names of their matters are searched, with the same words and synonyms as matters."""
    return bundles_found(parse(query))


def is_named_for(bundle: BundleVersion, query: search.Query) -> bool:
    """Its name holds the query, a synonym of it, or every word of it (read from `bundles_found`)."""
    annotated: Any = bundle
    return bool(annotated.name_hit) or annotated.name_terms == len(query.terms)


@dataclass(frozen=True)
class CatalogueResults:
    query: search.Query
    matters: QuerySet[MatterVersion]
    bundles_first: list[BundleVersion]  # named for the query: shown above the matters
    bundles_also: list[BundleVersion]  # holding a matching matter or stage: shown after them


def catalogue_search(query: str, filters: MatterFilters | None = None) -> CatalogueResults:
    """The results page: matters, and the bundles a citizen should see with them.

    Bundles are looked for only with a query and no filter: department, type and online level
    describe matters, and a citizen who narrows by them is looking for a matter.
    """
    filters = filters or MatterFilters()
    parsed = parse(query)
    matters = matters_found(parsed, filters)
    if not parsed or filters.narrowing:
        return CatalogueResults(parsed, matters, [], [])
    bundles = list(bundles_found(parsed)[:MAX_BUNDLES_SHOWN])
    first = [bundle for bundle in bundles if is_named_for(bundle, parsed)]
    return CatalogueResults(parsed, matters, first, [bundle for bundle in bundles if bundle not in first])
