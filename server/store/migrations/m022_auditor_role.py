"""People may have the role ``auditor``: reads the audit log, the statistics and the signed heads,
changes nothing (server/domain/roles.py).

SQLite cannot change a CHECK in place, and foreign keys stay on inside a migration's transaction:
people and sessions (the one table referring to people) are rebuilt together, children first, so
no row ever refers to a missing person.
"""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE people_new ("
        " username TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '',"
        " role TEXT NOT NULL CHECK (role IN ('clerk', 'manager', 'admin', 'auditor')),"
        " password_hash TEXT, active INTEGER NOT NULL DEFAULT 1, created_at REAL NOT NULL)"
    )
    db.execute(
        "INSERT INTO people_new (username, name, role, password_hash, active, created_at)"
        " SELECT username, name, role, password_hash, active, created_at FROM people"
    )
    db.execute(
        "CREATE TABLE sessions_new ("
        " token_hash TEXT PRIMARY KEY, username TEXT NOT NULL REFERENCES people_new(username),"
        " counter TEXT, created_at REAL NOT NULL, expires_at REAL NOT NULL, ended_at REAL)"
    )
    db.execute(
        "INSERT INTO sessions_new (token_hash, username, counter, created_at, expires_at, ended_at)"
        " SELECT token_hash, username, counter, created_at, expires_at, ended_at FROM sessions"
    )
    db.execute("DROP TABLE sessions")
    db.execute("DROP TABLE people")
    db.execute("ALTER TABLE people_new RENAME TO people")  # sessions_new now refers to people
    db.execute("ALTER TABLE sessions_new RENAME TO sessions")
