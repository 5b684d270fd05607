"""The full-text indexes over `search_text` of matter versions and bundle versions, per database.

Both databases index the space-separated rjieba words of `search_text` as they are:

- SQLite: an external-content FTS5 table per indexed table (unicode61 sees each space-separated word
  as one token), kept in sync by triggers. FTS5's trigram tokenizer is not used: it misses
  two-character queries.
- PostgreSQL: a GIN index on `to_tsvector('simple', search_text)`; for matters also pg_trgm on the
  name, for substring matches (and, there only, typo-tolerant similarity).

Written by hand (the indexes live outside the models): migration 0090 creates the matters' index,
0093 the bundles'. Every statement is safe to run again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class IndexedTable:
    table: str  # the model's table, with `id`, `name` and `search_text` columns
    prefix: str  # of the trigger and index names
    migration: str  # the catalogue migration that creates the index
    name_trigram: bool = False

    @property
    def fts(self) -> str:
        """The SQLite FTS5 table."""
        return f"{self.table}_fts"

    def sqlite_create(self) -> list[str]:
        # Table names come from this module's constants (MATTERS, BUNDLES), never from input.
        delete_old = (
            f"INSERT INTO {self.fts}({self.fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text);"  # noqa: S608
        )
        insert_new = f"INSERT INTO {self.fts}(rowid, search_text) VALUES (new.id, new.search_text);"  # noqa: S608
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.fts} USING fts5("
            f"search_text, content='{self.table}', content_rowid='id', tokenize='unicode61')",
            f"CREATE TRIGGER IF NOT EXISTS {self.prefix}_fts_insert AFTER INSERT ON {self.table} "
            f"BEGIN {insert_new} END",
            f"CREATE TRIGGER IF NOT EXISTS {self.prefix}_fts_delete AFTER DELETE ON {self.table} "
            f"BEGIN {delete_old} END",
            f"CREATE TRIGGER IF NOT EXISTS {self.prefix}_fts_update AFTER UPDATE OF search_text ON {self.table} "
            f"BEGIN {delete_old} {insert_new} END",
            # Rebuilding is cheap for a catalogue and repairs the index after the table was rebuilt.
            f"INSERT INTO {self.fts}({self.fts}) VALUES ('rebuild')",  # noqa: S608
        ]

    def sqlite_drop(self) -> list[str]:
        triggers = [f"DROP TRIGGER IF EXISTS {self.prefix}_fts_{event}" for event in ("update", "delete", "insert")]
        return [*triggers, f"DROP TABLE IF EXISTS {self.fts}"]

    def postgresql_create(self) -> list[str]:
        statements = [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            f"CREATE INDEX IF NOT EXISTS {self.prefix}_search_fts ON {self.table} "
            "USING GIN (to_tsvector('simple'::regconfig, search_text))",
        ]
        if self.name_trigram:
            # Django's icontains is UPPER(name::text) LIKE UPPER(%s): index that expression.
            statements.append(
                f"CREATE INDEX IF NOT EXISTS {self.prefix}_name_trgm ON {self.table} "
                "USING GIN ((UPPER(name::text)) gin_trgm_ops)"
            )
        return statements

    def postgresql_drop(self) -> list[str]:
        return [f"DROP INDEX IF EXISTS {self.prefix}_name_trgm", f"DROP INDEX IF EXISTS {self.prefix}_search_fts"]


MATTERS = IndexedTable("catalogue_matterversion", "catalogue_mv", "0090_search_index", name_trigram=True)
BUNDLES = IndexedTable("catalogue_bundleversion", "catalogue_bv", "0093_bundle_search")
INDEXED = (MATTERS, BUNDLES)


def search_index_create(connection: Any, indexed: IndexedTable = MATTERS) -> None:
    """Create (or repair) the search index of `indexed` for this database; a no-op on other vendors."""
    statements = {"sqlite": indexed.sqlite_create, "postgresql": indexed.postgresql_create}.get(connection.vendor)
    with connection.cursor() as cursor:
        for statement in statements() if statements else []:
            cursor.execute(statement)


def search_index_drop(connection: Any, indexed: IndexedTable = MATTERS) -> None:
    statements = {"sqlite": indexed.sqlite_drop, "postgresql": indexed.postgresql_drop}.get(connection.vendor)
    with connection.cursor() as cursor:
        for statement in statements() if statements else []:
            cursor.execute(statement)


def repair_search_index(*, using: str = "default", **kwargs: Any) -> None:
    """post_migrate receiver: re-create what a later migration dropped, and rebuild.

    On SQLite, Django rebuilds a table to alter it (copy, drop, rename), and dropping the table
    drops its triggers: the FTS index would silently stop following `search_text`.
    PostgreSQL alters tables in place and keeps its indexes: nothing to do there.
    """
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    applied = MigrationRecorder(connection).applied_migrations()
    for indexed in INDEXED:
        if ("catalogue", indexed.migration) in applied:
            search_index_create(connection, indexed)
