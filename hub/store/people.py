"""The hub's people, their sessions and the sign-in throttle: tables of migration 4.

The throttle lives in PostgreSQL, not in a process's memory, so several hub worker processes
count the same guesses: each attempt is counted in one statement before its password is checked.
"""

from __future__ import annotations

from typing import Any

import psycopg


def add(conn: psycopg.Connection, username: str, role: str, password_hash: str, now: float) -> bool:
    """A new person; False when the name is taken."""
    row = conn.execute(
        "INSERT INTO hub_people (username, role, password_hash, active, created_at, updated_at)"
        " VALUES (%s, %s, %s, true, %s, %s) ON CONFLICT (username) DO NOTHING RETURNING username",
        [username, role, password_hash, now, now],
    ).fetchone()
    return row is not None


def update(
    conn: psycopg.Connection,
    username: str,
    now: float,
    *,
    role: str | None = None,
    password_hash: str | None = None,
    active: bool | None = None,
) -> bool:
    """Change what is given; False when nobody has that name."""
    row = conn.execute(
        "UPDATE hub_people SET role = coalesce(%s, role),"
        " password_hash = coalesce(%s, password_hash), active = coalesce(%s, active),"
        " updated_at = %s WHERE username = %s RETURNING username",
        [role, password_hash, active, now, username],
    ).fetchone()
    return row is not None


def credentials(conn: psycopg.Connection, username: str) -> tuple[str, str, bool] | None:
    """(password hash, role, active) of ``username``."""
    row = conn.execute(
        "SELECT password_hash, role, active FROM hub_people WHERE username = %s", [username]
    ).fetchone()
    return None if row is None else (row[0], row[1], row[2])


def listing(conn: psycopg.Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT username, role, active, created_at, updated_at FROM hub_people ORDER BY username"
    ).fetchall()
    keys = ("username", "role", "active", "created_at", "updated_at")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def active_admins(conn: psycopg.Connection) -> int:
    row = conn.execute(
        "SELECT count(*) FROM hub_people WHERE role = 'hub_admin' AND active"
    ).fetchone()
    return int(row[0]) if row else 0


def open_session(
    conn: psycopg.Connection, token_hash: str, username: str, now: float, expires: float
) -> None:
    conn.execute(
        "INSERT INTO hub_sessions (token_hash, username, created_at, expires_at)"
        " VALUES (%s, %s, %s, %s)",
        [token_hash, username, now, expires],
    )


def end_session(conn: psycopg.Connection, token_hash: str, now: float) -> None:
    conn.execute(
        "UPDATE hub_sessions SET ended_at = %s WHERE token_hash = %s AND ended_at IS NULL",
        [now, token_hash],
    )


def end_sessions_of(conn: psycopg.Connection, username: str, now: float) -> None:
    """A disabled person or a new password: every open session of theirs ends."""
    conn.execute(
        "UPDATE hub_sessions SET ended_at = %s WHERE username = %s AND ended_at IS NULL",
        [now, username],
    )


def session_of(
    conn: psycopg.Connection, token_hash: str
) -> tuple[str, str, float, float | None, bool] | None:
    """(username, role, expires_at, ended_at, person active) of a session token's hash."""
    row = conn.execute(
        "SELECT s.username, p.role, s.expires_at, s.ended_at, p.active"
        " FROM hub_sessions s JOIN hub_people p USING (username) WHERE s.token_hash = %s",
        [token_hash],
    ).fetchone()
    return None if row is None else (row[0], row[1], row[2], row[3], row[4])


def count_attempt(
    conn: psycopg.Connection, key: str, now: float, window_s: float
) -> tuple[int, float]:
    """Count one attempt under ``key`` in its window (a new window once the old one is over):
    (attempts in the window, when the window started). One statement: concurrent attempts
    from several processes are each counted."""
    row = conn.execute(
        "INSERT INTO hub_login_attempts AS a (key, attempts, window_start) VALUES (%s, 1, %s)"
        " ON CONFLICT (key) DO UPDATE SET"
        " attempts = CASE WHEN a.window_start + %s <= %s THEN 1 ELSE a.attempts + 1 END,"
        " window_start = CASE WHEN a.window_start + %s <= %s THEN %s ELSE a.window_start END"
        " RETURNING attempts, window_start",
        [key, now, window_s, now, window_s, now, now],
    ).fetchone()
    assert row is not None
    return int(row[0]), float(row[1])


def give_back(conn: psycopg.Connection, key: str) -> None:
    """One attempt under ``key`` not counted after all (a right password from that address)."""
    conn.execute(
        "UPDATE hub_login_attempts SET attempts = greatest(attempts - 1, 0) WHERE key = %s", [key]
    )


def forget(conn: psycopg.Connection, key: str) -> None:
    conn.execute("DELETE FROM hub_login_attempts WHERE key = %s", [key])
