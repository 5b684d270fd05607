"""What a deployment shows and logs: Chinese error pages, a strict Content-Security-Policy, short logs,
and a development checkout whose console command runs without exporting anything."""

import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.views.defaults import server_error

from onewindow.web.log_filters import ClientErrorsWithoutTraceback

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = sorted(ROOT.glob("onewindow/*/templates/**/*.html"))


@pytest.mark.django_db
def test_a_missing_page_is_a_chinese_page_with_the_way_back(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and 'href="/"' in page


@pytest.mark.django_db
def test_a_refused_page_says_why_in_chinese(client):
    from onewindow.orgs.domain import Role
    from onewindow.orgs.tests.factories import RegionFactory, staff

    client.force_login(staff(Role.CLERK, RegionFactory()))
    response = client.get("/audit/")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_a_server_error_page_needs_no_database_and_speaks_chinese():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "系统出错" in response.content.decode()


@pytest.mark.django_db
def test_every_page_carries_a_content_security_policy_without_inline_code(client):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in policy


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT / "onewindow")))
def test_templates_carry_no_inline_script_style_or_handler(template):
    """The policy forbids them: a style attribute or an onclick would silently stop working."""
    text = template.read_text()
    if template.name.endswith("_pdf.html"):  # WeasyPrint's PDFs, never served to a browser
        return
    assert not re.search(r"\sstyle=\"", text), "style attribute: use a class in a static style sheet"
    assert not re.search(r"\son[a-z]+=\"", text), "event handler attribute: use a static script"
    assert not re.search(r"<style[\s>]", text), "style element: use a static style sheet"
    assert not re.search(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")[^>]*>", text), "inline script"


def _record(status: int) -> logging.LogRecord:
    try:
        raise PermissionError("refused")
    except PermissionError:
        record = logging.LogRecord("django.request", logging.WARNING, "", 0, "Forbidden", (), sys.exc_info())
    record.status_code = status
    return record


def test_a_refused_request_logs_one_line_and_a_server_error_keeps_its_traceback():
    refused, failed = _record(403), _record(500)
    log_filter = ClientErrorsWithoutTraceback()
    assert log_filter.filter(refused) and log_filter.filter(failed)
    assert refused.exc_info is None
    assert failed.exc_info is not None


def test_the_console_log_handler_applies_the_filter():
    handler = settings.LOGGING["handlers"]["console"]
    assert handler["filters"] == ["client_errors_without_traceback"]


@pytest.fixture
def development_checkout():
    """The checkout as `make run` leaves it: a .env beside manage.py (made here if it is not there yet)."""
    env_file = ROOT / ".env"
    made = not env_file.exists()
    if made:
        subprocess.run(["make", "-s", ".env"], cwd=ROOT, check=True)  # noqa: S607 - the project's Makefile
    yield
    if made:
        env_file.unlink()


def test_the_console_command_runs_in_a_development_checkout_without_exports(development_checkout):
    from onewindow.web.tests.test_platform import run_onewindow

    result = run_onewindow("check")  # settings and system checks: where SECRET_KEY used to be missing
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert run_onewindow("check", DEBUG="0").returncode != 0  # production stays strict
