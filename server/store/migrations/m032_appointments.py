"""Appointments (docs/appointments.md): bookings, the manager's closed days and slots, and the
tickets' link to a booking.

- ``bookings``: one row per booking, its code (canonical 9 symbols, the booking kind of
  ``nafitha/reference.py``) the key; the slot (``day``, ``start`` ``HH:MM`` local, ``at`` its
  moment); ``status`` booked → checked_in | cancelled | no_show; the citizen's optional name and
  phone (E.164) and whether they asked for messages; who booked (``by``: a device, a person, or
  ``public``); the ticket issued at check-in.
- ``appointment_closed_days``, ``appointment_closed_slots`` (``service`` '' for every service).
- ``tickets.appointment_code`` and ``tickets.appointment_at`` (the slot's moment: the calling
  rule, ``server/domain/appointment_calling.py``), with an index over waiting appointment tickets.
"""

from __future__ import annotations

import sqlite_utils

SCHEMA = """
CREATE TABLE bookings (
    code TEXT PRIMARY KEY,
    service TEXT NOT NULL,
    day TEXT NOT NULL,
    start TEXT NOT NULL,
    at REAL NOT NULL,
    status TEXT NOT NULL DEFAULT 'booked'
        CHECK (status IN ('booked', 'checked_in', 'cancelled', 'no_show')),
    lang TEXT NOT NULL,
    name TEXT,
    phone TEXT,
    notify INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    by TEXT NOT NULL,
    ticket_id INTEGER REFERENCES tickets (id),
    changed_at REAL,
    checked_in_at REAL,
    late INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX bookings_slot ON bookings (day, service, start, status);
CREATE INDEX bookings_phone ON bookings (phone, day) WHERE phone IS NOT NULL;
CREATE INDEX bookings_due ON bookings (status, at);
CREATE TABLE appointment_closed_days (
    day TEXT PRIMARY KEY, reason TEXT NOT NULL DEFAULT '', set_by TEXT, set_at REAL NOT NULL
);
CREATE TABLE appointment_closed_slots (
    day TEXT NOT NULL, start TEXT NOT NULL, service TEXT NOT NULL DEFAULT '',
    set_by TEXT, set_at REAL NOT NULL,
    PRIMARY KEY (day, start, service)
);
ALTER TABLE tickets ADD COLUMN appointment_code TEXT;
ALTER TABLE tickets ADD COLUMN appointment_at REAL;
CREATE INDEX tickets_appointment_waiting ON tickets (day, service, priority, appointment_at)
    WHERE appointment_at IS NOT NULL AND state = 'waiting'
"""


def up(db: sqlite_utils.Database) -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
