"""The board's message line (every change kept), and a covering index for the manager's figures.

The index holds every column the statistics read, keyed by day, so a period's figures are a range
scan of the index alone, never of the tickets table.
"""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE board_messages ("
        " id INTEGER PRIMARY KEY, at REAL NOT NULL, actor TEXT, message TEXT NOT NULL)"
    )
    db.execute(
        "CREATE INDEX tickets_stats ON tickets (day, service, state, issued_at, called_at,"
        " started_at, finished_at, counter, clerk, quoted_wait_s)"
    )
