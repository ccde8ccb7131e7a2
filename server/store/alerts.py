"""The ``alerts`` table: device faults raised for the staff, and who cleared them."""

from __future__ import annotations

from typing import Any

import sqlite_utils

_COLUMNS = "id, at, kind, message, device, actor, resolved_at, resolved_by, label"


def insert_alert(
    tx: sqlite_utils.Database,
    at: float,
    kind: str,
    message: str,
    device: str | None,
    actor: str,
    label: str | None,
) -> int:
    """A new open alert (inside the caller's write); its id."""
    cursor = tx.execute(
        "INSERT INTO alerts (at, kind, message, device, actor, label) VALUES (?, ?, ?, ?, ?, ?)",
        [at, kind, message, device, actor, label],
    )
    return int(cursor.lastrowid)


def alert_row(db: sqlite_utils.Database, alert_id: int) -> tuple[Any, ...] | None:
    """The alert as (id, at, kind, message, device, actor, resolved_at, resolved_by, label)."""
    return db.execute(f"SELECT {_COLUMNS} FROM alerts WHERE id = ?", [alert_id]).fetchone()


def latest_alerts(
    db: sqlite_utils.Database, include_resolved: bool, limit: int = 200
) -> list[tuple[Any, ...]]:
    """Newest first (open ones only unless ``include_resolved``), as :func:`alert_row` gives."""
    where = "" if include_resolved else " WHERE resolved_at IS NULL"
    return db.execute(
        f"SELECT {_COLUMNS} FROM alerts{where} ORDER BY id DESC LIMIT ?", [limit]
    ).fetchall()


def resolve(tx: sqlite_utils.Database, alert_id: int, by: str, at: float) -> bool:
    """Mark the alert cleared by ``by`` unless it already was; whether this call cleared it."""
    return (
        tx.execute(
            "UPDATE alerts SET resolved_at = ?, resolved_by = ? WHERE id = ?"
            " AND resolved_at IS NULL",
            [at, by, alert_id],
        ).rowcount
        > 0
    )
