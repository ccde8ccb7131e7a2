"""The stored secrets' digests a production check compares with the demo's (never the secrets)."""

from __future__ import annotations

import sqlite_utils


def active_password_hashes(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """(username, Argon2 hash) of every active person who has a password."""
    return db.execute(
        "SELECT username, password_hash FROM people"
        " WHERE active = 1 AND password_hash IS NOT NULL ORDER BY username"
    ).fetchall()


def active_devices_with_token(db: sqlite_utils.Database, token_hashes: list[str]) -> list[str]:
    """Ids of the active devices whose token digest is one of ``token_hashes``."""
    marks = ",".join("?" * len(token_hashes))
    return [
        row[0]
        for row in db.execute(
            f"SELECT id FROM devices WHERE active = 1 AND token_hash IN ({marks}) ORDER BY id",
            token_hashes,
        ).fetchall()
    ]
