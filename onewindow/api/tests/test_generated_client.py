"""A client generated from /api/openapi.json with openapi-python-client reads the API, as a mini-program team would.

The client is generated into tmp_path, imported, and sent through httpx to the Django WSGI app
(httpx.WSGITransport) with a bearer token. Its post-generation hooks (formatters) are turned off.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from django.test import Client

from onewindow.api.auth import token_issue
from onewindow.api.tests.conftest import Rows
from onewindow.orgs.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.contract]

PACKAGE = "onewindow_app_client"


@pytest.fixture
def generated(tmp_path: Path, monkeypatch: Any) -> Iterator[str]:
    """The generated client's package name, importable from tmp_path."""
    document = tmp_path / "openapi.json"
    document.write_bytes(Client().get("/api/openapi.json").content)
    config = tmp_path / "config.yaml"
    config.write_text("post_hooks: []\n")
    command = [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(document)]
    command += ["--config", str(config), "--meta", "none", "--output-path", str(tmp_path / PACKAGE)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 (our own interpreter)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout, result.stdout
    monkeypatch.syspath_prepend(str(tmp_path))
    yield PACKAGE
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]


def endpoint(package: str, tag: str, operation: str) -> ModuleType:
    return importlib.import_module(f"{package}.api.{tag}.{operation}")


def app_client(package: str, wsgi_app: Any, user: User) -> Any:
    client_module = importlib.import_module(f"{package}.client")
    transport = httpx.WSGITransport(app=wsgi_app)
    return client_module.AuthenticatedClient(
        base_url="http://testserver",
        token=token_issue(user).token,
        raise_on_unexpected_status=True,
        httpx_args={"transport": transport},
    )


def test_a_generated_client_reads_matters_cases_and_tasks_with_a_token(
    generated: str, wsgi_app: Any, rows: Rows
) -> None:
    applicant = app_client(generated, wsgi_app, rows.applicant)
    matters = endpoint(generated, "事项目录", "onewindow_catalogue_api_matter_list").sync(client=applicant)
    assert rows.matter_code in [matter.code for matter in matters.items]
    assert matters.counts.total == matters.count
    guide = endpoint(generated, "事项目录", "onewindow_catalogue_api_matter_detail").sync(
        code=rows.matter_code, client=applicant
    )
    assert guide.code == rows.matter_code and guide.materials

    case_id = rows.ids["case_id"]
    mine = endpoint(generated, "办件", "onewindow_cases_api_read_case_list").sync(client=applicant)
    assert [case.id for case in mine.items] == [case_id]
    assert mine.items[0].warning_level == "normal"
    detail = endpoint(generated, "办件", "onewindow_cases_api_read_case_detail").sync(case_id=case_id, client=applicant)
    assert (detail.id, detail.status) == (case_id, "in_review")
    assert detail.tasks and detail.materials and detail.timeline

    reviewer = app_client(generated, wsgi_app, rows.staff)
    todo = endpoint(generated, "办件", "onewindow_cases_api_read_task_todo").sync(client=reviewer)
    assert rows.ids["task_id"] in [task.id for task in todo.items]
    assert all(task.case_id == case_id for task in todo.items)
