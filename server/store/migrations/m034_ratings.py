"""Citizens' ratings of their visits: one row per ticket, 1 to 5 stars (docs/ratings.md).

``ticket_id`` is the key, so a ticket is rated at most once whichever way the rating comes (the
phone page, the counter's small screen, the SMS link). ``day`` is the ticket's day and
``finished_at`` its finish, so the figures group by the same day and hour as the queue's;
``service``, ``counter`` and ``clerk`` are where the visit ended. ``comment`` is plain text,
already stripped of control and bidi-override characters; it never leaves the staff's views.
"""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE ratings (
            ticket_id INTEGER PRIMARY KEY REFERENCES tickets (id),
            stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
            comment TEXT NOT NULL DEFAULT '',
            lang TEXT NOT NULL CHECK (lang IN ('ar', 'en')),
            at REAL NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('phone', 'counter')),
            day TEXT NOT NULL,
            finished_at REAL NOT NULL,
            service TEXT NOT NULL,
            counter TEXT,
            clerk TEXT
        )
        """
    )
    db.execute("CREATE INDEX ratings_day ON ratings (day)")
    db.execute("CREATE INDEX ratings_clerk ON ratings (clerk, day)")
