"""Settings the tests share: DEBUG on for a predictable environment, fast password hashing, a signing key."""

import os

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from onewindow.notify.backends import MemorySmsBackend

os.environ.setdefault("DEBUG", "1")

# SQLite flushes tables with DELETE after transactional tests, which the audit triggers refuse;
# the browser fixtures serve every end-to-end test.
pytest_plugins = ["onewindow.audit.tests.pytest_plugin", "onewindow.web.tests.browser"]

TEST_SIGNING_KEY = (
    Ed25519PrivateKey.generate()
    .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    .decode()
)


@pytest.fixture(autouse=True)
def _chinese_first():
    """Every test starts in the platform's language: a request in English (the language cookie) leaves
    English active in the thread, which would otherwise turn the next test's labels English."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def _certificate_keys_dir(tmp_path_factory):
    """One development CA, seals and SM2 key per test process (onewindow/certificates/document/keys.py)."""
    return tmp_path_factory.mktemp("certificate-keys")


@pytest.fixture(scope="session")
def test_settings(_certificate_keys_dir):
    """The settings every test runs with, but MEDIA_ROOT: for `_test_settings`, and for a module's fixture that
    writes what its tests share (`override_settings(**test_settings)`)."""
    return {
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        # pytest-django turns DEBUG off, so the audit app would refuse to make a local key.
        "AUDIT_SIGNING_KEY": TEST_SIGNING_KEY,
        "CERTIFICATES_DEV_KEYS_DIR": str(_certificate_keys_dir),
        # Text messages are kept in MemorySmsBackend.outbox (like mail.outbox), emptied for every test.
        "NOTIFY_SMS_BACKEND": "onewindow.notify.backends.MemorySmsBackend",
        # Background work runs at once, inside the request or call that enqueues it (onewindow/jobs).
        "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    }


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path, test_settings):
    settings.MEDIA_ROOT = tmp_path / "media"  # uploads never land in the working tree
    for name, value in test_settings.items():
        setattr(settings, name, value)
    MemorySmsBackend.outbox.clear()
    cache.clear()  # a test's cached results (the forecast's fit) never reach the next, whose ids may repeat


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker, test_settings, tmp_path_factory):
    """For a module fixture writing rows its tests share (slow to write, like a year of history): a transaction
    open from that fixture to the module's last test, rolled back after it. Each test runs in a savepoint inside
    it (`django_db`), so what one test changes is undone before the next. Every test of the module sees the shared
    rows: a test that needs an empty database belongs in another module."""
    media = tmp_path_factory.mktemp("module-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, **test_settings), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="session", autouse=True)
def _postgres_flushes_only_tables_with_rows():
    """After a transactional test Django truncates every table in one statement, which takes seconds on
    PostgreSQL with this many tables. Truncating the tables that hold rows (CASCADE takes the tables
    that refer to them) leaves the same empty database."""
    from django.db import connection
    from django.db.backends.postgresql.operations import DatabaseOperations

    flush = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        def has_rows(cursor, table):
            quoted = self.quote_name(table)  # a name from Django's introspection
            return cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quoted})").fetchone()[0]  # noqa: S608

        with self.connection.cursor() as cursor:
            used = [table for table in tables if has_rows(cursor, table)]
        return flush(self, style, used, reset_sequences=reset_sequences, allow_cascade=True) if used else []

    if connection.vendor != "postgresql":
        yield
        return
    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = flush
