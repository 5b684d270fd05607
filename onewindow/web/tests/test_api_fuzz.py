"""Schemathesis over the platform's whole OpenAPI (/api/openapi.json): no request makes a server error.

Every operation is called through the WSGI app with a small number of generated examples, as a
staff user who holds the clerk, reviewer, department-head, coordinator and supervisor roles (bearer
token for the token endpoints, session cookie for the others) over a district with one accepted
bundle case in it, so that ids and permission checks meet real rows. 4xx answers are fine (the
input is mostly invalid by design); a 5xx is a bug.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from onewindow.api.auth import token_issue
from onewindow.cases.tests.factories import accepted_case
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Membership

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 4
INT64_MAX = 2**63 - 1
CSRF_SECRET = "fuzz" * 8  # 32 characters: the cookie's secret, sent back in the header


def _staff_headers() -> tuple[dict[str, str], dict[str, str]]:
    case = accepted_case(bundle=True)
    clerk = Membership.objects.filter(organisation=case.region, role=Role.CLERK).select_related("user").first()
    assert clerk is not None
    user = clerk.user
    for role in (Role.REVIEWER, Role.DEPARTMENT_HEAD, Role.LEAD_COORDINATOR, Role.SUPERVISOR):
        Membership.objects.create(user=user, organisation=case.region, role=role)
    client = Client()
    client.force_login(user)
    cookies = {
        django_settings.SESSION_COOKIE_NAME: client.cookies[django_settings.SESSION_COOKIE_NAME].value,
        django_settings.CSRF_COOKIE_NAME: CSRF_SECRET,
    }
    return {"Authorization": f"Bearer {token_issue(user).token}", "X-CSRFToken": CSRF_SECRET}, cookies


def _server_errors(operation: Any, headers: dict[str, str], cookies: dict[str, str]) -> list[str]:
    found: list[str] = []

    @hypothesis_settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(case=operation.as_strategy())
    def call(case: Any) -> None:
        response = case.call(headers=headers, cookies=cookies)
        if response.status_code >= 500:
            found.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {case.as_curl_command()}")

    call()
    return found


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """The project's WSGI app, keeping the test's connection open across requests (as Django's test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_no_operation_of_the_api_answers_with_a_server_error(wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    headers, cookies = _staff_headers()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 10
    errors = [error for operation in operations for error in _server_errors(operation, headers, cookies)]
    assert errors == []


@pytest.mark.django_db
def test_an_offset_beyond_any_page_is_a_client_error_not_a_crash(client):
    response = client.get("/api/catalogue/matters", {"offset": str(2**70)})
    assert response.status_code < 500
