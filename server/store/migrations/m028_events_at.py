"""The events of one day, found by time: the published integrity report (``/integrity``).

The report reads one day of the log (``at`` in the center's calendar day) and its last event.
Without an index on ``at`` each report would scan the whole log (millions of rows after a year);
with it, a day is a range of the index. One more small B-tree entry per event written.
"""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.execute("CREATE INDEX IF NOT EXISTS events_at ON events (at)")
