"""A real browser for the end-to-end tests: Debian's Chromium driven by Playwright (never a
downloaded browser), one logged-in context per user. The root conftest loads this module as a plugin, so a test
takes the `browser` fixture and marks itself:

    pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
                  pytest.mark.usefixtures("browser_test_settings")]
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from onewindow.orgs.models import User
from onewindow.web.tests.chromium import CHROMIUM, CHROMIUM_ARGS

# Playwright's sync API runs an event loop in this thread; Django's ORM calls here are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

PASSWORD = "pass-for-tests"  # the factories' password
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture
def browser_test_settings(settings: Any) -> Iterator[None]:
    """Fast password hashing (every user logs in through the page), and the live server's
    connections closed per request: it answers each request in a thread of its own, and with
    CONN_MAX_AGE 0 none is left open when the test database is dropped."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    database = connections.databases["default"]
    kept = database["CONN_MAX_AGE"]
    database["CONN_MAX_AGE"] = 0
    yield
    database["CONN_MAX_AGE"] = kept


@pytest.fixture
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: the browser test must run in CI")
        pytest.skip(f"{CHROMIUM} is missing (install Debian's chromium package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # The test's ORM calls ran beside Playwright's event loop, so asgiref gave them connections of
        # their own: close them here, or PostgreSQL refuses to drop the test database at the end.
        connections.close_all()


class Session:
    """One user's browser context, logged in through the login page."""

    def __init__(self, browser: Any, base_url: str, user: User, viewport: dict[str, int] | None = None) -> None:
        options = {"viewport": viewport} if viewport else {}
        self.context = browser.new_context(base_url=base_url, locale="zh-CN", **options)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        # What the Content-Security-Policy refused (an inline style, a script from elsewhere), as Chromium reports it.
        self.refused: list[str] = []
        self.page.on("console", self._keep_refusal)
        self.page.goto("/accounts/login/")
        self.page.fill("#id_username", user.username)
        self.page.fill("#id_password", PASSWORD)
        self.page.get_by_role("button", name="登录").click()
        self.page.wait_for_url(lambda url: "/accounts/login/" not in url)

    def _keep_refusal(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.refused.append(f"{self.page.url}: {message.text}")


# A phone as most applicants hold it (the width of an iPhone 12 to 15): the applicant's pages must work there.
PHONE = {"width": 390, "height": 844}


class Sessions:
    """Each user logs in once, in a browser context of their own, and keeps it for their later steps
    (`viewport=PHONE` for a phone's screen; an office screen otherwise)."""

    def __init__(self, browser: Any, base_url: str, viewport: dict[str, int] | None = None) -> None:
        self.browser, self.base_url, self.viewport = browser, base_url, viewport
        self.open: dict[int, Session] = {}

    def page(self, user: User) -> Any:
        if user.pk not in self.open:
            self.open[user.pk] = Session(self.browser, self.base_url, user, self.viewport)
        return self.open[user.pk].page

    def close(self) -> None:
        """Close every context; fail if the Content-Security-Policy refused anything a page needed."""
        refused = [text for session in self.open.values() for text in session.refused]
        for session in self.open.values():
            session.context.close()
        assert not refused, "\n".join(refused)
