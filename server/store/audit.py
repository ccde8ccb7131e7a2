"""The rows the audit compares with the event log: tickets by id range, files, seeded history."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import sqlite_utils

from nafitha.replay import AUDITED_TICKET_COLUMNS, FILE_COLUMNS, HISTORY_COLUMNS


def _rows(cursor: Any) -> Iterator[dict[str, Any]]:
    columns = [d[0] for d in cursor.description]
    for values in cursor:
        yield dict(zip(columns, values, strict=True))


def ticket_id_range(db: sqlite_utils.Database) -> tuple[int, int]:
    """The smallest and largest ticket id, over the table and the events ((0, -1): none)."""
    tickets = db.execute("SELECT min(id), max(id) FROM tickets").fetchone()
    events = db.execute("SELECT min(ticket_id), max(ticket_id) FROM events").fetchone()
    lows = [v for v in (tickets[0], events[0]) if v is not None]
    highs = [v for v in (tickets[1], events[1]) if v is not None]
    return (min(lows), max(highs)) if lows else (0, -1)


def ticket_rows(db: sqlite_utils.Database, first: int, last: int) -> dict[int, dict[str, Any]]:
    """The tracked columns of tickets ``first``..``last``, by id."""
    cursor = db.execute(
        f"SELECT id, {', '.join(AUDITED_TICKET_COLUMNS)} FROM tickets WHERE id BETWEEN ? AND ?",
        [first, last],
    )
    return {row["id"]: row for row in _rows(cursor)}


def file_rows(db: sqlite_utils.Database) -> dict[str, dict[str, Any]]:
    """Every file's tracked columns and its citizen's personal data, by reference."""
    cursor = db.execute(
        f"SELECT reference, {', '.join(FILE_COLUMNS)}, citizen_name, national_id, phone FROM files"
    )
    return {row["reference"]: row for row in _rows(cursor)}


def history_rows(db: sqlite_utils.Database) -> dict[str, dict[str, Any]]:
    """Every file history entry, by ``REFERENCE#SEQ`` (as the replay keys them)."""
    columns = ", ".join(f'"{c}"' for c in HISTORY_COLUMNS)
    cursor = db.execute(f"SELECT reference, seq, {columns} FROM file_history")
    return {f"{row['reference']}#{row['seq']}": row for row in _rows(cursor)}


def file_state(tx: sqlite_utils.Database, reference: str) -> dict[str, Any]:
    """One file's tracked columns as a file event records them (lists as lists)."""
    cursor = tx.execute(
        f"SELECT {', '.join(FILE_COLUMNS)} FROM files WHERE reference = ?", [reference]
    )
    row = next(_rows(cursor))
    for column in ("documents_received", "missing"):
        row[column] = json.loads(row[column])
    return row
