"""Loading the demo into an empty database: the password from the environment, the catalogue import's outcome
reported (each test loads its own demo, so none shares the demo of `test_services`)."""

from __future__ import annotations

import io

import pytest

from onewindow.demo import services
from onewindow.demo.services import demo_load
from onewindow.demo.tests.fakes import skip_catalogue
from onewindow.demo.tests.test_services import logs_in

pytestmark = pytest.mark.django_db


def test_password_comes_from_the_environment_and_is_printed(db, client, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "yunchuan-2026")
    monkeypatch.setattr(services, "demo_catalogue_import", skip_catalogue)
    out = io.StringIO()

    demo_load(stdout=out)

    assert logs_in(client, "leader", "yunchuan-2026")
    assert "yunchuan-2026" in out.getvalue()


class FakeReport:
    def __init__(self, errors=()):
        self.errors = list(errors)
        self.created = 0 if errors else 95
        self.updated = 0
        self.unchanged = 0


def test_the_catalogue_is_imported_and_published_by_the_system_admin(db, monkeypatch):
    calls = []

    def fake_import(*, actor, sheets, publish):
        calls.append((actor.username, sheets, publish))
        return FakeReport()

    monkeypatch.setattr(services, "catalogue_import", fake_import)

    summary = demo_load(stdout=io.StringIO())

    [(username, sheets, publish)] = calls
    assert username == "sysadmin" and publish is True
    assert list(sheets) == ["事项", "材料", "表单", "一件事"]
    assert summary.catalogue_created == 95 and summary.catalogue_errors == []


def test_catalogue_errors_are_reported_row_by_row(db, monkeypatch):
    class RowError:
        sheet, row, message = "事项", 7, "承诺时限不能超过法定时限"

    monkeypatch.setattr(services, "demo_catalogue_import", lambda **kwargs: FakeReport([RowError()]))
    out = io.StringIO()

    summary = demo_load(stdout=out)

    assert summary.catalogue_errors == ["“事项”第 7 行：承诺时限不能超过法定时限"]
    assert "导入错误：“事项”第 7 行" in out.getvalue()
