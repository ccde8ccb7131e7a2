"""Device alerts for the staff, and the wait quoted at issue (to measure the estimate)."""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE alerts ("
        " id INTEGER PRIMARY KEY, at REAL NOT NULL, kind TEXT NOT NULL, message TEXT NOT NULL,"
        " device TEXT, actor TEXT, resolved_at REAL, resolved_by TEXT)"
    )
    db.execute("CREATE INDEX alerts_open ON alerts (resolved_at, at)")
    db.execute("ALTER TABLE tickets ADD COLUMN quoted_wait_s REAL")
