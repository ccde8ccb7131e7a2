"""Text messages: the durable outbox, the citizens' consent, and the inbound messages (docs/sms.md).

A message row is written in the transaction of the event that causes it (``queue_message`` in
``server/store/outbox.py``); the sender claims it (``sending``) before handing it to the modem and
records the modem's references after, so a crash never sends it twice.
"""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE sms_outbox (
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
                CHECK (state IN ('queued', 'sending', 'sent', 'delivered', 'failed')),
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
            error TEXT
        )
        """
    )
    db.execute("CREATE INDEX sms_outbox_due ON sms_outbox (state, next_try_at)")
    db.execute("CREATE INDEX sms_outbox_phone ON sms_outbox (phone, claimed_at)")
    db.execute("CREATE INDEX sms_outbox_day ON sms_outbox (created_at)")
    db.execute(
        """
        CREATE TABLE sms_consent (
            phone TEXT PRIMARY KEY,
            given_at REAL NOT NULL,
            given_by TEXT NOT NULL,
            lang TEXT NOT NULL,
            purge_after REAL NOT NULL,
            stopped_at REAL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE sms_inbound (
            id INTEGER PRIMARY KEY,
            received_at REAL NOT NULL,
            phone TEXT NOT NULL,
            body TEXT NOT NULL,
            outcome TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX sms_inbound_phone ON sms_inbound (phone, received_at)")
