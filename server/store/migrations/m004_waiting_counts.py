"""How many tickets wait, per day, service and priority, kept by triggers in every transaction.

A new ticket's "people ahead" then reads a handful of rows instead of counting the whole waiting
queue (which grows with a busy morning). Triggers rather than use-case code, so every path that
changes a ticket (issue, call, transfer, cancel, another worker process, a future feature) keeps the
count right without remembering to.
"""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE waiting_counts (day TEXT NOT NULL, service TEXT NOT NULL,"
        " priority INTEGER NOT NULL, waiting INTEGER NOT NULL,"
        " PRIMARY KEY (day, service, priority)) WITHOUT ROWID"
    )
    db.execute(
        "INSERT INTO waiting_counts (day, service, priority, waiting)"
        " SELECT day, service, priority, count(*) FROM tickets WHERE state = 'waiting'"
        " GROUP BY day, service, priority"
    )
    add = (
        "INSERT INTO waiting_counts (day, service, priority, waiting)"
        " VALUES (NEW.day, NEW.service, NEW.priority, 1)"
        " ON CONFLICT (day, service, priority) DO UPDATE SET waiting = waiting + 1;"
    )
    remove = (
        "UPDATE waiting_counts SET waiting = waiting - 1"
        " WHERE day = OLD.day AND service = OLD.service AND priority = OLD.priority;"
    )
    db.execute(
        "CREATE TRIGGER waiting_count_insert AFTER INSERT ON tickets"
        f" WHEN NEW.state = 'waiting' BEGIN {add} END"
    )
    db.execute(
        "CREATE TRIGGER waiting_count_leave AFTER UPDATE OF state, day, service, priority"
        f" ON tickets WHEN OLD.state = 'waiting' BEGIN {remove} END"
    )
    db.execute(
        "CREATE TRIGGER waiting_count_enter AFTER UPDATE OF state, day, service, priority"
        f" ON tickets WHEN NEW.state = 'waiting' BEGIN {add} END"
    )
    db.execute(
        "CREATE TRIGGER waiting_count_delete AFTER DELETE ON tickets"
        f" WHEN OLD.state = 'waiting' BEGIN {remove} END"
    )
