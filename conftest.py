"""Settings the tests share: DEBUG on for a predictable environment, fast password hashing."""

import os

import pytest

os.environ.setdefault("DEBUG", "1")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
