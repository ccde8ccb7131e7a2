"""Visits through several steps, and the outcome of each finish (docs/server.md, "Visits").

- ``visit_service``: the service chosen at the kiosk, set when a ticket first moves on to a
  later step (NULL: the ticket is still where it was issued, ``service`` is the visit's);
- ``step``: the ticket's 0-based place in its visit's steps (the API shows it 1-based);
- ``outcome``: the id of the outcome the clerk picked at the last finish (NULL: none given);
- ``note``: the clerk's note that travels with the ticket to its next step (staff only).

The ``waiting_counts`` triggers (m004) already follow a change of ``service``, ``state`` and
``priority`` in one UPDATE, which is how a ticket moves on to its next step. The index serves
the dashboard's first-visit resolution (finished visits by visit service and outcome, per day).
"""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE tickets ADD COLUMN visit_service TEXT")
    db.execute("ALTER TABLE tickets ADD COLUMN step INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE tickets ADD COLUMN outcome TEXT")
    db.execute("ALTER TABLE tickets ADD COLUMN note TEXT")
    db.execute(
        "CREATE INDEX tickets_outcomes ON tickets (day, state, visit_service, service, outcome)"
    )
