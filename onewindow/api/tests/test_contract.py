"""The API's contract: every answer matches the published OpenAPI document (/api/openapi.json).

Schemathesis calls every operation through the WSGI app with a bearer token, as an app client
does, and checks each answer: no server error, a documented status code and content type, a body
that conforms to the documented schema. It runs three passes over factory-made rows:

- a staff user who holds the clerk, reviewer, department-head, coordinator, supervisor and
  project-office roles calls every operation with generated ids (mostly 404s and 4xx: the
  error bodies must match too);
- the same user calls every operation whose ids it knows (a case, its task, a matter, a project,
  its progress report and problem, a region) with those ids, so that the 200 answers are checked;
- the applicant calls the reads a mini-program makes about their own case.

The examples per operation are bounded (and derandomized) to keep the run short.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from onewindow.api.auth import token_issue
from onewindow.api.tests.conftest import Rows

pytestmark = [pytest.mark.django_db, pytest.mark.contract]

EXAMPLES = 3
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _failures(operation: Any, token: str, path_parameters: dict[str, Any] | None = None) -> list[str]:
    found: list[str] = []
    headers = {"Authorization": f"Bearer {token}"}

    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(case=operation.as_strategy(path_parameters=path_parameters))
    def call(case: Any) -> None:
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as failures:
            found.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {failures}")

    call()
    return found


def test_every_answer_of_the_api_matches_its_openapi_document(wsgi_app: Any, rows: Rows) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 90
    staff_token, applicant_token = token_issue(rows.staff).token, token_issue(rows.applicant).token
    errors = [error for operation in operations for error in _failures(operation, staff_token)]
    for operation in operations:
        names = [parameter.name for parameter in operation.path_parameters]
        if names and all(name in rows.ids for name in names):
            errors += _failures(operation, staff_token, {name: rows.ids[name] for name in names})
    mine = {("GET", "/api/cases/cases"), ("GET", "/api/cases/cases/{case_id}"), ("GET", "/api/orgs/me")}
    for operation in operations:
        if (operation.method.upper(), operation.path) in mine:
            names = [parameter.name for parameter in operation.path_parameters]
            errors += _failures(operation, applicant_token, {name: rows.ids[name] for name in names})
    assert errors == []
