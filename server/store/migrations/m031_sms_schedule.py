"""Scheduled and withdrawable text messages: ``sms_outbox.not_before``, ``about``, ``withdrawn``.

An appointment's reminder is queued when the booking is made but must not go before 07:00 on its
day (``not_before``), and must never go once the booking is cancelled or moved: ``about`` names
what the message is about (``booking:<code>``, ``complaint:<reference>``, ``place:<id>``) so
``outbox.withdraw`` finds its pending messages. A withdrawn message is a state of its own
(neither sent nor failed), so the table is rebuilt: SQLite cannot change a CHECK constraint in
place. The outbox is small (numbers and texts are purged after ``purge_days``); the copy runs in
the migration's own transaction.
"""

from __future__ import annotations

import sqlite_utils

_COLUMNS = (
    "id, created_at, kind, phone, lang, body, encoding, parts, ticket_id, file_reference, state,"
    " tries, next_try_at, expires_at, claimed_at, sent_at, delivered_at, failed_at, parts_sent,"
    " delivered_parts, modem_refs, error"
)


def up(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE sms_outbox_new (
            id INTEGER PRIMARY KEY,
            created_at REAL NOT NULL,
            kind TEXT NOT NULL,
            phone TEXT NOT NULL,
            lang TEXT NOT NULL,
            body TEXT NOT NULL,
            encoding TEXT NOT NULL CHECK (encoding IN ('gsm7', 'ucs2')),
            parts INTEGER NOT NULL,
            ticket_id INTEGER,
            file_reference TEXT,
            state TEXT NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'withdrawn')),
            tries INTEGER NOT NULL DEFAULT 0,
            next_try_at REAL NOT NULL,
            expires_at REAL,
            claimed_at REAL,
            sent_at REAL,
            delivered_at REAL,
            failed_at REAL,
            parts_sent INTEGER NOT NULL DEFAULT 0,
            delivered_parts INTEGER NOT NULL DEFAULT 0,
            modem_refs TEXT NOT NULL DEFAULT '[]',
            error TEXT,
            not_before REAL,
            about TEXT,
            withdrawn_at REAL
        )
        """
    )
    db.execute(f"INSERT INTO sms_outbox_new ({_COLUMNS}) SELECT {_COLUMNS} FROM sms_outbox")
    db.execute("DROP TABLE sms_outbox")
    db.execute("ALTER TABLE sms_outbox_new RENAME TO sms_outbox")
    db.execute("CREATE INDEX sms_outbox_due ON sms_outbox (state, next_try_at)")
    db.execute("CREATE INDEX sms_outbox_phone ON sms_outbox (phone, claimed_at)")
    db.execute("CREATE INDEX sms_outbox_day ON sms_outbox (created_at)")
    db.execute("CREATE INDEX sms_outbox_about ON sms_outbox (about) WHERE about IS NOT NULL")
