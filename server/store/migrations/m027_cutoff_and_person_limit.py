"""The cut-off's overrides and the tickets-per-person limit (docs/server.md, "The cut-off" and
"Tickets per person").

- ``service_day_overrides``: the manager's decision for one service on one day (``open`` 1: keep
  issuing past the cut-off until the service closes; 0: the rule applies again), who and when.
- ``ticket_people``: one row per ticket of a limited service: the day, the service, a keyed
  digest of the person's phone or id digits (HMAC with the citizen digest key over the day, the
  service and the value: never the value), and the ticket. Counting rows of a digest is the limit.
- ``person_refusals``: refusals beyond the limit, counted per day and service for the dashboard.
"""

from __future__ import annotations

import sqlite_utils

SCHEMA = """
CREATE TABLE service_day_overrides (
    day TEXT NOT NULL, service TEXT NOT NULL, open INTEGER NOT NULL,
    set_by TEXT, set_at REAL NOT NULL,
    PRIMARY KEY (day, service)
);
CREATE TABLE ticket_people (
    day TEXT NOT NULL, service TEXT NOT NULL, digest TEXT NOT NULL,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id)
);
CREATE INDEX ticket_people_count ON ticket_people (day, service, digest);
CREATE TABLE person_refusals (
    day TEXT NOT NULL, service TEXT NOT NULL, refusals INTEGER NOT NULL,
    PRIMARY KEY (day, service)
);
"""


def up(db: sqlite_utils.Database) -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
