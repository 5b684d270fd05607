"""`onewindow demo`: refuses outside DEBUG unless forced, fails loudly on catalogue errors."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from onewindow.demo import services
from onewindow.demo.tests.fakes import skip_catalogue
from onewindow.orgs.models import Organisation, User

pytestmark = pytest.mark.django_db


def test_refuses_to_create_demo_accounts_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo", stdout=io.StringIO())

    assert not User.objects.exists()


def test_loads_with_force_even_when_debug_is_off(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setattr(services, "demo_catalogue_import", skip_catalogue)
    out = io.StringIO()

    call_command("demo", "--force", stdout=out)

    assert Organisation.objects.filter(code="9901").exists()
    assert "演示账号" in out.getvalue()


def test_fails_when_the_catalogue_import_reports_errors(settings, monkeypatch):
    settings.DEBUG = True

    class Report:
        errors = ["“材料”第 3 行:材料形式无效"]
        created = updated = unchanged = 0

    monkeypatch.setattr(services, "demo_catalogue_import", lambda **kwargs: Report())
    out = io.StringIO()

    with pytest.raises(CommandError, match="1 处错误"):
        call_command("demo", stdout=out)

    assert "材料形式无效" in out.getvalue()
