"""Complaints and suggestions (docs/complaints.md): the tracked row and its steps.

A complaint is tracked like a file, by a reference of its own kind (``nafitha/reference.py``). Its
row holds what the citizen wrote and the state shown by reference; ``complaint_steps`` keeps one
line per change. Every step is also an event in the hash chain carrying the row's state and a
digest of the texts (never the text or the phone), so a row deleted or edited in place is found
by ``server/usecases/complaints_integrity.py``. Nothing here is ever deleted: spam is a mark.
``due_day`` is the center-local day of the deadline, for the self-assessment's periods.
"""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE complaints (
            reference TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('complaint', 'suggestion')),
            about TEXT NOT NULL CHECK (about IN ('service', 'visit', 'center')),
            service TEXT,
            ticket_id INTEGER,
            topic TEXT,
            text TEXT NOT NULL DEFAULT '',
            lang TEXT NOT NULL DEFAULT 'ar',
            phone TEXT,
            channel TEXT NOT NULL,
            device TEXT,
            status TEXT NOT NULL DEFAULT 'received'
                CHECK (status IN ('received', 'under_review', 'answered', 'closed')),
            spam INTEGER NOT NULL DEFAULT 0,
            filed_at REAL NOT NULL,
            deadline_at REAL NOT NULL,
            due_day TEXT NOT NULL,
            answer TEXT,
            answer_lang TEXT,
            answered_at REAL,
            answered_by TEXT,
            closed_at REAL,
            alerted_at REAL,
            alert_id INTEGER,
            escalated_at REAL,
            steps INTEGER NOT NULL DEFAULT 1,
            updated_at REAL NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX complaints_status ON complaints (status, deadline_at)")
    db.execute("CREATE INDEX complaints_due_day ON complaints (due_day)")
    db.execute("CREATE INDEX complaints_phone ON complaints (phone, filed_at)")
    db.execute(
        """
        CREATE TABLE complaint_steps (
            id INTEGER PRIMARY KEY,
            reference TEXT NOT NULL,
            seq INTEGER NOT NULL,
            at REAL NOT NULL,
            step TEXT NOT NULL,
            status TEXT NOT NULL,
            actor TEXT,
            event_id INTEGER NOT NULL,
            UNIQUE (reference, seq)
        )
        """
    )
