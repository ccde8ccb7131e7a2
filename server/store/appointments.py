"""Bookings, closed days and slots (m032): the SQL the appointment use cases compose.

Capacity is checked and a booking inserted inside one ``BEGIN IMMEDIATE`` transaction by the
caller (``server/usecases/appointments.py``): :func:`booked_in_slot` is read there, so two
processes never both take a slot's last place.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from server.domain.appointments import LIVE

COLUMNS = (
    "code, service, day, start, at, status, lang, name, phone, notify, created_at, by,"
    " ticket_id, changed_at, checked_in_at, late"
)
_NAMES = [c.strip() for c in COLUMNS.split(",")]
_LIVE = "('" + "', '".join(LIVE) + "')"


def booking(db: sqlite_utils.Database, code: str) -> dict[str, Any] | None:
    """The booking with this canonical code, or None."""
    row = db.execute(f"SELECT {COLUMNS} FROM bookings WHERE code = ?", [code]).fetchone()
    return None if row is None else dict(zip(_NAMES, row, strict=True))


def by_request_key(db: sqlite_utils.Database, key: str) -> dict[str, Any] | None:
    """The booking made under this (namespaced) request key, or None."""
    row = db.execute("SELECT code FROM bookings WHERE request_key = ?", [key]).fetchone()
    return None if row is None else booking(db, row[0])


def insert(tx: sqlite_utils.Database, **columns: Any) -> None:
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    tx.execute(f"INSERT INTO bookings ({names}) VALUES ({marks})", list(columns.values()))


def update(tx: sqlite_utils.Database, code: str, **columns: Any) -> None:
    sets = ", ".join(f"{name} = ?" for name in columns)
    tx.execute(f"UPDATE bookings SET {sets} WHERE code = ?", [*columns.values(), code])


def booked_in_slot(db: sqlite_utils.Database, day: str, service: str, start: str) -> int:
    """Bookings holding the slot (booked or checked in)."""
    return db.execute(
        f"SELECT count(*) FROM bookings WHERE day = ? AND service = ? AND start = ?"
        f" AND status IN {_LIVE}",
        [day, service, start],
    ).fetchone()[0]


def booked_by_slot(db: sqlite_utils.Database, day: str, service: str) -> dict[str, int]:
    """Per slot start of ``day``: the bookings holding it."""
    rows = db.execute(
        f"SELECT start, count(*) FROM bookings WHERE day = ? AND service = ?"
        f" AND status IN {_LIVE} GROUP BY start",
        [day, service],
    )
    return {r[0]: r[1] for r in rows}


def live_on_day(db: sqlite_utils.Database, day: str) -> int:
    """Bookings still holding a slot on ``day`` (any service)."""
    return db.execute(
        f"SELECT count(*) FROM bookings WHERE day = ? AND status IN {_LIVE}", [day]
    ).fetchone()[0]


def live_for_phone(db: sqlite_utils.Database, phone: str, day: str, but: str | None = None) -> int:
    """Live bookings of ``phone`` on ``day`` (any service), ``but`` one (a move) left out."""
    return db.execute(
        f"SELECT count(*) FROM bookings WHERE phone = ? AND day = ? AND status IN {_LIVE}"
        " AND code != ?",
        [phone, day, but or ""],
    ).fetchone()[0]


def overdue(db: sqlite_utils.Database, before: float, limit: int = 500) -> list[dict[str, Any]]:
    """Bookings still ``booked`` whose slot started before ``before`` (slot + grace passed)."""
    rows = db.execute(
        f"SELECT {COLUMNS} FROM bookings WHERE status = 'booked' AND at < ? ORDER BY at LIMIT ?",
        [before, limit],
    ).fetchall()
    return [dict(zip(_NAMES, r, strict=True)) for r in rows]


# -- closures ---------------------------------------------------------------------------------
def closed_day(db: sqlite_utils.Database, day: str) -> dict[str, Any] | None:
    row = db.execute(
        "SELECT day, reason, set_by, set_at FROM appointment_closed_days WHERE day = ?", [day]
    ).fetchone()
    return (
        None if row is None else dict(zip(("day", "reason", "set_by", "set_at"), row, strict=True))
    )


def closed_days(db: sqlite_utils.Database, first: str, last: str) -> dict[str, str]:
    """Closed days between ``first`` and ``last`` (inclusive): day → reason."""
    rows = db.execute(
        "SELECT day, reason FROM appointment_closed_days WHERE day BETWEEN ? AND ?", [first, last]
    )
    return {r[0]: r[1] for r in rows}


def set_day(tx: sqlite_utils.Database, day: str, closed: bool, reason: str, by: str, at: float):
    if closed:
        tx.execute(
            "INSERT INTO appointment_closed_days (day, reason, set_by, set_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (day) DO UPDATE SET reason = excluded.reason, set_by = excluded.set_by,"
            " set_at = excluded.set_at",
            [day, reason, by, at],
        )
    else:
        tx.execute("DELETE FROM appointment_closed_days WHERE day = ?", [day])


def closed_slots(db: sqlite_utils.Database, first: str, last: str) -> set[tuple[str, str, str]]:
    """(day, start, service or '') of the closed slots between ``first`` and ``last``."""
    rows = db.execute(
        "SELECT day, start, service FROM appointment_closed_slots WHERE day BETWEEN ? AND ?",
        [first, last],
    )
    return {(r[0], r[1], r[2]) for r in rows}


def set_slot(
    tx: sqlite_utils.Database,
    day: str,
    start: str,
    service: str,
    closed: bool,
    by: str,
    at: float,
) -> None:
    if closed:
        tx.execute(
            "INSERT OR REPLACE INTO appointment_closed_slots (day, start, service, set_by, set_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [day, start, service, by, at],
        )
    else:
        tx.execute(
            "DELETE FROM appointment_closed_slots WHERE day = ? AND start = ? AND service = ?",
            [day, start, service],
        )


# -- measured service time and figures --------------------------------------------------------
def mean_duration(
    db: sqlite_utils.Database, service: str, first_day: str, last_day: str
) -> tuple[float | None, int]:
    """The mean call→finish duration of ``service``'s finished tickets between the days, each
    clamped to 5 s..4 h as the estimate clamps them, and how many."""
    row = db.execute(
        "SELECT avg(min(max(finished_at - called_at, 5.0), 14400.0)), count(*) FROM tickets"
        " WHERE service = ? AND day BETWEEN ? AND ? AND state = 'done'"
        " AND called_at IS NOT NULL AND finished_at IS NOT NULL",
        [service, first_day, last_day],
    ).fetchone()
    return row[0], row[1]


def figures_rows(db: sqlite_utils.Database, first: str, last: str) -> list[dict[str, Any]]:
    """Bookings between the days with their ticket's issue and call times."""
    rows = db.execute(
        "SELECT b.day, b.status, b.at, b.late, t.issued_at, t.called_at FROM bookings b"
        " LEFT JOIN tickets t ON t.id = b.ticket_id WHERE b.day BETWEEN ? AND ?",
        [first, last],
    ).fetchall()
    names = ("day", "status", "at", "late", "issued_at", "called_at")
    return [dict(zip(names, r, strict=True)) for r in rows]


def walk_in_waits(db: sqlite_utils.Database, first: str, last: str) -> list[tuple[str, float]]:
    """(day, wait) of the called walk-in tickets between the days (no appointment)."""
    return db.execute(
        "SELECT day, called_at - issued_at FROM tickets WHERE day BETWEEN ? AND ?"
        " AND called_at IS NOT NULL AND appointment_at IS NULL",
        [first, last],
    ).fetchall()
