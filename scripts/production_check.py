"""Production mode as an operator runs it, from this checkout: DEBUG=0, collectstatic, migrate, the demo
city, gunicorn (plain HTTP on the loopback). Then every page the demo's users can reach by links is
fetched and must answer, every static file a page names must come from the manifest storage, the API
must answer a bearer token, and a real browser must find nothing the Content-Security-Policy refuses.

    .venv/bin/python scripts/production_check.py      (make test runs it; about two minutes)
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from production_crawl import Crawler, browser_pass, check_api  # noqa: E402

PASSWORD = "onewindow-demo"  # noqa: S105 - the demo accounts' published password (`onewindow demo`)
# Each demo user, and where their work starts (the crawl follows links from there and from /).
USERS = {
    "": [
        "/catalogue/",
        "/ranking/board/",
        "/evaluation/public/",
        "/verify/",
        "/fees/",
        "/fees/estimate/",
        "/fees/savings/",
    ],
    "linxiaowen": ["/cases/mine/", "/halls/book/", "/fees/mine/"],
    "wujiacheng": ["/certificates/mine/", "/evaluation/mine/", "/fees/mine/"],
    "reviewer_rf": ["/fees/checks/"],
    "finance_cz": ["/fees/reconciliation/", "/fees/savings/list/"],
    "reviewer_scjg": ["/evaluation/follow-ups/", "/certificates/"],
    "clerk": ["/cases/intake/", "/cases/received/", "/halls/desk/", "/tickets/", "/tickets/figures/"],
    "clerk_990102001": ["/cases/received/", "/halls/desk/"],
    "reviewer_zj": ["/cases/tasks/"],
    "lead_zj": ["/cases/tasks/"],
    "supervisor": ["/cases/supervision/", "/analytics/bottlenecks/"],
    "project_office": ["/projects/", "/dispatch/", "/ranking/", "/ranking/dashboard/", "/briefings/"],
    "leader": ["/analytics/", "/analytics/reforms/", "/analytics/report/", "/projects/mine/"],
    "office_990124": ["/ranking/warnings/"],
    "secretary_990102_1": ["/dispatch/"],
    "sysadmin": ["/admin/", "/halls/desk/", "/fees/policies/"],
    "auditadmin": ["/audit/"],
}


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="onewindow-production-") as var:
        env = production_environment(Path(var))
        for command in (["collectstatic", "--no-input"], ["migrate", "--no-input"], ["demo", "--force"]):
            print(f"== onewindow {' '.join(command)}", flush=True)
            onewindow = [sys.executable, "-m", "onewindow", *command, "-v", "0"]
            subprocess.run(onewindow, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        with gunicorn(env) as base_url:
            crawler = Crawler(base_url, PASSWORD)
            for username, starts in USERS.items():
                crawler.crawl(username, starts)
            problems = crawler.problems + check_api(base_url, PASSWORD) + browser_pass(base_url, PASSWORD)
    print(f"== {crawler.page_count} pages and {len(crawler.assets)} static files fetched")
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    return 1 if problems else 0


def production_environment(var: Path) -> dict[str, str]:
    key = var / "audit-signing-key.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", str(key)], check=True)  # noqa: S603,S607
    return {
        **{name: value for name, value in os.environ.items() if not name.startswith(("DEBUG", "DATABASE_URL"))},
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "ONEWINDOW_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'onewindow.sqlite3'}",
        "AUDIT_SIGNING_KEY_FILE": str(key),
        # Plain HTTP on the loopback: no TLS here (check --deploy holds the TLS settings to production's).
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "NOTIFY_SMS_BACKEND": "onewindow.notify.backends.ConsoleSmsBackend",
        # A throwaway CA and seals, as a staging deployment would have (check --deploy warns of it).
        "CERTIFICATES_DEV_KEYS_DIR": str(var / "certificates"),
        # The simulated payment provider, as a staging deployment would have it (check --deploy warns of it).
        "FEES_SIMULATED_SECRET": secrets.token_urlsafe(32),
    }


@contextlib.contextmanager
def gunicorn(env: dict[str, str]) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "gunicorn", "onewindow.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"]
    command += ["--log-level", "warning"]
    server = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603
    try:
        wait_until_listening(port, server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_until_listening(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before it served")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.2)
    raise SystemExit("gunicorn did not listen within 60 s")


if __name__ == "__main__":
    sys.exit(main())
