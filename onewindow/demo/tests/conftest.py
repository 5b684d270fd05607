"""The demo loaded for a module's tests: once per module (`loaded`, `loaded_with_catalogue`, on `module_db`),
what a test changes undone before the next. The slow parts each have their own module (WITH_*)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from onewindow.demo import services
from onewindow.demo.services import DemoSummary, demo_load
from onewindow.demo.tests.fakes import skip_catalogue, skip_key_projects

# A year of key-project reports, and a year of bills walking twelve projects through every stage: loaded only in
# their own modules.
WITH_KEY_PROJECTS, WITH_FEE_STORY = ("test_key_projects",), ("test_fee_story",)
# The halls' past four weeks (three quarters of a demo load's time): loaded with the catalogue (the whole demo)
# and in the modules that read them or load the demo again on a later day (which closes the earlier days' queues).
WITH_QUEUE_HISTORY = ("test_queue_history", "test_key_projects")

Loaded = tuple[DemoSummary, str]


def _leave_out(patch: pytest.MonkeyPatch, module: str, *, whole: bool, catalogue: bool) -> None:
    """What `module`'s loads leave out: the slow parts but in their own modules (all but the key projects and the
    fee story when `whole`), and the catalogue unless `catalogue`."""
    if module not in WITH_KEY_PROJECTS:
        patch.setattr(services, "key_projects_load", skip_key_projects)
    if module not in WITH_FEE_STORY:
        patch.setattr(services, "fee_story_load", lambda **kwargs: 0)
    if not whole and module not in WITH_QUEUE_HISTORY:
        patch.setattr(services, "queue_history_load", lambda **kwargs: 0)
    if not catalogue:
        patch.setattr(services, "demo_catalogue_import", skip_catalogue)


def _module(request) -> str:
    return request.module.__name__.rsplit(".", 1)[-1]


@pytest.fixture(autouse=True)
def without_slow_parts(request, monkeypatch):
    """A test loading the demo again loads what the demo it was given has."""
    names = request.fixturenames
    _leave_out(monkeypatch, _module(request), whole="loaded_with_catalogue" in names, catalogue="loaded" not in names)


@pytest.fixture
def demo_password(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    return "onewindow-demo"


def _loaded_once(request, *, whole: bool) -> Iterator[Loaded]:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("DEMO_PASSWORD", raising=False)
        _leave_out(patch, _module(request), whole=whole, catalogue=whole)
        out = io.StringIO()
        summary = demo_load(stdout=out)
        yield summary, out.getvalue()


@pytest.fixture(scope="module")
def _demo_city(request, module_db):
    yield from _loaded_once(request, whole=False)


@pytest.fixture(scope="module")
def _demo_city_with_catalogue(request, module_db):
    yield from _loaded_once(request, whole=True)


@pytest.fixture
def loaded(_demo_city, db, demo_password) -> Loaded:
    """The demo city and the printed output, without the catalogue and the halls' past weeks (the slow parts,
    tested on their own)."""
    return _demo_city


@pytest.fixture
def loaded_with_catalogue(_demo_city_with_catalogue, db, demo_password) -> Loaded:
    """The whole demo but the parts loaded in their own modules (WITH_*)."""
    return _demo_city_with_catalogue
