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
