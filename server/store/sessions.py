"""Who may act: a person's credentials, sign-in sessions (sha256 of tokens, never tokens) and
device tokens."""

from __future__ import annotations

import sqlite_utils


def credentials(db: sqlite_utils.Database, username: str) -> tuple[str | None, str, int] | None:
    """The person's (password hash, role, active), or None if there is no such person."""
    return db.execute(
        "SELECT password_hash, role, active FROM people WHERE username = ?", [username]
    ).fetchone()


def open_session(
    tx: sqlite_utils.Database,
    token_hash: str,
    username: str,
    counter: str | None,
    at: float,
    expires_at: float,
) -> None:
    tx.execute(
        "INSERT INTO sessions (token_hash, username, counter, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?)",
        [token_hash, username, counter, at, expires_at],
    )


def end_session(tx: sqlite_utils.Database, token_hash: str, at: float) -> None:
    tx.execute(
        "UPDATE sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL",
        [at, token_hash],
    )


def session_of(
    db: sqlite_utils.Database, token_hash: str
) -> tuple[str, str, str | None, float, float | None, int] | None:
    """The session's (username, role, counter, expires_at, ended_at, person active), if any."""
    return db.execute(
        "SELECT s.username, p.role, s.counter, s.expires_at, s.ended_at, p.active"
        " FROM sessions s JOIN people p ON p.username = s.username WHERE s.token_hash = ?",
        [token_hash],
    ).fetchone()


def device_of(db: sqlite_utils.Database, token_hash: str) -> tuple[str, str] | None:
    """The active device holding this token: (id, kind), if any."""
    return db.execute(
        "SELECT id, kind FROM devices WHERE token_hash = ? AND active = 1", [token_hash]
    ).fetchone()
