"""Reads and writes of ``queue_places`` (m033): places in today's queue taken from a phone.

The use case (:mod:`server.usecases.queue_places`) owns the rules; this module only speaks SQL,
inside the caller's transaction or snapshot.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

COLUMNS = (
    "id, token, day, service, phone, lang, joined_at, come_back_at, expires_at, state,"
    " confirmed_at, lapsed_at, ticket_id, device"
)


def _one(db: sqlite_utils.Database, where: str, params: list[Any]) -> dict[str, Any] | None:
    cursor = db.execute(f"SELECT {COLUMNS} FROM queue_places WHERE {where}", params)
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def by_token(db: sqlite_utils.Database, token: str) -> dict[str, Any] | None:
    """The place whose capability token is ``token``, or None."""
    return _one(db, "token = ?", [token])


def by_phone(
    db: sqlite_utils.Database, day: str, service: str, phone: str
) -> dict[str, Any] | None:
    """The place this number took for ``service`` on ``day``, whatever became of it."""
    return _one(db, "day = ? AND service = ? AND phone = ?", [day, service, phone])


def insert(tx: sqlite_utils.Database, **columns: Any) -> int:
    """A new waiting place with these columns; its id."""
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    cursor = tx.execute(
        f"INSERT INTO queue_places ({names}) VALUES ({marks})", list(columns.values())
    )
    return int(cursor.lastrowid)


def mark_confirmed(
    tx: sqlite_utils.Database, place_id: int, ticket_id: int, now: float, device: str | None
) -> bool:
    """The place became ticket ``ticket_id``; False when it was no longer waiting."""
    return (
        tx.execute(
            "UPDATE queue_places SET state = 'confirmed', confirmed_at = ?, ticket_id = ?,"
            " device = ? WHERE id = ? AND state = 'waiting'",
            [now, ticket_id, device, place_id],
        ).rowcount
        == 1
    )


def due_to_lapse(tx: sqlite_utils.Database, now: float) -> list[dict[str, Any]]:
    """Waiting places whose time to confirm has passed (``expires_at`` <= ``now``)."""
    cursor = tx.execute(
        f"SELECT {COLUMNS} FROM queue_places WHERE state = 'waiting' AND expires_at <= ?"
        " ORDER BY id",
        [now],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def mark_lapsed(tx: sqlite_utils.Database, place_id: int, now: float) -> bool:
    """The place was not confirmed in time; False when it was no longer waiting."""
    return (
        tx.execute(
            "UPDATE queue_places SET state = 'lapsed', lapsed_at = ? WHERE id = ?"
            " AND state = 'waiting'",
            [now, place_id],
        ).rowcount
        == 1
    )


def counts(db: sqlite_utils.Database, day: str) -> dict[str, int]:
    """How many places of ``day`` are in each state (the dashboard, the benchmark)."""
    rows = db.execute(
        "SELECT state, count(*) FROM queue_places WHERE day = ? GROUP BY state", [day]
    )
    return {r[0]: r[1] for r in rows}
