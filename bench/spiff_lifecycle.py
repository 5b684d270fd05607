"""SpiffWorkflow's persisted rate for the five-department process: the comparison for bench/cases.py.

bench/cases.py calls `spiff_rate` in its own run (the goal is stated against that figure); `run()`
measures it alone too. The process (five_departments.bpmn) is submit, accept, a parallel gateway to
five department reviews, the join and the joint decision: eight human steps. The workflow stays
in memory between steps (which favours Spiff: a web request would also read and deserialise it);
after each step it is serialised with Spiff's JSON serializer and written to PostgreSQL in its own
transaction.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bench._postgres import create_database, drop_database

TITLE = "SpiffWorkflow (comparison): the five-department process persisted to PostgreSQL"
POSTGRES_DB = "ow_bench_spiff"
SECONDS = 3.0

BPMN = Path(__file__).resolve().parent / "five_departments.bpmn"
PROCESS_ID = "five_departments"
STEPS_PER_CASE = 8  # submit, accept, five reviews, the decision


def _spec() -> Any:
    from SpiffWorkflow.bpmn.parser import BpmnParser  # type: ignore[import-untyped]

    parser = BpmnParser()
    parser.add_bpmn_file(str(BPMN))
    return parser.get_spec(PROCESS_ID)


def _one_case(conn: Any, spec: Any, serializer: Any) -> None:
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow  # type: ignore[import-untyped]
    from SpiffWorkflow.util.task import TaskState  # type: ignore[import-untyped]

    workflow = BpmnWorkflow(spec)
    workflow.do_engine_steps()
    with conn.transaction():
        row = conn.execute(
            "INSERT INTO spiff_workflow (state) VALUES (%s) RETURNING id", [serializer.serialize_json(workflow)]
        ).fetchone()
    while not workflow.is_completed():
        workflow.get_tasks(state=TaskState.READY)[0].run()
        workflow.do_engine_steps()
        with conn.transaction():
            conn.execute(
                "UPDATE spiff_workflow SET state = %s, completed = %s WHERE id = %s",
                [serializer.serialize_json(workflow), workflow.is_completed(), row[0]],
            )


def spiff_rate(dsn: str, seconds: float) -> tuple[float, int]:
    """(completed five-department processes per second, cases run), one connection, persisted after every step."""
    import psycopg
    from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer  # type: ignore[import-untyped]

    spec, serializer = _spec(), BpmnWorkflowSerializer()
    with psycopg.connect(dsn) as conn:
        conn.autocommit = True
        conn.execute(
            "CREATE TABLE IF NOT EXISTS spiff_workflow "
            "(id bigserial PRIMARY KEY, state text NOT NULL, completed boolean NOT NULL DEFAULT false)"
        )
        conn.execute("TRUNCATE spiff_workflow")  # a run counts its own processes
        _one_case(conn, spec, serializer)  # warm up
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            _one_case(conn, spec, serializer)
            count += 1
        elapsed = time.perf_counter() - started
        done = conn.execute("SELECT count(*) FROM spiff_workflow WHERE completed").fetchone()
    assert done is not None and done[0] == count + 1, "every Spiff process ran to its end"
    return count / elapsed, count


def commit_floor_rate(dsn: str, seconds: float) -> float:
    """Cases per second if a case were nothing but its eight durable commits (a one-row UPDATE in
    each): the bound for any engine that persists each of the eight steps in its own transaction."""
    import psycopg

    with psycopg.connect(dsn) as conn:
        conn.autocommit = True
        conn.execute("CREATE TABLE IF NOT EXISTS bench_commit_floor (id int PRIMARY KEY, n bigint NOT NULL)")
        conn.execute("INSERT INTO bench_commit_floor VALUES (1, 0) ON CONFLICT DO NOTHING")
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            for _ in range(STEPS_PER_CASE):
                with conn.transaction():
                    conn.execute("UPDATE bench_commit_floor SET n = n + 1 WHERE id = 1")
            count += 1
        return count / (time.perf_counter() - started)


def run() -> str:
    url, skipped = create_database(POSTGRES_DB)
    if url is None:
        return skipped + "\n"
    try:
        rate, count = spiff_rate(url, SECONDS)
    finally:
        drop_database(POSTGRES_DB)
    return (
        "SpiffWorkflow 3.2.0 runs bench/five_departments.bpmn (submit, accept, a parallel gateway to five "
        "reviews, the join, the decision), kept in memory and serialised with its JSON serializer to "
        "PostgreSQL after each of the eight steps, one transaction per step, one process.\n\n"
        "| engine | processes completed | cases/s |\n|---|---:|---:|\n"
        f"| SpiffWorkflow 3.2.0 | {count} | {rate:,.1f} |\n"
    )
