"""What the national relay reads: events after a seq, in order, and the personal part of files.

The relay (``server/relay.py``) ships each row exactly as stored; a ``file_opened`` event carries
beside it the citizen's name, national id and phone from ``files`` (the chain holds only a keyed
digest of them, docs/audit.md). Reads only, on the caller's connection.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

_COLUMNS = "id, at, kind, actor, counter, device, ticket_id, data, public, prev_hash, hash"
PERSONAL_KINDS = ("file_opened",)


def events_after(db: sqlite_utils.Database, after: int, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` events with ``id > after``, oldest first, as stored."""
    cursor = db.execute(
        f"SELECT {_COLUMNS} FROM events WHERE id > ? ORDER BY id LIMIT ?", [after, limit]
    )
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]


def last_event(db: sqlite_utils.Database) -> tuple[int, str] | None:
    """(id, hash) of the newest event, None for an empty log."""
    row = db.execute("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else None


def hash_at(db: sqlite_utils.Database, seq: int) -> str | None:
    row = db.execute("SELECT hash FROM events WHERE id = ?", [seq]).fetchone()
    return row[0] if row else None


def count_after(db: sqlite_utils.Database, after: int) -> int:
    """How many events have ``id > after`` (what is still to relay)."""
    return db.execute("SELECT count(*) FROM events WHERE id > ?", [after]).fetchone()[0]


def personal_parts(
    db: sqlite_utils.Database, rows: list[dict[str, Any]]
) -> dict[int, dict[str, str]]:
    """Event id -> the citizen's name, national id, phone for the ``file_opened`` rows given.

    Taken from ``files`` now: the values as the file holds them when the event is relayed.
    """
    wanted: dict[str, int] = {}
    for row in rows:
        if row["kind"] in PERSONAL_KINDS:
            reference = json.loads(row["data"]).get("reference")
            if isinstance(reference, str):
                wanted[reference] = row["id"]
    if not wanted:
        return {}
    marks = ", ".join("?" for _ in wanted)
    found = db.execute(
        f"SELECT reference, citizen_name, national_id, phone FROM files"
        f" WHERE reference IN ({marks})",
        list(wanted),
    ).fetchall()
    parts: dict[int, dict[str, str]] = {}
    for reference, name, national_id, phone in found:
        fields = {"name": name, "national_id": national_id, "phone": phone}
        parts[wanted[reference]] = {k: v for k, v in fields.items() if v is not None}
    return parts
