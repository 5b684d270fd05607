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
    from onewindow.fees.models import Bill, BillStatus
    from onewindow.fees.services import fee_check_seal
    from onewindow.fees.tests.bills import bill_world, case_with_bill
    from onewindow.orgs.domain import Role
    from onewindow.orgs.tests.factories import staff

    world = bill_world()
    reviewers = {dept.pk: staff(Role.REVIEWER, dept) for dept in world.departments.values()}
    opened = time.perf_counter()
    bills = [case_with_bill(world)[1] for _ in range(BILLS)]
    open_s = time.perf_counter() - opened
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
        "| bills | opened (accept + compute) s | bills opened/s | sealed and issued s | bills issued/s "
        "| seal p50 / p95 ms | issue (last seal) p50 / p95 ms | issued | distinct payment codes |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {BILLS:,} | {r['open_s']:.1f} | {BILLS / r['open_s']:,.1f} | {r['seal_s']:.1f} "
        f"| {BILLS / r['seal_s']:,.1f} | {_ms(statistics.median(r['seals']))} / {_ms(_p95(r['seals']))} "
        f"| {_ms(statistics.median(r['issues']))} / {_ms(_p95(r['issues']))} | {r['issued']:,} | {r['codes']:,} |",
    ]
    return (
        "\n".join(rows) + "\n\nPostgreSQL, one client. Opening a bill is part of the case's acceptance (the "
        "whole `accepted_case` factory is timed: a new applicant, the submission and the acceptance; the bill's "
        "share is seven lines and five checks). Each bill has five "
        "checks: four seals and the fifth, which also issues the bill (payment code, totals, audit event, the "
        "case's timeline row under the case lock). A seal signs each of its lines with the department's ECDSA "
        "P-256 key. The 2-core machine was shared with other test runs while measured.\n"
    )
