from __future__ import annotations

import io

import pytest

from onewindow.demo import services
from onewindow.demo.queue_history import queue_history_load
from onewindow.demo.services import demo_load
from onewindow.demo.tests.fakes import skip_catalogue, skip_key_projects


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def without_key_projects(request, monkeypatch):
    """The key projects load a year of reports: only test_key_projects.py loads them."""
    if request.module.__name__.endswith("test_key_projects"):
        return
    monkeypatch.setattr(services, "key_projects_load", skip_key_projects)


@pytest.fixture(autouse=True)
def without_fee_story(request, monkeypatch):
    """A year of bills walks twelve projects through every stage: only test_fee_story.py loads it."""
    if request.module.__name__.endswith("test_fee_story"):
        return
    monkeypatch.setattr(services, "fee_story_load", lambda **kwargs: 0)


# The halls' past four weeks (three quarters of a demo load's time): loaded by the whole demo
# (`loaded_with_catalogue`) and in the modules that read them or load the demo again on a later day (which
# closes the earlier days' queues).
WITH_QUEUE_HISTORY = ("test_queue_history", "test_key_projects")


@pytest.fixture(autouse=True)
def without_queue_history(request, monkeypatch):
    if request.module.__name__.rsplit(".", 1)[-1] in WITH_QUEUE_HISTORY:
        return
    monkeypatch.setattr(services, "queue_history_load", lambda **kwargs: 0)


@pytest.fixture
def demo_password(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    return "onewindow-demo"


@pytest.fixture
def loaded(db, demo_password, monkeypatch):
    """The demo city and the printed output, without the catalogue and the halls' past weeks (the slow parts,
    tested on their own)."""
    monkeypatch.setattr(services, "demo_catalogue_import", skip_catalogue)
    out = io.StringIO()
    summary = demo_load(stdout=out)
    return summary, out.getvalue()


@pytest.fixture
def loaded_with_catalogue(db, demo_password, monkeypatch):
    monkeypatch.setattr(services, "queue_history_load", queue_history_load)
    out = io.StringIO()
    summary = demo_load(stdout=out)
    return summary, out.getvalue()
