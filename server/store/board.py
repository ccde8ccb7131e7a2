"""The board's message line, as managers set it (``board_messages``: every message kept)."""

from __future__ import annotations

import sqlite_utils


def latest_message(db: sqlite_utils.Database) -> str:
    """The message the board shows now ("" when none was ever set)."""
    row = db.execute("SELECT message FROM board_messages ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else ""


def add_message(tx: sqlite_utils.Database, at: float, actor: str, message: str) -> None:
    tx.execute(
        "INSERT INTO board_messages (at, actor, message) VALUES (?, ?, ?)", [at, actor, message]
    )
