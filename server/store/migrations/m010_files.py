"""Citizen files and their history (docs/files.md).

``files`` holds each file's current state and the citizen's personal data; ``file_history``
holds every move, append-only (``seq`` numbers a file's moves 1, 2, 3... with no gap, a unique
pair, so two writers never both record "move 4"). Files are never deleted, only cancelled.
"""

from __future__ import annotations

import sqlite_utils

SCHEMA = """
CREATE TABLE files (
    reference TEXT PRIMARY KEY CHECK (length(reference) = 9),
    service TEXT NOT NULL,
    workflow TEXT NOT NULL,
    stage TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'missing_documents', 'cancelled', 'closed')),
    stage_entered_at REAL NOT NULL,
    due_at REAL,
    opened_at REAL NOT NULL,
    opened_by TEXT NOT NULL,
    updated_at REAL NOT NULL,
    moves INTEGER NOT NULL,
    ticket_id INTEGER,
    citizen_name TEXT NOT NULL,
    national_id TEXT,
    phone TEXT,
    documents_received TEXT NOT NULL DEFAULT '[]',
    missing TEXT NOT NULL DEFAULT '[]',
    note TEXT
);
CREATE INDEX files_national_id ON files (national_id) WHERE national_id IS NOT NULL;
CREATE INDEX files_phone ON files (phone) WHERE phone IS NOT NULL;
CREATE INDEX files_due ON files (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX files_ticket ON files (ticket_id) WHERE ticket_id IS NOT NULL;
CREATE TABLE file_history (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL REFERENCES files(reference),
    seq INTEGER NOT NULL,
    at REAL NOT NULL,
    kind TEXT NOT NULL,
    from_stage TEXT,
    stage TEXT NOT NULL,
    status TEXT NOT NULL,
    by TEXT NOT NULL,
    role TEXT NOT NULL,
    counter TEXT,
    note TEXT,
    reason TEXT,
    missing TEXT NOT NULL DEFAULT '[]',
    UNIQUE (reference, seq)
);
CREATE TRIGGER file_history_append_only_update BEFORE UPDATE ON file_history
BEGIN SELECT RAISE(ABORT, 'file history is append-only'); END;
CREATE TRIGGER file_history_append_only_delete BEFORE DELETE ON file_history
BEGIN SELECT RAISE(ABORT, 'file history is append-only'); END;
CREATE TRIGGER files_never_deleted BEFORE DELETE ON files
BEGIN SELECT RAISE(ABORT, 'files are never deleted: cancel them'); END;
"""


def up(db: sqlite_utils.Database) -> None:
    for statement in SCHEMA.split(";\n"):
        if statement.strip():
            db.execute(statement)
