"""Let transactional tests flush the append-only audit tables on SQLite.

After a `transaction=True` test, Django flushes every table. PostgreSQL flushes with TRUNCATE,
which row triggers do not see; SQLite flushes with DELETE, which the audit triggers refuse.
So, in tests only: drop the SQLite triggers just before the flush and put them back at the
start of the next database test. Production code has no way around the triggers.

Every test suite that runs transactional tests writing audit events on SQLite needs this:
the project's root conftest.py lists it in `pytest_plugins`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from onewindow.audit import triggers


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return "transactional_db" in request.fixturenames or "live_server" in request.fixturenames


@pytest.fixture(autouse=True)
def audit_triggers_lifted_for_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.get_closest_marker("django_db") is None and "transactional_db" not in request.fixturenames:
        yield
        return
    transactional = _is_transactional(request)
    # Requesting the database fixture here sets it up first, so its flush runs after our teardown.
    request.getfixturevalue("transactional_db" if transactional else "db")
    if connection.vendor != "sqlite":
        yield
        return
    triggers.install(connection)
    yield
    if transactional:
        triggers.remove(connection)
