"""Failed logins in the database rather than in each process's memory, so the throttle holds across
worker processes (with N workers, an in-memory count would allow N times the attempts)."""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TABLE login_failures (username TEXT NOT NULL, at REAL NOT NULL)")
    db.execute("CREATE INDEX login_failures_by_name ON login_failures (username, at)")
