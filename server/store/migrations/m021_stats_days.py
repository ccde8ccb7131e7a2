"""Day aggregates of the manager's figures, so a period of months reads a few rows per day.

``stats_days`` holds, for each finished day, one row per group (``dim`` all/service/counter/clerk/
hour and its ``key``) with the additive figures and duration histograms as JSON
(:class:`nafitha.stats.Aggregate`); ``stats_days_done`` marks the days computed;
``stats_months`` merges the days of each finished month. All are a cache of the tickets table:
deleting them loses nothing.
"""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE stats_days ("
        " day TEXT NOT NULL, dim TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL,"
        " PRIMARY KEY (day, dim, key))"
    )
    db.execute(
        "CREATE TABLE stats_days_done ("
        " day TEXT PRIMARY KEY, computed_at REAL NOT NULL, tickets INTEGER NOT NULL)"
    )
    db.execute(
        "CREATE TABLE stats_months ("
        " month TEXT NOT NULL, dim TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL,"
        " PRIMARY KEY (month, dim, key))"
    )
