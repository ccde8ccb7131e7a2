"""Places in today's queue taken from a phone (``queue_places``, docs/appointments.md).

A place is not a ticket: it is never called. It becomes one when the citizen confirms it at the
kiosk (``ticket_id``), keeping its position (the ticket's issue time is the join time), or lapses
when not confirmed by ``expires_at``. The phone number is kept here only (one place per number per
service per day, ``phone`` in E.164); it never goes into an event.
"""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE queue_places (
            id INTEGER PRIMARY KEY,
            token TEXT NOT NULL UNIQUE,
            day TEXT NOT NULL,
            service TEXT NOT NULL,
            phone TEXT NOT NULL,
            lang TEXT NOT NULL,
            joined_at REAL NOT NULL,
            come_back_at REAL NOT NULL,
            expires_at REAL NOT NULL,
            state TEXT NOT NULL DEFAULT 'waiting'
                CHECK (state IN ('waiting', 'confirmed', 'lapsed')),
            confirmed_at REAL,
            lapsed_at REAL,
            ticket_id INTEGER REFERENCES tickets (id),
            device TEXT
        )
        """
    )
    # One place per phone per service per day, whatever became of it (a lapsed place does not
    # give its number a second try the same day: the rule the citizen is told).
    db.execute(
        "CREATE UNIQUE INDEX queue_places_one_per_phone ON queue_places (day, service, phone)"
    )
    db.execute("CREATE INDEX queue_places_due ON queue_places (state, expires_at)")
