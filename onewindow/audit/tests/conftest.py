from __future__ import annotations

import pytest

from onewindow.audit import registry, signing
from onewindow.audit.tests.pytest_plugin import audit_triggers_lifted_for_flush  # noqa: F401 - a fixture

TEST_KEY = signing.generate_private_key_pem().decode()


@pytest.fixture(autouse=True)
def audit_settings(settings, tmp_path):
    settings.AUDIT_SIGNING_KEY = TEST_KEY
    settings.AUDIT_SIGNING_KEY_FILE = ""
    settings.VAR_DIR = tmp_path
    settings.AUDIT_HASH_ALGORITHM = "sm3"
    return settings


@pytest.fixture(autouse=True)
def no_registered_consistency_checks(monkeypatch):
    """The log these tests write has streams named like cases' (case:1) without the cases: the apps'
    own checks are tested with their apps (e.g. cases/tests/test_audit_consistency.py)."""
    monkeypatch.setattr(registry, "_CONSISTENCY_CHECKS", {})
