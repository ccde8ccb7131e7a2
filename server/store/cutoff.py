"""The cut-off's and the person limit's tables (m027): the manager's overrides for a day, the
digests of the people holding tickets of a limited service, and the day's refusals."""

from __future__ import annotations

import sqlite_utils


def open_overrides(db: sqlite_utils.Database, day: str) -> frozenset[str]:
    """The services the manager keeps issuing past their cut-off on ``day``."""
    rows = db.execute("SELECT service FROM service_day_overrides WHERE day = ? AND open = 1", [day])
    return frozenset(r[0] for r in rows)


def set_override(
    tx: sqlite_utils.Database, day: str, service: str, is_open: bool, by: str | None, at: float
) -> None:
    tx.execute(
        "INSERT INTO service_day_overrides (day, service, open, set_by, set_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT(day, service) DO UPDATE SET open = excluded.open,"
        " set_by = excluded.set_by, set_at = excluded.set_at",
        [day, service, int(is_open), by, at],
    )


def tickets_of(tx: sqlite_utils.Database, day: str, service: str, digest: str) -> int:
    """How many tickets of ``service`` the person of ``digest`` took on ``day``."""
    row = tx.execute(
        "SELECT COUNT(*) FROM ticket_people WHERE day = ? AND service = ? AND digest = ?",
        [day, service, digest],
    ).fetchone()
    return int(row[0])


def add_person(
    tx: sqlite_utils.Database, day: str, service: str, digest: str, ticket_id: int
) -> None:
    tx.execute(
        "INSERT INTO ticket_people (day, service, digest, ticket_id) VALUES (?, ?, ?, ?)",
        [day, service, digest, ticket_id],
    )


def count_refusal(tx: sqlite_utils.Database, day: str, service: str) -> None:
    tx.execute(
        "INSERT INTO person_refusals (day, service, refusals) VALUES (?, ?, 1)"
        " ON CONFLICT(day, service) DO UPDATE SET refusals = refusals + 1",
        [day, service],
    )


def refusals(db: sqlite_utils.Database, day: str) -> dict[str, int]:
    """Refusals beyond the limit on ``day``, per service."""
    rows = db.execute("SELECT service, refusals FROM person_refusals WHERE day = ?", [day])
    return {r[0]: int(r[1]) for r in rows}
