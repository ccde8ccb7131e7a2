"""Writes of the ticket actions (recall, no-show, start, finish, transfer, cancel, undo a no-show).

The caller holds the write transaction; these only say how a ticket row and a counter are read
and changed, so the use cases in :mod:`server.usecases.ticket_actions` carry no SQL.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

COLUMNS = frozenset(
    {
        "state",
        "service",
        "counter",
        "clerk",
        "target_counter",
        "called_at",
        "started_at",
        "finished_at",
        "recalls",
        "transfers",
        "priority",  # a visit's next step may raise it (m025)
        "visit_service",
        "step",
        "outcome",
        "note",
    }
)


def update_ticket(tx: sqlite_utils.Database, ticket_id: int, changes: dict[str, Any]) -> None:
    """Set ``changes`` (column → value) on one ticket; only the action columns may change."""
    unknown = set(changes) - COLUMNS
    if unknown:
        raise ValueError(f"not a ticket action column: {sorted(unknown)}")
    sets = ", ".join(f"{column} = ?" for column in changes)
    tx.execute(f"UPDATE tickets SET {sets} WHERE id = ?", [*changes.values(), ticket_id])


def ticket_at_counter(tx: sqlite_utils.Database, counter_id: str) -> str | None:
    """The number of the ticket called or served at ``counter_id`` now, if any."""
    row = tx.execute(
        "SELECT number FROM tickets WHERE counter = ? AND state IN ('called', 'serving') LIMIT 1",
        [counter_id],
    ).fetchone()
    return str(row[0]) if row else None
