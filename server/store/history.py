"""Past days of tickets written in bulk (a demo center's or a benchmark's simulated history).

One day per call, inside the caller's write: the tickets, their numbering, and the kept dashboard
aggregates of that day and month forgotten, since they no longer match it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlite_utils

HISTORY_COLUMNS = (
    "day, prefix, seq, number, service, priority, state, public_token, issued_at, called_at,"
    " started_at, finished_at, counter, clerk, device, quoted_wait_s"
)


def has_tickets_before(db: sqlite_utils.Database, day: str) -> bool:
    """Whether any ticket exists from before ``day`` (a center with a past is left alone)."""
    return db.execute("SELECT 1 FROM tickets WHERE day < ? LIMIT 1", [day]).fetchone() is not None


def insert_day(tx: sqlite_utils.Database, day: str, rows: Sequence[tuple[Any, ...]]) -> int:
    """Store one day's tickets (rows in :data:`HISTORY_COLUMNS` order); the first new ticket id.

    The ids are consecutive: the day's tickets are ``first .. first + len(rows) - 1``.
    """
    first_id = tx.execute("SELECT coalesce(max(id), 0) + 1 FROM tickets").fetchone()[0]
    tx.conn.executemany(
        f"INSERT INTO tickets ({HISTORY_COLUMNS}) VALUES ({', '.join('?' * 16)})", rows
    )
    tx.execute("DELETE FROM stats_days WHERE day = ?", [day])
    tx.execute("DELETE FROM stats_days_done WHERE day = ?", [day])
    tx.execute("DELETE FROM stats_months WHERE month = ?", [day[:7]])
    last_seq: dict[str, int] = {}
    for row in rows:
        last_seq[row[1]] = max(last_seq.get(row[1], 0), row[2])
    tx.conn.executemany(
        "INSERT INTO ticket_sequences (day, prefix, last) VALUES (?, ?, ?)"
        " ON CONFLICT(day, prefix) DO UPDATE SET last = max(last, excluded.last)",
        [(day, prefix, seq) for prefix, seq in last_seq.items()],
    )
    return int(first_id)
