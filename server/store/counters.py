"""The counters' working state in the ``counters`` table: open, paused or closed, and by whom."""

from __future__ import annotations

import sqlite_utils


def set_status(
    tx: sqlite_utils.Database, counter_id: str, status: str, clerk: str | None, at: float
) -> None:
    """``clerk`` set ``counter_id`` to ``status`` at ``at`` (inside the caller's write)."""
    tx.execute(
        "UPDATE counters SET status = ?, clerk = ?, status_at = ? WHERE id = ?",
        [status, clerk, at, counter_id],
    )


def counter_states(db: sqlite_utils.Database) -> dict[str, tuple[str, str | None, float | None]]:
    """Per counter: (status, clerk, when the status was set)."""
    return {
        counter_id: (status, clerk, at)
        for counter_id, status, clerk, at in db.execute(
            "SELECT id, status, clerk, status_at FROM counters"
        )
    }


def holder(db: sqlite_utils.Database, counter_id: str, now: float) -> str | None:
    """Who holds the counter now: its recorded clerk, while it is open or paused and that person
    has a live session signed in at it; None when it is free."""
    row = db.execute(
        "SELECT c.clerk FROM counters c WHERE c.id = ? AND c.status != 'closed'"
        " AND c.clerk IS NOT NULL AND EXISTS (SELECT 1 FROM sessions s WHERE s.username = c.clerk"
        " AND s.counter = c.id AND s.ended_at IS NULL AND s.expires_at > ?)",
        [counter_id, now],
    ).fetchone()
    return row[0] if row else None


def end_sessions_at(tx: sqlite_utils.Database, username: str, counter_id: str, at: float) -> None:
    """End ``username``'s live sessions signed in at the counter (a take-over: sign in again)."""
    tx.execute(
        "UPDATE sessions SET ended_at = ? WHERE username = ? AND counter = ? AND ended_at IS NULL",
        [at, username, counter_id],
    )


def status_of(db: sqlite_utils.Database, counter_id: str) -> str | None:
    """The counter's status (open, paused, closed), or None for an unknown counter."""
    row = db.execute("SELECT status FROM counters WHERE id = ?", [counter_id]).fetchone()
    return row[0] if row else None


def open_if_closed(tx: sqlite_utils.Database, counter_id: str, clerk: str, at: float) -> None:
    """A call at a closed counter opens it, held by the calling clerk."""
    tx.execute(
        "UPDATE counters SET status = 'open', clerk = ?, status_at = ? WHERE id = ?"
        " AND status = 'closed'",
        [clerk, at, counter_id],
    )


def close_if_held(tx: sqlite_utils.Database, counter_id: str, clerk: str, at: float) -> bool:
    """Close the counter if ``clerk`` holds it (signing out there); whether it was closed."""
    return (
        tx.execute(
            "UPDATE counters SET status = 'closed', status_at = ? WHERE id = ? AND clerk = ?",
            [at, counter_id, clerk],
        ).rowcount
        > 0
    )
