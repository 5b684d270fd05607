import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run_onewindow(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}} | env
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "onewindow", *args], capture_output=True, text=True, cwd=ROOT, env=environment
    )


def test_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_onewindow("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_the_home_page_speaks_chinese_and_carries_a_request_id(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "一窗受理政务服务平台" in response.content.decode()
    assert response["Content-Language"] == "zh-hans"
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_the_home_page_leads_a_visitor_to_the_common_services(client):
    page = client.get("/").content.decode()
    for label, url in [("预约办事", "/halls/book/"), ("收费测算", "/fees/estimate/"), ("证照核验", "/verify/")]:
        assert f'href="{url}">{label}</a>' in page


@pytest.mark.django_db
def test_keeps_a_proxys_request_id(client):
    response = client.get("/", headers={"X-Request-ID": "gateway-42"})
    assert response["X-Request-ID"] == "gateway-42"


@pytest.mark.django_db
def test_the_api_publishes_its_openapi_description(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "onewindow API"
    assert "/api/orgs/me" in schema["paths"]


@pytest.mark.django_db
def test_api_errors_carry_a_stable_code_and_a_chinese_message(client):
    response = client.get("/api/orgs/me")
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "message": "请先登录", "errors": []}


@pytest.mark.django_db
def test_a_signed_in_audit_admin_sees_the_audit_log_link_but_not_the_admin(client):
    from onewindow.orgs.domain import Role
    from onewindow.orgs.tests.factories import RegionFactory, staff

    client.force_login(staff(Role.AUDIT_ADMIN, RegionFactory()))
    page = client.get("/").content.decode()

    assert "审计管理员" in page
    assert "/audit/" in page
    assert "/admin/" not in page


def test_every_asset_the_page_shell_loads_is_served_locally():
    import re

    from django.contrib.staticfiles import finders

    shell = (ROOT / "onewindow/web/templates/web/base.html").read_text()
    assets = re.findall(r"\{% static '([^']+)' %\}", shell)

    assert assets
    assert [asset for asset in assets if finders.find(asset) is None] == []
    assert "http" not in "".join(re.findall(r'(?:src|href)="(http[^"]*)"', shell))


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_english_is_chosen(client):
    first = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert first["Content-Language"] == "zh-hans"

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    chosen = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert chosen["Content-Language"] == "en"
