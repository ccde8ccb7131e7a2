"""The steps a visit went on from (``ticket_steps``, m025): written when a finished step sends
its ticket on, read beside the finished tickets where per-step facts matter (a clerk's served
count, a service's recent service times). The caller holds the write transaction."""

from __future__ import annotations

from typing import Any

import sqlite_utils

STEP_COLUMNS = (
    "ticket_id, step, day, service, counter, clerk, called_at, started_at, finished_at, outcome"
)


def record_step(tx: sqlite_utils.Database, finished: dict[str, Any]) -> None:
    """Keep the finished step of ``finished`` (a ticket row, ``done``, before it moves on)."""
    tx.execute(
        f"INSERT INTO ticket_steps ({STEP_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            finished["id"],
            finished["step"],
            finished["day"],
            finished["service"],
            finished["counter"],
            finished["clerk"],
            finished["called_at"],
            finished["started_at"],
            finished["finished_at"],
            finished["outcome"],
        ],
    )


def steps_of(db: sqlite_utils.Database, ticket_id: int) -> list[dict[str, Any]]:
    """The steps ``ticket_id`` went on from, oldest first."""
    cursor = db.execute(
        f"SELECT {STEP_COLUMNS} FROM ticket_steps WHERE ticket_id = ? ORDER BY finished_at",
        [ticket_id],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def resolution_days_done(db: sqlite_utils.Database, first: str, last: str) -> set[str]:
    """The days of ``first..last`` (ISO) whose finished visits are kept."""
    return {
        row[0]
        for row in db.execute(
            "SELECT day FROM resolution_days_done WHERE day BETWEEN ? AND ?", [first, last]
        )
    }


def keep_resolution_day(tx: sqlite_utils.Database, day: str) -> None:
    """Keep the finished visits of the settled ``day`` (by visit service, service, outcome)."""
    tx.execute("DELETE FROM resolution_days WHERE day = ?", [day])
    tx.execute(
        "INSERT INTO resolution_days (day, visit, service, outcome, finished)"
        " SELECT day, coalesce(visit_service, service), service, coalesce(outcome, ''), count(*)"
        " FROM tickets INDEXED BY tickets_outcomes WHERE day = ? AND state = 'done'"
        " GROUP BY 2, 3, 4",
        [day],
    )
    tx.execute("INSERT OR REPLACE INTO resolution_days_done (day) VALUES (?)", [day])


def kept_visits(db: sqlite_utils.Database, first: str, last: str) -> list[tuple[Any, ...]]:
    """The kept finished visits of ``first..last`` as (visit, service, outcome or None, count)."""
    return [
        (visit, service, outcome or None, count)
        for visit, service, outcome, count in db.execute(
            "SELECT visit, service, outcome, sum(finished) FROM resolution_days"
            " WHERE day BETWEEN ? AND ? GROUP BY 1, 2, 3",
            [first, last],
        )
    ]
