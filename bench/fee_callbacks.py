"""Fee callbacks (一单收费): 1,000 payment callbacks for issued bills, 20% of them repeats, from 16 concurrent
clients, on PostgreSQL.

A fresh database. BILLS bills issued (cases of the Weihai seven-fee stage accepted through the real services,
their lines sealed and the bills issued the way the tests stand in for the checks' services), each paid
through several orders whose callbacks a real platform would send: a success, another success event of
the same order, a failure then a success of a second order, a third order's success (to refund), a fourth
order's failures then success; then REPEAT_SHARE of them delivered again with the same event id. All
shuffled and sent by CLIENTS threads, each on its own connection, through `fees.services.payment_callback`
(what `POST /api/fees/callbacks/simulated` calls with the request's body). Measured: the callback latency,
and from the database every bill paid once: double payments (bills with more than one successful payment,
or more than one `fees.bill_paid` event, or not one set of receipts) must be 0.
"""

from __future__ import annotations

import os
import queue as queues
import random
import statistics
import threading
import time
from typing import Any

from bench._postgres import django_on, measure_on_fresh_database

TITLE = "Fee callbacks (一单收费): 1,000 callbacks, 20% repeats, 16 clients"
POSTGRES_DB = "ow_bench_fee_callbacks"
BILLS = 100
DISTINCT_PER_BILL = 8
REPEATS = 200  # 20% of the 1,000 callbacks
CLIENTS = 16


def _callbacks(bill: Any, payer: Any) -> list[Any]:
    from onewindow.fees.payments import simulated
    from onewindow.fees.services import payment_start

    def order() -> Any:
        return payment_start(actor=payer, bill_id=bill.pk).payment

    def sign(payment: Any, succeeded: bool = True) -> Any:
        return simulated.callback_sign(order_number=payment.order_number, amount=payment.amount, succeeded=succeeded)

    a, b, c, d = order(), order(), order(), order()
    sent = [sign(a), sign(a), sign(b, False), sign(b), sign(c), sign(d, False), sign(d, False), sign(d)]
    assert len(sent) == DISTINCT_PER_BILL
    return sent


def _world() -> tuple[list[Any], list[Any]]:
    from onewindow.fees.tests.bills import bill_world
    from onewindow.fees.tests.paying import issued_bill

    world = bill_world()
    bills, callbacks = [], []
    for _ in range(BILLS):
        issued = issued_bill(world)
        bills.append(issued.bill)
        callbacks += _callbacks(issued.bill, issued.payer)
    rng = random.Random(16)
    callbacks += rng.sample(callbacks, REPEATS)
    rng.shuffle(callbacks)
    return bills, callbacks


def _client(work: queues.Queue[Any], barrier: threading.Barrier, out: list[Any]) -> None:
    from django.db import connection

    from onewindow.fees.services import payment_callback

    latencies, errors = [], []
    try:
        barrier.wait(timeout=60)
        while True:
            try:
                signed = work.get_nowait()
            except queues.Empty:
                break
            started = time.perf_counter()
            try:
                payment_callback(provider="simulated", body=signed.body, headers=signed.headers)
            except Exception as exc:  # noqa: BLE001 - counted in the report
                errors.append(repr(exc))
            latencies.append(time.perf_counter() - started)
    finally:
        connection.close()
    out.append((latencies, errors))


def _check(bills: list[Any]) -> dict[str, int]:
    from django.db.models import Count, Q

    from onewindow.audit.models import Event
    from onewindow.fees.models import Bill, BillStatus, Receipt

    ids = [bill.pk for bill in bills]
    rows = Bill.objects.filter(pk__in=ids).annotate(
        succeeded=Count("payments", filter=Q(payments__status="succeeded"), distinct=True),
        receipt_count=Count("receipts", distinct=True),
    )
    expected = {
        bill.pk: len({(line.fee_check_id, line.account_number) for line in bill.lines.all() if line.due_amount > 0})
        for bill in bills
    }
    paid_events = Event.objects.filter(action="fees.bill_paid").values("stream").annotate(n=Count("id"))
    return {
        "paid": sum(1 for row in rows if row.status == BillStatus.PAID),
        "double": sum(1 for row in rows if row.succeeded > 1)
        + sum(1 for row in paid_events if row["n"] > 1)
        + sum(1 for row in rows if row.receipt_count != expected[row.pk]),
        "receipts": Receipt.objects.filter(bill_id__in=ids).count(),
    }


def _measure_in_process(db_url: str, var_dir: str, queue: Any) -> None:
    django_on(db_url, var_dir)
    from onewindow.fees.models import PaymentCallback

    started = time.perf_counter()
    bills, callbacks = _world()
    setup = time.perf_counter() - started
    work: queues.Queue[Any] = queues.Queue()
    for signed in callbacks:
        work.put(signed)
    barrier = threading.Barrier(CLIENTS)
    out: list[Any] = []
    threads = [threading.Thread(target=_client, args=(work, barrier, out), daemon=True) for _ in range(CLIENTS)]
    load = os.getloadavg()
    begun = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    elapsed = time.perf_counter() - begun
    latencies = sorted(s for lat, _ in out for s in lat)
    errors = [e for _, errs in out for e in errs]
    result: dict[str, Any] = dict(_check(bills))
    result |= {
        "callbacks": len(callbacks),
        "recorded": PaymentCallback.objects.count(),
        "latencies": latencies,
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
        "elapsed": elapsed,
        "setup": setup,
        "load": load,
    }
    queue.put(result)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def _p(latencies: list[float], q: float) -> float:
    return latencies[min(len(latencies) - 1, int(len(latencies) * q))]


def _report(data: dict[str, Any]) -> str:
    lat = data["latencies"]
    rows = [
        "| clients | callbacks | p50 ms | p95 ms | max ms | callbacks/s | bills paid | double payments | errors |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {CLIENTS} | {len(lat):,} | {_ms(statistics.median(lat))} | {_ms(_p(lat, 0.95))} | {_ms(lat[-1])} "
        f"| {len(lat) / data['elapsed']:,.0f} | {data['paid']} of {BILLS} | **{data['double']}** | {data['errors']} |",
    ]
    note = (
        f"\n\n{data['callbacks']:,} callbacks ({REPEATS} exact repeats) for {BILLS} bills, {DISTINCT_PER_BILL} "
        f"distinct events of four orders per bill; {data['recorded']:,} recorded (each event once), "
        f"{data['receipts']:,} receipts. Every bill paid once: no second successful payment, one "
        "`fees.bill_paid` event and one set of receipts per bill. A paying callback writes the payment, the bill, "
        "the receipts (one SM2 signature each), the audit event and the case's timeline row under the bill's "
        "and the case's locks; the callbacks of one bill queue on its row, so the p95 includes waiting for them. "
        f"Setup (issuing {BILLS} bills through case acceptance) {data['setup']:,.0f} s, not measured. "
        f"Load average before: {data['load'][0]:.1f}."
    )
    if data["first_error"]:
        note += f" First error: `{data['first_error'][:200]}`."
    return "\n".join(rows) + note


def run() -> str:
    data, skipped = measure_on_fresh_database(POSTGRES_DB, _measure_in_process, timeout=1800)
    if data is None:
        return skipped
    return _report(data)
