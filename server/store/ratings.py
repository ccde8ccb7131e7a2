"""The ``ratings`` table (migration 034): one row per rated ticket, and the reads of the figures.

Writers take the caller's ``tx`` (inside ``Database.write()``); readers take any connection.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

ROW_COLUMNS = (
    "r.ticket_id, t.number, r.day, r.stars, r.comment, r.lang, r.at, r.source, t.issued_at,"
    " r.finished_at, r.service, r.counter, r.clerk"
)
ROW_NAMES = tuple(c.strip().split(".")[1] for c in ROW_COLUMNS.split(","))


def is_rated(db: sqlite_utils.Database, ticket_id: int) -> bool:
    return (
        db.execute("SELECT 1 FROM ratings WHERE ticket_id = ?", [ticket_id]).fetchone() is not None
    )


def rating_of(db: sqlite_utils.Database, ticket_id: int) -> dict[str, Any] | None:
    """The ticket's rating (stars, source, at), or None."""
    row = db.execute(
        "SELECT stars, source, at FROM ratings WHERE ticket_id = ?", [ticket_id]
    ).fetchone()
    return None if row is None else {"stars": row[0], "source": row[1], "at": row[2]}


def insert_rating(tx: sqlite_utils.Database, **columns: Any) -> bool:
    """Keep a rating; False when the ticket already has one (the key refuses a second)."""
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    cursor = tx.execute(
        f"INSERT OR IGNORE INTO ratings ({names}) VALUES ({marks})", list(columns.values())
    )
    return cursor.rowcount == 1


def last_finished_at(db: sqlite_utils.Database, counter: str) -> dict[str, Any] | None:
    """The ticket whose visit ended last at ``counter`` (id, number, day, service, clerk,
    finished_at), or None."""
    row = db.execute(
        "SELECT id, number, day, service, clerk, finished_at FROM tickets"
        " WHERE counter = ? AND state = 'done' AND finished_at IS NOT NULL"
        " ORDER BY finished_at DESC LIMIT 1",
        [counter],
    ).fetchone()
    if row is None:
        return None
    return dict(zip(("id", "number", "day", "service", "clerk", "finished_at"), row, strict=True))


def rating_rows(db: sqlite_utils.Database, first_day: str, last_day: str) -> list[dict[str, Any]]:
    """The ratings of the tickets of the days ``first_day..last_day``, oldest first."""
    rows = db.execute(
        f"SELECT {ROW_COLUMNS} FROM ratings r JOIN tickets t ON t.id = r.ticket_id"
        " WHERE r.day BETWEEN ? AND ? ORDER BY r.at, r.ticket_id",
        [first_day, last_day],
    ).fetchall()
    return [dict(zip(ROW_NAMES, row, strict=True)) for row in rows]


def clerk_stars(
    db: sqlite_utils.Database, clerk: str, first_day: str, last_day: str
) -> list[tuple[int, str]]:
    """(stars, day) of the ratings of ``clerk``'s visits in the days ``first_day..last_day``."""
    return db.execute(
        "SELECT stars, day FROM ratings WHERE clerk = ? AND day BETWEEN ? AND ?",
        [clerk, first_day, last_day],
    ).fetchall()


def finished_visits(db: sqlite_utils.Database, first_day: str, last_day: str) -> list[tuple]:
    """(id, day, service, counter, clerk, issued_at, called_at, finished_at) of the visits of
    ``first_day..last_day`` that ended (the demo's past ratings)."""
    return db.execute(
        "SELECT id, day, service, counter, clerk, issued_at, called_at, finished_at"
        " FROM tickets WHERE day BETWEEN ? AND ? AND state = 'done'"
        " AND finished_at IS NOT NULL ORDER BY id",
        [first_day, last_day],
    ).fetchall()
