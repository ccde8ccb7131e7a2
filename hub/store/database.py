"""Connections to the hub's PostgreSQL: the writer's (schema owner) and the readers' (no personal).

Every connection is in autocommit mode and every write runs inside an explicit
``conn.transaction()`` block of a use case, so a transaction's extent is visible in the code
that needs it (the writer's batch is one). The HTTP API's connections take the ``hub_reader``
role right after connecting: whatever a request does, PostgreSQL refuses it ``personal``.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from hub.store.migrations import migrate

READER_ROLE = "hub_reader"
PERSONAL_ROLE = "ministry_personal"


def connect(dsn: str, *, role: str | None = None, timeout: float = 10.0) -> psycopg.Connection:
    """A connection to ``dsn``; with ``role``, it acts as that role from the start."""
    conn = psycopg.connect(dsn, autocommit=True, connect_timeout=max(1, int(timeout)))
    if role is not None:
        try:
            conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))
        except psycopg.Error:
            conn.close()
            raise
    return conn


def connect_reader(dsn: str) -> psycopg.Connection:
    """A connection that can read everything the ministry's dashboard may, and no personal data."""
    return connect(dsn, role=READER_ROLE)


def prepare(dsn: str) -> list[int]:
    """Bring the database's schema up to date (at the hub's start); the migrations applied."""
    with connect(dsn) as conn:
        return migrate(conn)


def ping(conn: psycopg.Connection) -> bool:
    try:
        conn.execute("SELECT 1").fetchone()
    except psycopg.Error:
        return False
    return True
