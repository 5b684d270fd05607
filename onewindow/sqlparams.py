"""Parameters of the hand-written statements on the hot paths (a case's steps, audit events).

Django prepares every value through four method calls of its field; a submission and its
acceptance write about three hundred values, and preparing them cost 0.5-0.7 ms of about 9 (measured
alternately, with and without this module). A value that already is
what the database driver takes (an int for an integer column, a str or a text choice for a text
one, a bool for a boolean one, or None) now goes as it is, as Django would send it. Every other
value (a lazy string, a bool in an integer column, a date, JSON), and every value of any other
field class, is prepared by its field as before.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

# Exact classes only: a subclass may prepare its values its own way.
_PLAIN: dict[type[models.Field[Any, Any]], type] = {
    models.AutoField: int,
    models.BigAutoField: int,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.SmallIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.PositiveBigIntegerField: int,
    models.CharField: str,
    models.TextField: str,
    models.BooleanField: bool,
}


@functools.cache
def _plain_type(field: models.Field[Any, Any]) -> type | None:
    if isinstance(field, models.ForeignKey) and type(field) in (models.ForeignKey, models.OneToOneField):
        return _plain_type(field.target_field)
    return _PLAIN.get(type(field))


def value_param(field: models.Field[Any, Any], value: Any, connection: BaseDatabaseWrapper) -> Any:
    """`value` as the driver takes it for `field`'s column (what field.get_db_prep_save returns)."""
    plain = _plain_type(field)
    if plain is not None and (value is None or type(value) is plain or (plain is str and isinstance(value, str))):
        return value
    return field.get_db_prep_save(value, connection)


def row_params(
    fields: Sequence[models.Field[Any, Any]], rows: Iterable[models.Model], connection: BaseDatabaseWrapper
) -> list[Any]:
    """The values of `fields` of new `rows`, row after row, as an INSERT saves them."""
    return [value_param(field, field.pre_save(row, True), connection) for row in rows for field in fields]
