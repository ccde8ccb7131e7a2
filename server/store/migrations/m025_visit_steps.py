"""Visits through several steps, and the outcome of each finish (docs/server.md, "Visits").

- ``visit_service``: the service chosen at the kiosk, set when a ticket first moves on to a
  later step (NULL: the ticket is still where it was issued, ``service`` is the visit's);
- ``step``: the ticket's 0-based place in its visit's steps (the API shows it 1-based);
- ``outcome``: the id of the outcome the clerk picked at the last finish (NULL: none given);
- ``note``: the clerk's note that travels with the ticket to its next step (staff only).

``ticket_steps`` keeps each step a visit went on from (its service, counter, clerk, times and
outcome), which the ticket's row no longer holds once it waits for the next step: the clerk's
served count and the wait estimate's recent service times read it beside the finished tickets.

The ``waiting_counts`` triggers (m004) already follow a change of ``service``, ``state`` and
``priority`` in one UPDATE, which is how a ticket moves on to its next step. The index serves
the dashboard's first-visit resolution (finished visits by visit service and outcome, per day),
kept per settled day in ``resolution_days``.
"""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE tickets ADD COLUMN visit_service TEXT")
    db.execute("ALTER TABLE tickets ADD COLUMN step INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE tickets ADD COLUMN outcome TEXT")
    db.execute("ALTER TABLE tickets ADD COLUMN note TEXT")
    db.execute(
        "CREATE TABLE ticket_steps (ticket_id INTEGER NOT NULL REFERENCES tickets (id),"
        " step INTEGER NOT NULL, day TEXT NOT NULL, service TEXT NOT NULL, counter TEXT,"
        " clerk TEXT, called_at REAL, started_at REAL, finished_at REAL NOT NULL, outcome TEXT)"
    )
    db.execute("CREATE INDEX ticket_steps_clerk ON ticket_steps (day, clerk)")
    db.execute("CREATE INDEX ticket_steps_service ON ticket_steps (service, day, finished_at)")
    # Finished visits per settled day, kept once computed (a year's resolution reads ~13,000 rows
    # instead of a million tickets); outcome '' stands for none given.
    db.execute(
        "CREATE TABLE resolution_days (day TEXT NOT NULL, visit TEXT NOT NULL,"
        " service TEXT NOT NULL, outcome TEXT NOT NULL, finished INTEGER NOT NULL,"
        " PRIMARY KEY (day, visit, service, outcome)) WITHOUT ROWID"
    )
    db.execute("CREATE TABLE resolution_days_done (day TEXT PRIMARY KEY) WITHOUT ROWID")
    db.execute(
        "CREATE INDEX tickets_outcomes ON tickets (day, state, visit_service, service, outcome)"
    )
