from __future__ import annotations

import pytest

from onewindow.audit import signing
from onewindow.audit.tests.pytest_plugin import audit_triggers_lifted_for_flush  # noqa: F401 - a fixture

TEST_KEY = signing.generate_private_key_pem().decode()


@pytest.fixture(autouse=True)
def audit_settings(settings, tmp_path):
    settings.AUDIT_SIGNING_KEY = TEST_KEY
    settings.AUDIT_SIGNING_KEY_FILE = ""
    settings.VAR_DIR = tmp_path
    settings.AUDIT_HASH_ALGORITHM = "sm3"
    return settings
