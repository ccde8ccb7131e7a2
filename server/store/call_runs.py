"""A counter's run of calls (m024): what the ratio calling profiles read and write.

Read and written inside the call's transaction (``Database.write``: BEGIN IMMEDIATE), so the run
a call reads is the one the previous call at that counter wrote. A run of another day is no run.
"""

from __future__ import annotations

import sqlite_utils

from server.domain.calling_profile import Run


def run_of(db: sqlite_utils.Database, counter_id: str, day: str) -> Run:
    """The counter's run of calls on ``day`` (an empty run when it has called nobody today)."""
    row = db.execute(
        "SELECT call_run_kind, call_run FROM counters WHERE id = ? AND call_run_day = ?",
        [counter_id, day],
    ).fetchone()
    if row is None or row[0] not in ("normal", "priority"):
        return Run()
    return Run(row[0], int(row[1]))


def record_call(tx: sqlite_utils.Database, counter_id: str, day: str, priority: bool) -> Run:
    """A ticket of that kind was just called at the counter: its run grows or starts again."""
    run = run_of(tx, counter_id, day).after(priority)
    tx.execute(
        "UPDATE counters SET call_run_day = ?, call_run_kind = ?, call_run = ? WHERE id = ?",
        [day, run.kind, run.length, counter_id],
    )
    return run


def runs_of(db: sqlite_utils.Database, day: str) -> dict[str, Run]:
    """Every counter's run of calls on ``day`` (what the wait estimate plays forward)."""
    rows = db.execute(
        "SELECT id, call_run_kind, call_run FROM counters WHERE call_run_day = ?", [day]
    )
    return {r[0]: Run(r[1], int(r[2])) for r in rows if r[1] in ("normal", "priority")}
