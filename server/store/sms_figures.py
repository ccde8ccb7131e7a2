"""The text messages' figures for the dashboard (``GET /api/v1/sms/figures``): plain reads of the
outbox (m029, m031), the consents, the inbound messages and the tickets that asked (m030)."""

from __future__ import annotations

from typing import Any

import sqlite_utils


def message_times(db: sqlite_utils.Database, start: float, end: float) -> list[tuple[Any, ...]]:
    """(created_at, state, error) of the messages created in [start, end)."""
    return db.execute(
        "SELECT created_at, state, error FROM sms_outbox WHERE created_at >= ? AND created_at < ?",
        [start, end],
    ).fetchall()


def consent_times(db: sqlite_utils.Database, start: float, end: float) -> list[float]:
    """When the consents still on record were given, in [start, end)."""
    rows = db.execute(
        "SELECT given_at FROM sms_consent WHERE given_at >= ? AND given_at < ?", [start, end]
    ).fetchall()
    return [r[0] for r in rows]


def inbound_times(db: sqlite_utils.Database, start: float, end: float) -> list[tuple[Any, ...]]:
    """(received_at, outcome) of the messages received in [start, end)."""
    return db.execute(
        "SELECT received_at, outcome FROM sms_inbound WHERE received_at >= ? AND received_at < ?",
        [start, end],
    ).fetchall()


def opted_in_per_day(db: sqlite_utils.Database, first: str, last: str) -> dict[str, int]:
    """Tickets per center-local day whose holder asked for messages (kiosk or phone page,
    ``ticket_phones``, m030): the opt-in rate's numerator."""
    rows = db.execute(
        "SELECT day, count(*) FROM ticket_phones WHERE day >= ? AND day <= ? GROUP BY day",
        [first, last],
    ).fetchall()
    return {day: n for day, n in rows}


def tickets_per_day(db: sqlite_utils.Database, first: str, last: str) -> dict[str, int]:
    """Tickets issued per center-local day (the opt-in rate's denominator)."""
    rows = db.execute(
        "SELECT day, count(*) FROM tickets WHERE day >= ? AND day <= ? GROUP BY day", [first, last]
    ).fetchall()
    return {day: n for day, n in rows}
