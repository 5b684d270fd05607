"""Callbacks for one bill arriving at once, on PostgreSQL with real threads: the same event several times,
other events of the same order, and the successes of other orders of the bill. Exactly one payment
succeeds, the bill is paid once, with one set of receipts; the others are recorded as repeats or as a
duplicate payment to refund."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from onewindow.audit.models import Event
from onewindow.cases.models import TimelineEntry
from onewindow.fees.models import Bill, BillStatus, Payment, PaymentCallback, PaymentStatus, Receipt
from onewindow.fees.payments import Outcome, simulated
from onewindow.fees.services import CallbackResult, payment_callback, payment_start
from onewindow.fees.tests.paying import issued_bill

THREADS = 16


def postgres_threads(test: Callable[[], None]) -> Callable[[], None]:
    for mark in (
        pytest.mark.django_db(transaction=True),
        pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and real concurrency need PostgreSQL"),
        pytest.mark.postgres,
    ):
        test = mark(test)
    return test


def at_once(steps: list[Callable[[], object]]) -> list[object]:
    barrier = threading.Barrier(len(steps))
    results: list[object] = [None] * len(steps)

    def run(index: int, step: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = step()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, step), daemon=True) for i, step in enumerate(steps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a callback never finished (deadlock?)"
    return results


@postgres_threads
def test_sixteen_callbacks_for_one_bill_at_once_pay_it_exactly_once() -> None:
    issued = issued_bill()
    orders = [payment_start(actor=issued.payer, bill_id=issued.bill.pk).payment for _ in range(3)]
    first, second, third = orders
    same = simulated.callback_sign(order_number=first.order_number, amount=first.amount)
    sent = [same] * 6
    sent += [simulated.callback_sign(order_number=first.order_number, amount=first.amount) for _ in range(3)]
    sent += [simulated.callback_sign(order_number=second.order_number, amount=second.amount) for _ in range(4)]
    sent += [simulated.callback_sign(order_number=third.order_number, amount=third.amount, succeeded=False)]
    sent += [simulated.callback_sign(order_number=third.order_number, amount=third.amount) for _ in range(2)]
    assert len(sent) == THREADS

    results = at_once(
        [lambda s=s: payment_callback(provider="simulated", body=s.body, headers=s.headers) for s in sent]
    )

    assert all(isinstance(result, CallbackResult) for result in results), results
    outcomes = [result.outcome for result in results if isinstance(result, CallbackResult)]
    bill = Bill.objects.get(pk=issued.bill.pk)
    assert bill.status == BillStatus.PAID
    assert Payment.objects.filter(bill=bill, status=PaymentStatus.SUCCEEDED).count() == 1
    assert len({r.callback.pk for r in results if isinstance(r, CallbackResult) and r.outcome is Outcome.PAID}) == 1
    charged = {(line.fee_check.department_id, line.account_number) for line in bill.lines.all() if line.due_amount > 0}
    assert Receipt.objects.filter(bill=bill).count() == len(charged)
    assert Event.objects.filter(stream=f"fee_bill:{bill.pk}", action="fees.bill_paid").count() == 1
    assert TimelineEntry.objects.filter(case=issued.case, action="fee_bill_paid").count() == 1
    assert PaymentCallback.objects.count() == THREADS - 5  # the six copies of one event: recorded once
    assert Outcome.DUPLICATE_PAYMENT in outcomes
