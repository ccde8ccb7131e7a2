"""Each counter remembers the run of its last calls: which kind (normal or priority), how many in
a row, and on which day.

The ratio calling profiles (server/domain/calling_profile.py) choose the next kind from it. It is
read and written inside the call's own BEGIN IMMEDIATE transaction, so two clerks calling at once
never both see the same run.
"""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE counters ADD COLUMN call_run_day TEXT")
    db.execute("ALTER TABLE counters ADD COLUMN call_run_kind TEXT")
    db.execute("ALTER TABLE counters ADD COLUMN call_run INTEGER NOT NULL DEFAULT 0")
