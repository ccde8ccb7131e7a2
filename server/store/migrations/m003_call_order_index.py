"""An index in the exact call order (priority first, then issue time, then id), so calling the next
ticket reads one index entry per service instead of sorting every waiting ticket; and one for the
tickets transferred to a given counter."""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.execute("DROP INDEX IF EXISTS tickets_waiting")
    db.execute(
        "CREATE INDEX tickets_call_order ON tickets (state, day, service, priority DESC, issued_at)"
    )
    db.execute(
        "CREATE INDEX tickets_sent_to_counter ON tickets (target_counter, state, day,"
        " priority DESC, issued_at) WHERE target_counter IS NOT NULL"
    )
