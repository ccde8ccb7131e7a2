"""The queries of reprinting a ticket: find today's ticket by its printed number, count a reprint,
and the newest alert id (what a waiting dashboard compares)."""

from __future__ import annotations

import sqlite_utils


def ticket_id_by_number(db: sqlite_utils.Database, day: str, number: str) -> int | None:
    """The id of ``day``'s ticket numbered ``number`` (``A-042``), or None."""
    row = db.execute(
        "SELECT id FROM tickets WHERE day = ? AND number = ?", [day, number]
    ).fetchone()
    return int(row[0]) if row else None


def ticket_id_by_token(db: sqlite_utils.Database, token: str) -> int | None:
    """The id of the ticket whose public token is ``token`` (its QR's status URL), or None."""
    row = db.execute("SELECT id FROM tickets WHERE public_token = ?", [token]).fetchone()
    return int(row[0]) if row else None


def reprints_of(db: sqlite_utils.Database, ticket_id: int) -> int:
    """How many times the ticket was printed again."""
    row = db.execute("SELECT reprints FROM tickets WHERE id = ?", [ticket_id]).fetchone()
    return int(row[0]) if row else 0


def count_reprint(tx: sqlite_utils.Database, ticket_id: int) -> int:
    """One more reprint of the ticket (inside the caller's write); the new count."""
    return int(
        tx.execute(
            "UPDATE tickets SET reprints = reprints + 1 WHERE id = ? RETURNING reprints",
            [ticket_id],
        ).fetchone()[0]
    )


def newest_alert_id(db: sqlite_utils.Database) -> int:
    """The id of the newest alert, 0 when there is none."""
    return int(db.execute("SELECT coalesce(max(id), 0) FROM alerts").fetchone()[0])


def open_alert_of_kind(db: sqlite_utils.Database, kind: str, counter_label: str) -> int | None:
    """The id of an open alert of ``kind`` labelled ``counter_label``, or None."""
    row = db.execute(
        "SELECT id FROM alerts WHERE kind = ? AND label = ? AND resolved_at IS NULL"
        " ORDER BY id DESC LIMIT 1",
        [kind, counter_label],
    ).fetchone()
    return int(row[0]) if row else None
