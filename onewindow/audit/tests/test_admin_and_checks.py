from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from onewindow.audit import checks
from onewindow.audit.tests.factories import record, staff
from onewindow.orgs.domain import Role

pytestmark = pytest.mark.django_db


def test_the_audit_admin_reads_events_in_django_admin_but_cannot_change_them(client):
    [event] = record("case:1")
    client.force_login(staff(Role.AUDIT_ADMIN))
    assert client.get(reverse("admin:audit_event_changelist")).status_code == 200
    detail = client.get(reverse("admin:audit_event_change", args=[event.pk]))
    assert detail.status_code == 200 and 'name="_save"' not in detail.text
    assert client.get(reverse("admin:audit_event_add")).status_code == 403
    assert client.get(reverse("admin:audit_checkpoint_changelist")).status_code == 200


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN])
def test_other_admins_never_reach_the_audit_admin_pages(client, role):
    client.force_login(staff(role))
    assert client.get(reverse("admin:audit_event_changelist")).status_code == 403
    assert client.get(reverse("admin:audit_checkpoint_changelist")).status_code == 403


def test_without_debug_a_missing_signing_key_is_an_error_naming_the_variable(settings):
    settings.DEBUG = False
    settings.AUDIT_SIGNING_KEY = ""
    [error] = checks.check_signing_key()
    assert error.id == "audit.E002" and "AUDIT_SIGNING_KEY_FILE" in error.msg
    settings.DEBUG = True
    assert checks.check_signing_key() == []


def test_an_unusable_signing_key_is_reported(settings):
    settings.AUDIT_SIGNING_KEY_FILE = "/nonexistent/key.pem"
    settings.AUDIT_SIGNING_KEY = ""
    [error] = checks.check_signing_key()
    assert error.id == "audit.E003"


def test_a_hash_algorithm_the_platform_cannot_compute_stops_start_up(settings):
    settings.AUDIT_HASH_ALGORITHM = "md5"
    [error] = checks.check_hash_algorithm()
    assert error.id == "audit.E001" and "md5" in error.msg
    with pytest.raises(ImproperlyConfigured, match="AUDIT_HASH_ALGORITHM='md5'"):
        apps.get_app_config("audit").ready()
    settings.AUDIT_HASH_ALGORITHM = "sha256"
    assert checks.check_hash_algorithm() == []
