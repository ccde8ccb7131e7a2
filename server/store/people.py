"""The ``people`` (staff accounts) and ``devices`` (kiosk, counter and board tokens) tables."""

from __future__ import annotations

from typing import Any

import sqlite_utils

PERSON_COLUMNS = frozenset({"role", "name", "active", "password_hash"})
"""What an admin may change of a person."""


def people_rows(db: sqlite_utils.Database) -> list[tuple[str, str, str, int, bool]]:
    """Everyone, by username: (username, name, role, active, whether a password is set)."""
    return db.execute(
        "SELECT username, name, role, active, password_hash IS NOT NULL FROM people"
        " ORDER BY username"
    ).fetchall()


def person_exists(db: sqlite_utils.Database, username: str) -> bool:
    return db.execute("SELECT 1 FROM people WHERE username = ?", [username]).fetchone() is not None


def insert_person(
    tx: sqlite_utils.Database,
    username: str,
    name: str,
    role: str,
    password_hash: str | None,
    at: float,
) -> None:
    tx.execute(
        "INSERT INTO people (username, name, role, password_hash, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        [username, name, role, password_hash, at],
    )


def role_and_active(db: sqlite_utils.Database, username: str) -> tuple[str, int] | None:
    """The person's (role, active), or None if there is no such person."""
    return db.execute("SELECT role, active FROM people WHERE username = ?", [username]).fetchone()


def update_person(tx: sqlite_utils.Database, username: str, changes: dict[str, Any]) -> None:
    """Set ``changes`` (column → value) on the person; only :data:`PERSON_COLUMNS` may change."""
    if not changes:
        return
    unknown = set(changes) - PERSON_COLUMNS
    if unknown:
        raise ValueError(f"not a person column: {sorted(unknown)}")
    sets = ", ".join(f"{column} = ?" for column in changes)
    tx.execute(f"UPDATE people SET {sets} WHERE username = ?", [*changes.values(), username])


def end_sessions(tx: sqlite_utils.Database, username: str, at: float) -> None:
    """End every live session of the person (deactivated, or a new password)."""
    tx.execute(
        "UPDATE sessions SET ended_at = ? WHERE username = ? AND ended_at IS NULL", [at, username]
    )


def other_active_admins(db: sqlite_utils.Database, username: str) -> int:
    return db.execute(
        "SELECT count(*) FROM people WHERE role = 'admin' AND active = 1 AND username != ?",
        [username],
    ).fetchone()[0]


def device_rows(db: sqlite_utils.Database) -> list[tuple[str, str, str, int]]:
    """Every device, by id: (id, kind, name, active)."""
    return db.execute("SELECT id, kind, name, active FROM devices ORDER BY id").fetchall()


def device_exists(db: sqlite_utils.Database, device_id: str) -> bool:
    return db.execute("SELECT 1 FROM devices WHERE id = ?", [device_id]).fetchone() is not None


def insert_device(
    tx: sqlite_utils.Database, device_id: str, kind: str, name: str, token_hash: str, at: float
) -> None:
    tx.execute(
        "INSERT INTO devices (id, kind, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
        [device_id, kind, name, token_hash, at],
    )


def deactivate_device(tx: sqlite_utils.Database, device_id: str) -> bool:
    """Revoke the device's token; False if there is no such device."""
    return tx.execute("UPDATE devices SET active = 0 WHERE id = ?", [device_id]).rowcount > 0
