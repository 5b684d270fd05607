"""Halls (先预约后办事): 32 clients booking one set of slots at once on PostgreSQL.

A fresh database; one hall with CAPACITY comprehensive windows serving 企业开办, open 9:00-12:00 (six
30-minute slots a day) on the five days of one week: SEATS seats in all. Each of the 32 clients is its
own person on its own connection (a thread: the database, not Python, is what they contend for) and
tries every slot of the week in its own order through `halls.services.booking_create`, as the API
does. A round ends when every client has tried every slot; three rounds, each on a fresh week.
Goal: 0 double bookings in every run (no slot over its capacity, no person twice on one slot); the
rate is reported.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from typing import Any

from bench._postgres import django_on, measure_on_fresh_database

TITLE = "Halls (先预约后办事): concurrent bookings on one slot set"
POSTGRES_DB = "ow_bench_halls"
CLIENTS = 32
CAPACITY = 5
ROUNDS = 3
FIRST_MONDAY = dt.date(2026, 12, 7)


def _round(world: Any, people: list[Any], monday: dt.date) -> dict[str, Any]:
    from onewindow.errors import Conflict
    from onewindow.halls import services
    from onewindow.halls.models import Booking
    from onewindow.halls.tests.factories import NOW, T
    from onewindow.workdays.tests.test_concurrency import in_threads

    slots = [(monday + dt.timedelta(days=d), T(9 + m // 60, m % 60)) for d in range(5) for m in range(0, 180, 30)]
    latencies: list[float] = []

    def client(person: Any, seed: int) -> Any:
        def attempts() -> tuple[int, int]:
            mine = slots[:]
            random.Random(seed).shuffle(mine)
            booked = refused = 0
            for on, starts in mine:
                started = time.perf_counter()
                try:
                    services.booking_create(
                        actor=person,
                        person=person,
                        hall_id=world.hall.pk,
                        category_id=world.business.pk,
                        on=on,
                        starts=starts,
                        now=NOW - dt.timedelta(days=7),
                    )
                    booked += 1
                except Conflict:
                    refused += 1
                latencies.append(time.perf_counter() - started)
            return booked, refused

        return attempts

    started = time.perf_counter()
    results = in_threads(*[client(p, i) for i, p in enumerate(people)])  # type: ignore[no-untyped-call]
    elapsed = time.perf_counter() - started
    errors = [r for r in results if isinstance(r, Exception)]
    if errors:
        raise errors[0]
    live = Booking.objects.filter(hall=world.hall, on__range=(monday, monday + dt.timedelta(days=4)), status="booked")
    per_slot = [live.filter(on=on, starts=starts).count() for on, starts in slots]
    per_person_slot = live.values_list("person_id", "on", "starts")
    return {
        "attempts": len(latencies),
        "booked": sum(b for b, _ in results),
        "elapsed": elapsed,
        "latencies": sorted(latencies),
        "over_capacity": sum(1 for n in per_slot if n > CAPACITY),
        "twice": len(per_person_slot) - len(set(per_person_slot)),
        "seats": len(slots) * CAPACITY,
        "stored": live.count(),
    }


def _measure_in_process(db_url: str, var_dir: str, results: Any) -> None:
    django_on(db_url, var_dir)
    from onewindow.halls.models import HallProfile
    from onewindow.halls.tests.factories import hall_world
    from onewindow.orgs.tests.factories import RegionFactory, UserFactory

    region: Any = RegionFactory()  # type: ignore[no-untyped-call]
    world = hall_world(region, windows=CAPACITY)
    HallProfile.objects.filter(hall=world.hall).update(daily_limit=6)  # a client may fill a whole day
    people = [UserFactory() for _ in range(CLIENTS)]  # type: ignore[no-untyped-call]
    results.put([_round(world, people, FIRST_MONDAY + dt.timedelta(weeks=w)) for w in range(ROUNDS)])


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def run() -> str:
    rounds, skipped = measure_on_fresh_database(POSTGRES_DB, _measure_in_process, timeout=600)
    if rounds is None:
        return skipped
    rows = [
        "| round | attempts | booked / seats | attempts/s | bookings/s | p50 ms | p95 ms | over capacity | "
        "person twice on a slot |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for i, r in enumerate(rounds, 1):
        lat = r["latencies"]
        rows.append(
            f"| {i} | {r['attempts']:,} | {r['booked']} / {r['seats']} (stored {r['stored']}) "
            f"| {r['attempts'] / r['elapsed']:,.0f} | {r['booked'] / r['elapsed']:,.0f} "
            f"| {_ms(statistics.median(lat))} | {_ms(lat[int(len(lat) * 0.95)])} "
            f"| {r['over_capacity']} | {r['twice']} |"
        )
    double = sum(r["over_capacity"] + r["twice"] for r in rounds)
    verdict = "met" if double == 0 else "**NOT met**"
    return (
        "\n".join(rows) + f"\n\n{CLIENTS} clients (threads, one connection each), PostgreSQL, one hall of "
        f"{CAPACITY} windows, 30 slots a week. Every booking locks the hall's profile row, so a hall's bookings "
        f"are serialised by design; a refusal (full, or already booked) is an attempt too. Double bookings in "
        f"{ROUNDS} rounds: **{double}** (goal 0: {verdict}).\n"
    )
