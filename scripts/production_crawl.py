"""What scripts/production_check.py asks of a running deployment: pages by links, static files, the API
with a bearer token, and a browser under the Content-Security-Policy."""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from onewindow.web.tests.chromium import CHROMIUM, CHROMIUM_ARGS

PAGES_PER_USER = 40
# Links a crawl must not follow: they end the session or change the language, or lead off the platform.
SKIPPED = re.compile(r"^/(accounts/logout|i18n/|admin/logout)|/delete/|\.(xlsx|docx|pdf)$")
MANIFEST_NAME = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")  # ManifestStaticFilesStorage's hashed names


class Links(HTMLParser):
    """The same-site links (a href, hx-get) and static files (link href, script src, img src) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.pages: list[str] = []
        self.fragments: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "a" and values.get("href", "").startswith("/"):
            self.pages.append(values["href"])
        if values.get("hx-get", "").startswith("/"):
            self.fragments.append(values["hx-get"])
        for name in ("src", "href"):
            if values.get(name, "").startswith("/static/") and tag in {"link", "script", "img"}:
                self.assets.append(values[name])


class Client:
    """One user's session (cookies kept, the CSRF token sent with a form)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()]
        self.opener = urllib.request.build_opener(*handlers)

    def request(
        self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str, dict[str, str]]:
        """The answer's status, body and headers (a redirect is an answer of its own, not followed)."""
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), dict(error.headers)

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
        return self.request(path, headers=headers)

    def csrf_token(self) -> str:
        return next((cookie.value or "" for cookie in self.cookies if cookie.name == "csrftoken"), "")

    def log_in(self, username: str, password: str) -> bool:
        self.get("/accounts/login/")
        form = {"username": username, "password": password, "csrfmiddlewaretoken": self.csrf_token()}
        status, _body, _headers = self.request("/accounts/login/", urllib.parse.urlencode(form).encode())
        return status == 302


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the crawl follows a redirect itself, when it stays on the site


@dataclass
class Crawler:
    base_url: str
    password: str
    problems: list[str] = field(default_factory=list)
    assets: set[str] = field(default_factory=set)
    page_count: int = 0

    def crawl(self, username: str, starts: list[str]) -> None:
        client = Client(self.base_url)
        if username and not client.log_in(username, self.password):
            self.problems.append(f"{username}: could not log in")
            return
        # The limit counts pages fetched, not links found: a long menu must not end the crawl before it starts.
        queue, seen, fetched = deque(["/", *starts]), {"/", *starts}, 0
        while queue and fetched < PAGES_PER_USER:
            path = queue.popleft()
            fetched += 1
            for link in self.visit(client, username or "anonymous", path):
                if link not in seen and not SKIPPED.search(urllib.parse.urlsplit(link).path):
                    seen.add(link)
                    queue.append(link)

    def visit(self, client: Client, who: str, path: str) -> list[str]:
        """Fetch a page; a problem unless it answers 200 (or redirects within the site); its links."""
        status, body, headers = client.get(path)
        self.page_count += 1
        if status in {301, 302}:
            location = headers.get("Location", "")
            return [location] if location.startswith("/") else []
        if status != 200:
            self.problems.append(f"{who}: {path} answered {status}")
            return []
        if "text/html" not in headers.get("Content-Type", ""):
            return []
        if "default-src 'self'" not in headers.get("Content-Security-Policy", ""):
            self.problems.append(f"{who}: {path} has no Content-Security-Policy")
        links = Links()
        links.feed(body)
        for fragment in links.fragments:
            self.visit_fragment(client, who, fragment)
        for asset in set(links.assets) - self.assets:
            self.check_asset(client, asset)
        return links.pages

    def visit_fragment(self, client: Client, who: str, path: str) -> None:
        status, _body, _headers = client.get(path, headers={"HX-Request": "true"})
        self.page_count += 1
        if status != 200:
            self.problems.append(f"{who}: fragment {path} answered {status}")

    def check_asset(self, client: Client, path: str) -> None:
        self.assets.add(path)
        status, _body, headers = client.get(path)
        if status != 200 or not MANIFEST_NAME.search(urllib.parse.urlsplit(path).path):
            self.problems.append(f"static file {path} answered {status} (a manifest name is expected)")
        elif "immutable" not in headers.get("Cache-Control", ""):
            self.problems.append(f"static file {path} is not served as immutable")


def check_api(base_url: str, password: str) -> list[str]:
    """An app client: a token from the API, then reads and a write with `Authorization: Bearer`, no session."""
    client = Client(base_url)
    credentials = json.dumps({"username": "linxiaowen", "password": password}).encode()
    status, body, _headers = client.request("/api/cases/auth/token", credentials, {"Content-Type": "application/json"})
    if status != 200:
        return [f"API: POST /api/cases/auth/token answered {status}"]
    bearer = {"Authorization": f"Bearer {json.loads(body)['token']}"}
    app = Client(base_url)
    problems = []
    for path in ("/api/cases/cases", "/api/orgs/me", "/api/catalogue/matters", "/api/openapi.json"):
        status, body, _headers = app.get(path, headers=bearer)
        if status != 200:
            problems.append(f"API with a token: GET {path} answered {status}")
    code = json.loads(app.get("/api/catalogue/matters", headers=bearer)[1])["items"][0]["code"]
    version_id = json.loads(app.get(f"/api/catalogue/matters/{code}", headers=bearer)[1])["version_id"]
    applicant_id = json.loads(app.get("/api/orgs/me", headers=bearer)[1])["applicants"][0]["id"]
    fields = {"channel": "online", "matter_version_id": version_id, "applicant_id": applicant_id}
    draft = urllib.parse.urlencode(fields).encode()
    form = {"Content-Type": "application/x-www-form-urlencoded", **bearer}
    status, body, _headers = app.request("/api/cases/drafts", draft, form)
    if status != 201:
        problems.append(f"API with a token: POST /api/cases/drafts answered {status}: {body[:200]}")
    return problems


# Pages whose scripts and styles matter most: charts, the timeline, the API's docs, the admin's forms.
BROWSER_PAGES = {
    "": ["/", "/catalogue/", "/ranking/board/", "/api/docs"],
    "linxiaowen": ["/cases/mine/"],
    "project_office": ["/ranking/dashboard/", "/projects/", "/briefings/"],
    "sysadmin": ["/admin/", "/admin/orgs/organisation/1/change/"],
}


def browser_pass(base_url: str, password: str) -> list[str]:
    """Debian's Chromium opens the pages above; whatever the CSP refused, or a script error, is a problem."""
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for username, paths in BROWSER_PAGES.items():
            context = chromium.new_context(base_url=base_url, locale="zh-CN")
            problems += _open_pages(context.new_page(), username, password, paths)
            context.close()
        chromium.close()
    return problems


def _open_pages(page: Any, username: str, password: str, paths: list[str]) -> list[str]:
    problems: list[str] = []

    def keep(kind: str, text: str) -> None:
        if kind == "error" or "Content Security Policy" in text:
            problems.append(f"browser at {page.url} as {username or 'anonymous'}: {text}")

    page.on("console", lambda message: keep(message.type, message.text))
    page.on("pageerror", lambda error: keep("error", f"script error {error}"))
    if username:
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for path in paths:
        page.goto(path, wait_until="networkidle")
    return problems
