"""The live stream's queries: public events after an id, the latest ones, the log's head."""

from __future__ import annotations

from typing import Any

import sqlite_utils

# (id, kind, at, public JSON) of one public event.
Row = tuple[int, str, float, str]


def public_events_after(db: sqlite_utils.Database, after: int, limit: int) -> list[Row]:
    """Up to ``limit`` public events with an id above ``after``, oldest first."""
    rows: Any = db.execute(
        "SELECT id, kind, at, public FROM events WHERE id > ? AND public IS NOT NULL"
        " ORDER BY id LIMIT ?",
        [after, limit],
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


def latest_public_events(db: sqlite_utils.Database, count: int) -> list[Row]:
    """The last ``count`` public events, oldest first (what a restarted feed keeps in memory)."""
    rows: Any = db.execute(
        "SELECT id, kind, at, public FROM events WHERE public IS NOT NULL ORDER BY id DESC LIMIT ?",
        [count],
    )
    return [tuple(r) for r in reversed(list(rows))]  # type: ignore[misc]


def head_id(db: sqlite_utils.Database) -> int:
    """The id of the newest event (public or not), 0 for an empty log."""
    row = db.execute("SELECT max(id) FROM events").fetchone()
    return int(row[0] or 0)
