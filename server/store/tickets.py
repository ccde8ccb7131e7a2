"""Reads of the ``tickets`` table the use cases compose: one ticket, today's queue, a clerk's day.

Writes that number or change tickets stay with their transactions (issue in
:mod:`server.usecases.tickets`, actions in :mod:`server.store.ticket_actions`).
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

COLUMNS = (
    "id, day, prefix, seq, number, service, priority, state, public_token, issued_at, called_at,"
    " started_at, finished_at, counter, clerk, target_counter, device, file, idempotency_key,"
    " recalls, transfers, quoted_wait_s, visit_service, step, outcome, note, reprints,"
    " appointment_code, appointment_at"  # m032: a checked-in appointment's code and slot time
)


def ticket_row(db: sqlite_utils.Database, ticket_id: int) -> dict[str, Any] | None:
    """The ticket's row as column → value, or None if there is no such ticket."""
    return _one_ticket(db, "id", ticket_id)


def ticket_by_token(db: sqlite_utils.Database, token: str) -> dict[str, Any] | None:
    """The ticket whose public token is ``token`` (its phone page), or None."""
    return _one_ticket(db, "public_token", token)


def _one_ticket(db: sqlite_utils.Database, column: str, value: object) -> dict[str, Any] | None:
    cursor = db.execute(f"SELECT {COLUMNS} FROM tickets WHERE {column} = ?", [value])
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def waiting_by_service(db: sqlite_utils.Database, day: str) -> dict[str, tuple[int, int, float]]:
    """Per service with tickets waiting on ``day``: (count, priority count, earliest issue time)."""
    return {
        service: (count, priority, first)
        for service, count, priority, first in db.execute(
            "SELECT service, count(*), sum(priority), min(issued_at) FROM tickets"
            " WHERE state = 'waiting' AND day = ? GROUP BY service",
            [day],
        )
    }


def current_at_counters(db: sqlite_utils.Database) -> dict[str, tuple[int, str, str]]:
    """Per counter with a ticket called or being served there: (ticket id, number, state)."""
    return {
        counter: (ticket_id, number, state)
        for counter, number, state, ticket_id in db.execute(
            "SELECT counter, number, state, id FROM tickets"
            " WHERE state IN ('called', 'serving') AND counter IS NOT NULL"
        )
    }


def served_by_clerk(
    db: sqlite_utils.Database, day: str, clerk: str
) -> list[tuple[str, float | None, float | None, float | None]]:
    """The tickets ``clerk`` finished on ``day``: (state, called_at, started_at, finished_at),
    with the steps of longer visits they served and sent on (``ticket_steps``, m025)."""
    return db.execute(
        "SELECT state, called_at, started_at, finished_at FROM tickets"
        " WHERE state = 'done' AND day = ? AND clerk = ?"
        " UNION ALL SELECT 'done', called_at, started_at, finished_at FROM ticket_steps"
        " WHERE day = ? AND clerk = ?",
        [day, clerk, day, clerk],
    ).fetchall()


def no_shows_by_clerk(db: sqlite_utils.Database, day: str, clerk: str) -> int:
    """How many tickets ``clerk`` marked no-show on ``day``."""
    return db.execute(
        "SELECT count(*) FROM tickets WHERE state = 'no_show' AND day = ? AND clerk = ?",
        [day, clerk],
    ).fetchone()[0]


def ticket_exists(db: sqlite_utils.Database, ticket_id: int) -> bool:
    return db.execute("SELECT 1 FROM tickets WHERE id = ?", [ticket_id]).fetchone() is not None


def link_file(tx: sqlite_utils.Database, ticket_id: int, printed_reference: str) -> None:
    """The ticket now carries the file opened during its visit (unless it carries one already)."""
    tx.execute(
        "UPDATE tickets SET file = ? WHERE id = ? AND file IS NULL",
        [printed_reference, ticket_id],
    )


def mark_called(
    tx: sqlite_utils.Database, ticket_id: int, counter_id: str, clerk: str, at: float
) -> None:
    """The waiting ticket is called to ``counter_id`` by ``clerk`` (no longer sent anywhere)."""
    tx.execute(
        "UPDATE tickets SET state = 'called', called_at = ?, counter = ?, clerk = ?,"
        " target_counter = NULL WHERE id = ? AND state = 'waiting'",
        [at, counter_id, clerk, ticket_id],
    )


def by_idempotency_key(
    db: sqlite_utils.Database, device: str | None, key: str
) -> tuple[int, str] | None:
    """The (id, service) of the ticket this device already issued under ``key``, if any."""
    return db.execute(
        "SELECT id, service FROM tickets WHERE device IS ? AND idempotency_key = ?", [device, key]
    ).fetchone()


def next_number(tx: sqlite_utils.Database, day: str, prefix: str) -> int:
    """Take the day's next sequence number of ``prefix`` (inside the issue's ``BEGIN IMMEDIATE``
    write, so numbers are unique and gapless across processes)."""
    return tx.execute(
        "INSERT INTO ticket_sequences (day, prefix, last) VALUES (?, ?, 1)"
        " ON CONFLICT(day, prefix) DO UPDATE SET last = last + 1 RETURNING last",
        [day, prefix],
    ).fetchone()[0]


def latest_numbering_day(db: sqlite_utils.Database) -> str | None:
    """The newest day any ticket was numbered on."""
    row = db.execute("SELECT max(day) FROM ticket_sequences").fetchone()
    return row[0] if row else None


def skip_numbers(tx: sqlite_utils.Database, day: str, prefix: str, count: int) -> tuple[int, int]:
    """Move ``day``'s numbering of ``prefix`` on by ``count``: (the last number before, after)."""
    row = tx.execute(
        "SELECT last FROM ticket_sequences WHERE day = ? AND prefix = ?", [day, prefix]
    ).fetchone()
    before = int(row[0]) if row else 0
    tx.execute(
        "INSERT INTO ticket_sequences (day, prefix, last) VALUES (?, ?, ?)"
        " ON CONFLICT(day, prefix) DO UPDATE SET last = excluded.last",
        [day, prefix, before + count],
    )
    return before, before + count


def insert_waiting(tx: sqlite_utils.Database, **columns: Any) -> int:
    """A new waiting ticket with these columns (day, prefix, seq, number, service, priority,
    public_token, issued_at, device, file, idempotency_key, quoted_wait_s); its id."""
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    cursor = tx.execute(
        f"INSERT INTO tickets ({names}, state) VALUES ({marks}, 'waiting')", list(columns.values())
    )
    return int(cursor.lastrowid)


def states_of_numbers(db: sqlite_utils.Database, day: str, numbers: list[str]) -> dict[str, str]:
    """Number → state of ``day``'s tickets with these numbers."""
    if not numbers:
        return {}
    marks = ",".join("?" for _ in numbers)
    return dict(
        db.execute(
            f"SELECT number, state FROM tickets WHERE day = ? AND number IN ({marks})",
            [day, *numbers],
        ).fetchall()
    )
