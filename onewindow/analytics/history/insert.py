"""Rows inserted as `bulk_create` would insert them, without its per-value query compilation.

`bulk_create` compiles every value of every row through the field's `get_db_prep_save` inside the SQL
compiler: for a year of history (millions of values) that is most of the time. Here each column's
conversion is chosen once (dates and times adapted by the database backend as Django does, JSON and files
through their field, plain values as they are) and the rows go to `executemany` in one statement per
table and batch. Rows carry their primary keys (given by the writer) unless the table's is left to the
database (`with_pk=False`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models

Convert = Callable[[Any], Any] | None
PLAIN = (
    "AutoField",
    "BigAutoField",
    "BooleanField",
    "CharField",
    "TextField",
    "IntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
)


def _convert(field: models.Field[Any, Any]) -> Convert:
    kind = field.get_internal_type()
    if isinstance(field, models.ForeignKey) or kind in PLAIN:
        return None
    if kind == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    return lambda value: field.get_db_prep_save(value, connection)


def _fields(model: type[models.Model], with_pk: bool) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]


def _execute(model: type[models.Model], fields: list[models.Field[Any, Any]], params: list[list[Any]]) -> None:
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def rows_insert(model: type[models.Model], rows: Sequence[models.Model], *, with_pk: bool = True) -> None:
    """Model instances (not saved yet), every concrete column; auto_now(_add) stamped as on a save."""
    if not rows:
        return
    fields = _fields(model, with_pk)
    stamped = [f for f in fields if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)]
    converts = [(f.attname, _convert(f)) for f in fields]
    params = []
    for row in rows:
        for field in stamped:
            field.pre_save(row, True)
        params.append([getattr(row, name) if c is None else c(getattr(row, name)) for name, c in converts])
    _execute(model, fields, params)


def values_insert(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    """Rows given as {attname: value} for every concrete column but the primary key."""
    if not rows:
        return
    fields = _fields(model, with_pk=False)
    converts = [(f.attname, _convert(f)) for f in fields]
    _execute(model, fields, [[row[name] if c is None else c(row[name]) for name, c in converts] for row in rows])
