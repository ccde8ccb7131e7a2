"""The waiting tickets a counter may call out of order (the counter's "call a chosen ticket")."""

from __future__ import annotations

from typing import Any

import sqlite_utils


def callable_by_counter(
    db: sqlite_utils.Database, day: str, services: list[str], counter_id: str, limit: int
) -> list[dict[str, Any]]:
    """Today's waiting tickets of ``services`` not sent to another counter, and those sent to
    ``counter_id``, oldest first (through the call-order and sent-to-counter indexes)."""
    marks = ",".join("?" for _ in services) or "NULL"
    rows = db.execute(
        "SELECT id, number, service, priority, issued_at, target_counter FROM tickets"
        f" WHERE state = 'waiting' AND day = ? AND ((service IN ({marks})"
        " AND (target_counter IS NULL OR target_counter = ?)) OR target_counter = ?)"
        " ORDER BY issued_at, id LIMIT ?",
        [day, *services, counter_id, counter_id, limit],
    ).fetchall()
    keys = ("id", "number", "service", "priority", "issued_at", "target_counter")
    return [dict(zip(keys, row, strict=True)) for row in rows]
