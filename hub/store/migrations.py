"""The hub's PostgreSQL schema, as numbered migrations applied at start (docs/hub.md, "Schema").

Each migration runs once, in order, inside one transaction that holds an advisory lock, so two
hub processes starting together never both apply one. ``schema_migrations`` records what ran;
running :func:`migrate` again applies nothing.

Roles (cluster-wide, created when missing; the migrating user needs CREATEROLE):
- ``hub_reader``: reads every table except ``personal`` (the HTTP API sets this role on its
  connections, so no request can ever read personal data);
- ``ministry_personal``: ``hub_reader`` plus ``personal`` (the ministry's authorised staff).
The writer connects as the database's owner. ``personal`` is revoked from PUBLIC.
"""

from __future__ import annotations

import time

import psycopg

from hub.store.figures_schema import M007_FIGURES
from hub.store.portal_schema import M005_PORTAL

MIGRATION_LOCK = 0x6E61_6669  # pg_advisory_xact_lock key ("nafi")

M001_TABLES = """
CREATE TABLE centers (
    id text PRIMARY KEY,
    name jsonb NOT NULL DEFAULT '{}',
    public_key text,
    head_seq bigint NOT NULL DEFAULT 0,
    head_hash text NOT NULL DEFAULT repeat('0', 64),
    head_at double precision,              -- the head event's own time at the center
    received_at double precision,          -- when the hub accepted it
    signed_seq bigint,                      -- the newest verified signed head
    signed_hash text,
    signed_at double precision,
    signed_head text,                       -- its JSON, as the center wrote it
    status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'stopped')),
    stopped_reason text,
    last_contact double precision,          -- the last batch fetched from its leaf
    duplicates bigint NOT NULL DEFAULT 0,   -- redelivered events recognised and dropped
    leaf_seq bigint,                        -- the leaf stream's newest Nafitha-Seq when asked
    leaf_at double precision,               -- that event's time at the center
    leaf_checked_at double precision
);
CREATE TABLE events (
    center text NOT NULL REFERENCES centers(id),
    seq bigint NOT NULL,
    at double precision NOT NULL,
    kind text NOT NULL,
    actor text,
    counter text,
    device text,
    ticket_id bigint,
    data text NOT NULL,                     -- the exact text the center hashed
    public text,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    reference text,                         -- the file a file event is about (for replays)
    received_at double precision NOT NULL,
    PRIMARY KEY (center, seq)
);
CREATE INDEX events_ticket ON events (center, ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX events_reference ON events (center, reference) WHERE reference IS NOT NULL;
CREATE TABLE personal (
    center text NOT NULL,
    seq bigint NOT NULL,
    reference text,
    name text,
    national_id text,
    phone text,
    PRIMARY KEY (center, seq),
    FOREIGN KEY (center, seq) REFERENCES events(center, seq)
);
CREATE TABLE alarms (
    id bigserial PRIMARY KEY,
    center text NOT NULL,
    seq bigint,
    kind text NOT NULL,
    detail text NOT NULL,
    at double precision NOT NULL,
    cleared_at double precision,
    cleared_by text
);
CREATE INDEX alarms_open ON alarms (center) WHERE cleared_at IS NULL;
CREATE TABLE rejected (
    id bigserial PRIMARY KEY,
    center text NOT NULL,
    at double precision NOT NULL,
    reason text NOT NULL,
    stream_seq bigint,                      -- where it sits in the leaf's stream, when known
    raw bytea NOT NULL                      -- the message exactly as it came: nothing is lost
);
CREATE TABLE tickets (
    center text NOT NULL,
    ticket_id bigint NOT NULL,
    day text, prefix text, seq integer, number text, service text, priority integer,
    state text, issued_at double precision, called_at double precision,
    started_at double precision, finished_at double precision,
    counter text, clerk text, target_counter text, device text, file text,
    recalls integer, transfers integer, quoted_wait_s double precision,
    first_event bigint NOT NULL, last_event bigint NOT NULL,
    PRIMARY KEY (center, ticket_id)
);
CREATE INDEX tickets_day ON tickets (center, day, service);
CREATE TABLE files (
    center text NOT NULL,
    reference text NOT NULL,
    service text, workflow text, stage text, status text,
    stage_entered_at double precision, due_at double precision, opened_at double precision,
    opened_by text, updated_at double precision, moves integer, ticket_id bigint,
    documents_received jsonb, missing jsonb, note text,
    first_event bigint NOT NULL, last_event bigint NOT NULL,
    PRIMARY KEY (center, reference)
);
CREATE INDEX files_reference ON files (reference);
CREATE TABLE file_history (
    center text NOT NULL,
    reference text NOT NULL,
    seq integer NOT NULL,
    at double precision, kind text, from_stage text, stage text, status text,
    "by" text, role text, counter text, note text, reason text, missing jsonb,
    first_event bigint NOT NULL, last_event bigint NOT NULL,
    PRIMARY KEY (center, reference, seq)
);
-- Per center, day and service: what the ministry's dashboard reads (issue 14, "Projections").
CREATE VIEW ticket_days AS
SELECT center, day, service,
    count(*) AS issued,
    count(called_at) AS called,
    count(*) FILTER (WHERE state = 'done') AS served,
    count(*) FILTER (WHERE state = 'no_show') AS no_show,
    count(*) FILTER (WHERE state = 'cancelled') AS cancelled,
    avg(called_at - issued_at) AS wait_mean_s,
    max(called_at - issued_at) AS wait_max_s,
    avg(finished_at - started_at) FILTER (WHERE state = 'done') AS service_mean_s,
    avg(quoted_wait_s) AS quoted_mean_s,
    avg((called_at - issued_at) - quoted_wait_s) AS quote_error_mean_s
FROM tickets
GROUP BY center, day, service;
"""

