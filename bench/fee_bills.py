"""Fees (一单收费): 1,000 bills computed and issued on PostgreSQL.

A fresh database; one bundle whose stage 1 carries Weihai's seven fees (five collecting departments) and
the demo's policy set (`fees.tests.bills.bill_world`). Each of BILLS cases is submitted and accepted through
the real services: the acceptance opens the bill (seven lines computed under the policies in force, five
fee checks). Then every check is sealed by a reviewer of its department (`fees.services.fee_check_seal`:
the bill row locked, each line signed with the department's ECDSA P-256 seal); the fifth seal issues the
bill (totals, payment code, audit event, the case's timeline row). One client, sequential.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from bench._postgres import django_on, measure_on_fresh_database

TITLE = "Fees (一单收费): 1,000 bills computed, sealed and issued"
POSTGRES_DB = "ow_bench_fee_bills"
BILLS = 1000


def _measure_in_process(db_url: str, var_dir: str, results: Any) -> None:
    django_on(db_url, var_dir)
    from django.conf import settings

    from onewindow.cases.services.intake import case_accept
    from onewindow.cases.tests.factories import clerk_for, form_values, submitted_case
    from onewindow.fees.models import Bill, BillStatus
    from onewindow.fees.services import fee_check_seal
    from onewindow.fees.tests.bills import FEE_FORM, bill_world
    from onewindow.orgs.domain import Role
    from onewindow.orgs.tests.factories import staff

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the applicants' accounts
    world = bill_world()
    reviewers = {dept.pk: staff(Role.REVIEWER, dept) for dept in world.departments.values()}
    cases = [
        submitted_case(bundle_version=world.bundle_version, form_data=form_values(**FEE_FORM)) for _ in range(BILLS)
    ]
    clerk = clerk_for(cases[0].region)
    acceptances: list[float] = []
    opened = time.perf_counter()
    for case in cases:
        t = time.perf_counter()
        case_accept(actor=clerk, case=case)  # opens stage 1 and, with it, the bill
        acceptances.append(time.perf_counter() - t)
    open_s = time.perf_counter() - opened
    bills = list(Bill.objects.order_by("pk"))
    seals: list[float] = []
    issues: list[float] = []
    started = time.perf_counter()
    for bill in bills:
        checks = list(bill.checks.order_by("pk").values_list("pk", "department_id"))
        for i, (check_id, department_id) in enumerate(checks):
            t = time.perf_counter()
            fee_check_seal(actor=reviewers[department_id], check_id=check_id)
            (issues if i == len(checks) - 1 else seals).append(time.perf_counter() - t)
    seal_s = time.perf_counter() - started
    results.put(
        {
            "open_s": open_s,
            "acceptances": sorted(acceptances),
            "seal_s": seal_s,
            "seals": sorted(seals),
            "issues": sorted(issues),
            "issued": Bill.objects.filter(status=BillStatus.ISSUED).count(),
            "codes": Bill.objects.exclude(payment_code=None).values("payment_code").distinct().count(),
        }
    )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def _p95(values: list[float]) -> float:
    return values[int(len(values) * 0.95)]


def run() -> str:
    r, skipped = measure_on_fresh_database(POSTGRES_DB, _measure_in_process, timeout=3000)
    if r is None:
        return skipped
    rows = [
        "| bills | opened (acceptance) s | bills opened/s | acceptance p50 / p95 ms | sealed and issued s "
        "| bills issued/s | seal p50 / p95 ms | issue (last seal) p50 / p95 ms | issued | distinct payment codes |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {BILLS:,} | {r['open_s']:.1f} | {BILLS / r['open_s']:,.1f} "
        f"| {_ms(statistics.median(r['acceptances']))} / {_ms(_p95(r['acceptances']))} | {r['seal_s']:.1f} "
        f"| {BILLS / r['seal_s']:,.1f} | {_ms(statistics.median(r['seals']))} / {_ms(_p95(r['seals']))} "
        f"| {_ms(statistics.median(r['issues']))} / {_ms(_p95(r['issues']))} | {r['issued']:,} | {r['codes']:,} |",
    ]
    return (
        "\n".join(rows) + "\n\nPostgreSQL, one client. Opening a bill is part of the case's acceptance: the acceptance "
        "(stage 1's four review tasks and, with them, the bill: seven lines computed under the policies in force, "
        "five checks) is timed, the submissions before it are not. Each bill has five "
        "checks: four seals and the fifth, which also issues the bill (payment code, totals, audit event, the "
        "case's timeline row under the case lock). A seal signs each of its lines with the department's ECDSA "
        "P-256 key.\n"
    )
