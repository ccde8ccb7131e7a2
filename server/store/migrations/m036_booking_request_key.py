"""A booking's request key: the kiosk's or counter's ``Idempotency-Key``, so a booking whose answer
was lost and is asked again makes no second booking (docs/appointments.md). Namespaced by who asked
(``device:<id>:`` or ``person:<name>:``), unique when given."""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE bookings ADD COLUMN request_key TEXT")
    db.execute(
        "CREATE UNIQUE INDEX bookings_request_key ON bookings (request_key)"
        " WHERE request_key IS NOT NULL"
    )