M002_ROLES = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hub_reader') THEN
        CREATE ROLE hub_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ministry_personal') THEN
        CREATE ROLE ministry_personal NOLOGIN;
    END IF;
END
$$;
GRANT hub_reader TO ministry_personal;
REVOKE ALL ON personal FROM PUBLIC;
GRANT SELECT ON centers, events, alarms, rejected, tickets, files, file_history, ticket_days
    TO hub_reader;
GRANT SELECT ON personal TO ministry_personal;
"""

# The position in the center's leaf stream of the last message the hub dealt with (accepted,
# counted as a duplicate or rejected), written in the batch's transaction: the writer restarts its
# consumer just after it, so what the transport forgot or half-delivered never decides anything.
M003_STREAM_POSITION = """
ALTER TABLE centers ADD COLUMN stream_seq bigint NOT NULL DEFAULT 0;
"""

# The ministry's people at the hub, their sessions and the sign-in throttle (docs/hub.md,
# "Ministry dashboard"). ``hub_web`` is what the HTTP API's dashboard connections act as: what
# ``hub_reader`` reads plus these three tables, never ``personal``.
M004_PEOPLE = """
CREATE TABLE hub_people (
    username text PRIMARY KEY,
    role text NOT NULL CHECK (role IN ('ministry', 'auditor', 'hub_admin')),
    password_hash text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    created_at double precision NOT NULL,
    updated_at double precision NOT NULL
);
CREATE TABLE hub_sessions (
    token_hash text PRIMARY KEY,
    username text NOT NULL REFERENCES hub_people(username) ON DELETE CASCADE,
    created_at double precision NOT NULL,
    expires_at double precision NOT NULL,
    ended_at double precision
);
CREATE INDEX hub_sessions_user ON hub_sessions (username);
CREATE TABLE hub_login_attempts (
    key text PRIMARY KEY,
    attempts integer NOT NULL,
    window_start double precision NOT NULL
);
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hub_web') THEN
        CREATE ROLE hub_web NOLOGIN;
    END IF;
END
$$;
GRANT hub_reader TO hub_web;
GRANT SELECT, INSERT, UPDATE, DELETE ON hub_people, hub_sessions, hub_login_attempts TO hub_web;
REVOKE ALL ON hub_people, hub_sessions, hub_login_attempts FROM hub_reader;
"""

# The ministry's dashboard reads calls, alerts, a period's tickets and today's waiting tickets
# (hub/store/figures.py); these indexes keep a year of several centers under a second.
M006_FIGURES = """
CREATE INDEX events_calls ON events (center, at) INCLUDE (kind)
    WHERE kind IN ('ticket_called', 'ticket_called_out_of_order');
CREATE INDEX events_alerts ON events (center, seq)
    WHERE kind IN ('alert_raised', 'alert_resolved');
CREATE INDEX tickets_period ON tickets (day);
CREATE INDEX tickets_waiting ON tickets (center, day) WHERE state = 'waiting';
"""

# The ministry's list of complaints escalated to it (hub/store/figures.py, escalated_complaints):
# a center's complaint events, few beside its tickets', found without reading the others.
M008_COMPLAINTS = """
CREATE INDEX events_complaints ON events (center, seq)
    WHERE kind IN ('complaint_filed', 'complaint_status_changed', 'complaint_answered',
        'complaint_escalated', 'complaint_marked_spam');
"""

# The ministry's live alerts list each counter's silent alarm with the devices' alerts
# (hub/store/figures.py, device_alerts); the presses are few, found without reading the rest.
M009_SILENT_ALARMS = """
CREATE INDEX events_silent_alarms ON events (center, seq) WHERE kind = 'silent_alarm';
"""

MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (1, "tables and the ticket_days view", M001_TABLES),
    (2, "roles: hub_reader, ministry_personal", M002_ROLES),
    (3, "centers.stream_seq: where the writer resumes in the leaf stream", M003_STREAM_POSITION),
    (4, "the ministry's people, sessions, sign-in throttle; role hub_web", M004_PEOPLE),
    (5, "the portal's rate limits and indexes (hub/store/portal_schema.py)", M005_PORTAL),
    (6, "indexes of the ministry's figures", M006_FIGURES),
    (7, "the ministry's day aggregates, kept by a trigger on tickets", M007_FIGURES),
    (8, "an index of complaint events, for the ministry's escalated complaints", M008_COMPLAINTS),
    (9, "an index of silent alarms, for the ministry's live alerts", M009_SILENT_ALARMS),
)


def migrate(conn: psycopg.Connection) -> list[int]:
    """Apply the migrations ``conn``'s database lacks; the numbers applied (empty: none)."""
    applied: list[int] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [MIGRATION_LOCK])
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version integer PRIMARY KEY, name text NOT NULL, applied_at double precision)"
        )
        done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        for number, name, text in MIGRATIONS:
            if number in done:
                continue
            conn.execute(text)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (%s, %s, %s)",
                [number, name, time.time()],
            )
            applied.append(number)
    return applied
