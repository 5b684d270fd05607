from __future__ import annotations

import io

import pytest

from onewindow.demo import services
from onewindow.demo.services import demo_load
from onewindow.demo.tests.fakes import skip_catalogue


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo_password(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    return "onewindow-demo"


@pytest.fixture
def loaded(db, demo_password, monkeypatch):
    """The demo city and the printed output, without the catalogue (the slow part, tested on its own)."""
    monkeypatch.setattr(services, "catalogue_import", skip_catalogue)
    out = io.StringIO()
    summary = demo_load(stdout=out)
    return summary, out.getvalue()


@pytest.fixture
def loaded_with_catalogue(db, demo_password):
    out = io.StringIO()
    summary = demo_load(stdout=out)
    return summary, out.getvalue()
