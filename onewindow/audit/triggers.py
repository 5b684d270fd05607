"""The database refuses UPDATE and DELETE on the audit tables (append-only, 全程留痕).

Installed by migration 0003. The statements live here so that the migration and the tests
that need to work around them speak the same SQL; change them only with a new migration.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

TABLES = ("audit_event", "audit_checkpoint")
MESSAGE = "audit log is append-only"


def create_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        function = (
            "CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}: % on % refused', TG_OP, TG_TABLE_NAME "
            "USING ERRCODE = 'integrity_constraint_violation'; END $$"
        )
        return [function] + [
            f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()"
            for table in TABLES
        ]
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {operation} on {table} refused'); END"
            for table in TABLES
            for operation in ("UPDATE", "DELETE")
        ]
    return []


def drop_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}" for table in TABLES] + [
            "DROP FUNCTION IF EXISTS audit_refuse_change()"
        ]
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_no_{operation.lower()}"
            for table in TABLES
            for operation in ("update", "delete")
        ]
    return []


def install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in create_statements(connection.vendor):
            cursor.execute(statement)


def remove(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in drop_statements(connection.vendor):
            cursor.execute(statement)
