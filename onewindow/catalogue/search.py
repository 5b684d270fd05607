"""Chinese search over the catalogue: query parsing, the synonym table, and the index DDL per database.

Documents are indexed as `MatterVersion.search_text`: the rjieba `cut_for_search` words of the name,
department and category, separated by spaces. Both databases index those words as they are:

- SQLite: an external-content FTS5 table (unicode61 sees each space-separated word as one token),
  kept in sync by triggers. FTS5's trigram tokenizer is not used: it misses two-character queries.
- PostgreSQL: a GIN index on `to_tsvector('simple', search_text)`, plus pg_trgm on the name for
  substring matches (and, there only, typo-tolerant similarity).

A query is parsed once into `Term`s (AND between terms, OR between a term's synonyms); each term
alternative matches either as one word (prefix) or as all of its smallest rjieba words, because the
same text segments differently alone than inside a longer name (建筑工程 alone is one word, inside
建筑工程施工许可证核发 it is 建筑 + 工程施工).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import rjieba

MAX_QUERY_LENGTH = 100

# Words people type and the words the catalogue uses. Each group is symmetric.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("施工许可", "施工许可证"),
    ("营业执照", "企业登记", "设立登记"),
    ("排水", "排污"),
    ("开公司", "开办企业"),
    ("户口", "户籍"),
    ("房产证", "不动产权证书", "不动产登记"),
    ("身份证", "居民身份证"),
    ("驾照", "驾驶证"),
    ("社保", "社会保险"),
    ("公积金", "住房公积金"),
)
SYNONYMS: dict[str, tuple[str, ...]] = {
    word: tuple(other for other in group if other != word) for group in SYNONYM_GROUPS for word in group
}

_WORD = re.compile(r"^\w+$")


@dataclass(frozen=True)
class Term:
    """One thing the user asked for: any alternative matches; each alternative is word groups to AND.

    `alternatives` holds, per synonym, the ways it can match: `(("施工许可证",), ("施工", "许可"))`
    means the word 施工许可证 or both 施工 and 许可.
    """

    text: str
    alternatives: tuple[tuple[str, ...], ...]


def normalise_query(query: str) -> str:
    """Full-width to half-width, lower case, no control characters, single spaces, bounded length."""
    text = unicodedata.normalize("NFKC", query).lower()
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def _words(text: str, *, fine: bool) -> list[str]:
    cut = rjieba.cut_for_search(text) if fine else rjieba.cut(text)
    return [word for word in (w.strip() for w in cut) if _WORD.match(word)]


def smallest_words(text: str) -> tuple[str, ...]:
    """The fine-grained words of `text` that contain no other of its words (建筑工程 -> 建筑, 工程)."""
    words = list(dict.fromkeys(_words(text, fine=True)))
    return tuple(w for w in words if not any(other != w and other in w for other in words))


def _covers(parts: tuple[str, ...], word: str) -> bool:
    covered = [False] * len(word)
    for part in parts:
        start = word.find(part)
        while start >= 0:
            covered[start : start + len(part)] = [True] * len(part)
            start = word.find(part, start + 1)
    return all(covered)


def _ways_to_match(word: str) -> tuple[tuple[str, ...], ...]:
    """The word itself, or all its smallest words when they spell the whole word (not 施工图 -> 施工)."""
    parts = smallest_words(word)
    if not parts or parts == (word,) or not _covers(parts, word):
        return ((word,),)
    return ((word,), parts)


def _term(text: str) -> Term:
    alternatives: list[tuple[str, ...]] = []
    for alternative in (text, *SYNONYMS.get(text, ())):
        alternatives.extend(_ways_to_match(alternative))
    return Term(text=text, alternatives=tuple(dict.fromkeys(alternatives)))


def _split_on_synonyms(text: str) -> list[tuple[str, bool]]:
    """Cut the query around the longest synonym phrases it contains: [(piece, is_synonym_phrase)]."""
    for phrase in sorted(SYNONYMS, key=len, reverse=True):
        start = text.find(phrase)
        if start >= 0:
            before, after = text[:start], text[start + len(phrase) :]
            return [*_split_on_synonyms(before), (phrase, True), *_split_on_synonyms(after)]
    return [(text, False)] if text else []


def parse_query(query: str) -> list[Term]:
    """The terms of a query, all of which must match. Empty when the query has no words."""
    terms: list[Term] = []
    for chunk in normalise_query(query).split(" "):
        for piece, is_phrase in _split_on_synonyms(chunk):
            words = [piece] if is_phrase else _words(piece, fine=False)
            terms.extend(_term(word) for word in words)
    return list({term.text: term for term in terms}.values())


def synonym_texts(query: str) -> list[str]:
    """The query and its whole-query synonyms: a name containing any of them matches by name."""
    text = normalise_query(query)
    return [text, *SYNONYMS.get(text, ())] if text else []


# --- SQLite FTS5 --------------------------------------------------------------------------------


def _fts5_word(word: str) -> str:
    return '"' + word.replace('"', '""') + '"*'


def fts5_query(terms: list[Term]) -> str:
    """`("施工"* OR ("施" AND ...)) AND (...)`; the empty string when there is nothing to match."""
    groups = []
    for term in terms:
        ways = [" AND ".join(_fts5_word(w) for w in words) for words in term.alternatives]
        groups.append("(" + " OR ".join(f"({way})" for way in ways) + ")")
    return " AND ".join(groups)


# --- PostgreSQL tsquery -------------------------------------------------------------------------


def _tsquery_word(word: str) -> str:
    return "'" + word.replace("'", "''").replace("\\", "\\\\") + "':*"


def tsquery(terms: list[Term]) -> str:
    """The same boolean query for `to_tsquery('simple', ...)`."""
    groups = []
    for term in terms:
        ways = [" & ".join(_tsquery_word(w) for w in words) for words in term.alternatives]
        groups.append("(" + " | ".join(f"({way})" for way in ways) + ")")
    return " & ".join(groups)


# --- index DDL (called by migration 0090 and safe to run again) ----------------------------------

_FTS_DELETE_OLD = (
    "INSERT INTO catalogue_matterversion_fts(catalogue_matterversion_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text);"
)
_FTS_INSERT_NEW = "INSERT INTO catalogue_matterversion_fts(rowid, search_text) VALUES (new.id, new.search_text);"
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalogue_matterversion_fts USING fts5("
    "search_text, content='catalogue_matterversion', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER IF NOT EXISTS catalogue_mv_fts_insert AFTER INSERT ON catalogue_matterversion "
    f"BEGIN {_FTS_INSERT_NEW} END",
    "CREATE TRIGGER IF NOT EXISTS catalogue_mv_fts_delete AFTER DELETE ON catalogue_matterversion "
    f"BEGIN {_FTS_DELETE_OLD} END",
    "CREATE TRIGGER IF NOT EXISTS catalogue_mv_fts_update AFTER UPDATE OF search_text ON catalogue_matterversion "
    f"BEGIN {_FTS_DELETE_OLD} {_FTS_INSERT_NEW} END",
    # Rebuilding is cheap for a catalogue and repairs the index after the table was rebuilt.
    "INSERT INTO catalogue_matterversion_fts(catalogue_matterversion_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS catalogue_mv_fts_update",
    "DROP TRIGGER IF EXISTS catalogue_mv_fts_delete",
    "DROP TRIGGER IF EXISTS catalogue_mv_fts_insert",
    "DROP TABLE IF EXISTS catalogue_matterversion_fts",
]
POSTGRESQL_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS catalogue_mv_search_fts ON catalogue_matterversion "
    "USING GIN (to_tsvector('simple'::regconfig, search_text))",
    # Django's icontains is UPPER(name::text) LIKE UPPER(%s): index that expression.
    "CREATE INDEX IF NOT EXISTS catalogue_mv_name_trgm ON catalogue_matterversion "
    "USING GIN ((UPPER(name::text)) gin_trgm_ops)",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS catalogue_mv_name_trgm",
    "DROP INDEX IF EXISTS catalogue_mv_search_fts",
]


def search_index_create(connection: Any) -> None:
    """Create (or repair) the search index for this database; a no-op on other vendors."""
    statements = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def search_index_drop(connection: Any) -> None:
    statements = {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def repair_search_index(*, using: str = "default", **kwargs: Any) -> None:
    """post_migrate receiver: re-create what a later migration dropped, and rebuild.

    On SQLite, Django rebuilds a table to alter it (copy, drop, rename), and dropping the table
    drops its triggers: the FTS index would silently stop following MatterVersion.search_text.
    PostgreSQL alters tables in place and keeps its indexes: nothing to do there.
    """
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if (
        connection.vendor == "sqlite"
        and ("catalogue", "0090_search_index") in MigrationRecorder(connection).applied_migrations()
    ):
        search_index_create(connection)
