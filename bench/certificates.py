"""Electronic certificates (统一发证): issuing one certificate (render, e-seal, SM2, store) and verifying one,
beside rendering the same page to PDF without signing, in the same warm process.

A temporary SQLite database and key directory; N approved cases through the real services (the task
backend held, so the certificates wait as pending); one certificate rendered and sealed first to warm
the process (fonts, templates, keys). Then, per certificate, in turn: the page rendered to PDF
(`certificate_pdf`, what issuing starts with) and the whole issue (`certificate_seal`: render again,
PAdES seal, SM2 over the data, file stored, row and audit event written); then the sealed PDF verified
(`verify_pdf`: pyHanko validation against the trust root, stored hash, SM2).
Goals: signing and storing add at most 50% to the render; a warm process issues in under 1 s.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time

TITLE = "Certificates (统一发证): issue and verify one certificate"
COUNT = 12


def _setup(folder: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["ONEWINDOW_VAR_DIR"] = folder
    os.environ["CERTIFICATES_DEV_KEYS_DIR"] = f"{folder}/keys"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = f"{folder}/media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    call_command("migrate", verbosity=0)


def _pending(count: int) -> list[int]:
    from onewindow.cases.tests.factories import published_matter
    from onewindow.certificates.models import Certificate
    from onewindow.certificates.tests.factories import approved_case, certificate_type_for

    version = published_matter()
    certificate_type_for(version)
    for _ in range(count):
        approved_case(with_type=False, matter_version=version)
    return list(Certificate.objects.filter(status="pending").order_by("pk").values_list("pk", flat=True))


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def _measure() -> dict[str, list[float]]:
    from django.utils import timezone

    from onewindow.certificates.document.render import certificate_pdf
    from onewindow.certificates.models import Certificate
    from onewindow.certificates.services import certificate_seal
    from onewindow.certificates.services.common import printable
    from onewindow.certificates.verification import verify_pdf

    ids = _pending(COUNT + 1)
    first = ids.pop(0)
    times: dict[str, list[float]] = {"cold": [], "render": [], "issue": [], "verify": []}
    started = time.perf_counter()
    certificate_seal(certificate_id=first)  # fonts, templates, keys loaded
    times["cold"].append(time.perf_counter() - started)
    today = timezone.localdate()
    for pk in ids:
        row = Certificate.objects.select_related("certificate_type", "department__parent").get(pk=pk)
        started = time.perf_counter()
        certificate_pdf(printable(row, today))
        times["render"].append(time.perf_counter() - started)
        started = time.perf_counter()
        certificate_seal(certificate_id=pk)
        times["issue"].append(time.perf_counter() - started)
    for pk in ids:
        with Certificate.objects.get(pk=pk).pdf.open("rb") as handle:
            content = handle.read()
        started = time.perf_counter()
        verdict = verify_pdf(content)
        times["verify"].append(time.perf_counter() - started)
        assert verdict.valid, verdict.reason
    return times


def run() -> str:
    folder = tempfile.mkdtemp(prefix="ow-bench-certificates-")
    try:
        _setup(folder)
        times = _measure()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    render, issue = statistics.median(times["render"]), statistics.median(times["issue"])
    overhead = (issue - render) / render
    rows = [
        "| step | median ms | mean ms | max ms |",
        "|---|---:|---:|---:|",
        *(
            f"| {label} | {_ms(statistics.median(times[k]))} | {_ms(statistics.mean(times[k]))} "
            f"| {_ms(max(times[k]))} |"
            for label, k in (
                ("render the page to PDF, no signing (`certificate_pdf`)", "render"),
                ("issue: render + PAdES seal + SM2 + store + row and audit event (`certificate_seal`)", "issue"),
                ("verify an uploaded PDF (`verify_pdf`: pyHanko + stored hash + SM2)", "verify"),
                ("first issue in a fresh process (fonts, templates, keys loaded)", "cold"),
            )
        ),
    ]
    goal_overhead = "met" if overhead <= 0.5 else "NOT met"
    goal_second = "met" if issue < 1.0 else "NOT met"
    return (
        "\n".join(rows) + f"\n\n{len(times['issue'])} certificates, SQLite, one process. Signing and storing add "
        f"**{overhead:.0%}** to the render (goal ≤ 50%: {goal_overhead}); a warm process issues one in "
        f"**{_ms(issue)} ms** (goal < 1 s: {goal_second}).\n"
    )
