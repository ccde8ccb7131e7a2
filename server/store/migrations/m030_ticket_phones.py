"""Tickets whose holder asked for text messages, "turn near" and "called" (docs/sms.md).

One row per ticket (the kiosk right after printing, or the phone page ``/t/<token>``): the number
in E.164, the language the messages are written in, when consent was given, and when each of the
two notices was queued (each is sent once). ``day`` is the ticket's day: the calling path looks only
at today's opted-in tickets not yet told anything (a partial index). Rows are
deleted with the rest of the text-message data after ``[sms] purge_days``.
"""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE ticket_phones (
            ticket_id INTEGER PRIMARY KEY REFERENCES tickets (id),
            day TEXT NOT NULL,
            phone TEXT NOT NULL,
            lang TEXT NOT NULL,
            consent_at REAL NOT NULL,
            turn_near_sent_at REAL,
            called_sent_at REAL
        )
        """
    )
    db.execute(
        "CREATE INDEX ticket_phones_near ON ticket_phones (day)"
        " WHERE turn_near_sent_at IS NULL AND called_sent_at IS NULL"
    )
    db.execute("CREATE INDEX ticket_phones_consent ON ticket_phones (consent_at)")
