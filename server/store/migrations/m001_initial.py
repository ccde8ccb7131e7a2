"""The first schema: catalog, people, devices, sessions, tickets, numbering, the event log."""

from __future__ import annotations

import sqlite_utils

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE categories (id TEXT PRIMARY KEY, position INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE services (
    id TEXT PRIMARY KEY, position INTEGER NOT NULL, prefix TEXT NOT NULL, data TEXT NOT NULL
);
CREATE TABLE counters (
    id TEXT PRIMARY KEY, number INTEGER NOT NULL UNIQUE, position INTEGER NOT NULL,
    data TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'closed' CHECK (status IN ('closed', 'open', 'paused')),
    clerk TEXT, status_at REAL
);
CREATE TABLE people (
    username TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL CHECK (role IN ('clerk', 'manager', 'admin')),
    password_hash TEXT, active INTEGER NOT NULL DEFAULT 1, created_at REAL NOT NULL
);
CREATE TABLE devices (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('kiosk', 'counter', 'board')),
    name TEXT NOT NULL DEFAULT '', token_hash TEXT NOT NULL UNIQUE,
    active INTEGER NOT NULL DEFAULT 1, created_at REAL NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY, username TEXT NOT NULL REFERENCES people(username),
    counter TEXT, created_at REAL NOT NULL, expires_at REAL NOT NULL, ended_at REAL
);
CREATE TABLE ticket_sequences (
    day TEXT NOT NULL, prefix TEXT NOT NULL, last INTEGER NOT NULL, PRIMARY KEY (day, prefix)
);
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL, prefix TEXT NOT NULL, seq INTEGER NOT NULL, number TEXT NOT NULL,
    service TEXT NOT NULL, priority INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL CHECK (state IN
        ('waiting', 'called', 'serving', 'done', 'no_show', 'cancelled')),
    public_token TEXT NOT NULL UNIQUE,
    issued_at REAL NOT NULL, called_at REAL, started_at REAL, finished_at REAL,
    counter TEXT, clerk TEXT, target_counter TEXT,
    device TEXT, file TEXT, idempotency_key TEXT,
    recalls INTEGER NOT NULL DEFAULT 0, transfers INTEGER NOT NULL DEFAULT 0,
    UNIQUE (day, prefix, seq)
);
CREATE UNIQUE INDEX tickets_idempotency ON tickets (device, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX tickets_waiting ON tickets (state, day, service, priority, issued_at);
CREATE INDEX tickets_counter ON tickets (counter, state);
CREATE INDEX tickets_finished ON tickets (service, finished_at);
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL, kind TEXT NOT NULL, actor TEXT, counter TEXT, device TEXT,
    ticket_id INTEGER, data TEXT NOT NULL, public TEXT,
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE INDEX events_public ON events (id) WHERE public IS NOT NULL;
CREATE INDEX events_ticket ON events (ticket_id);
"""


def up(db: sqlite_utils.Database) -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
