"""Alarms (a person must look) and rejected messages (kept byte for byte: nothing is lost)."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row


def raise_alarm(
    conn: psycopg.Connection, center: str, seq: int | None, kind: str, detail: str, at: float
) -> None:
    conn.execute(
        "INSERT INTO alarms (center, seq, kind, detail, at) VALUES (%s, %s, %s, %s, %s)",
        [center, seq, kind, detail, at],
    )


def reject(
    conn: psycopg.Connection,
    center: str,
    reason: str,
    raw: bytes,
    stream_seq: int | None,
    at: float,
) -> None:
    conn.execute(
        "INSERT INTO rejected (center, at, reason, stream_seq, raw) VALUES (%s, %s, %s, %s, %s)",
        [center, at, reason, stream_seq, raw],
    )


def open_alarms(conn: psycopg.Connection, center: str | None = None) -> list[dict[str, Any]]:
    """Alarms nobody cleared yet, oldest first (of one center, or of all)."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT id, center, seq, kind, detail, at FROM alarms WHERE cleared_at IS NULL"
            " AND (%s::text IS NULL OR center = %s) ORDER BY id",
            [center, center],
        ).fetchall()


def clear(conn: psycopg.Connection, center: str, by: str, at: float) -> int:
    """Mark the center's open alarms as looked at by ``by``; how many."""
    cur = conn.execute(
        "UPDATE alarms SET cleared_at = %s, cleared_by = %s"
        " WHERE center = %s AND cleared_at IS NULL",
        [at, by, center],
    )
    return cur.rowcount


def rejected(conn: psycopg.Connection, center: str) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT id, at, reason, stream_seq, raw FROM rejected WHERE center = %s ORDER BY id",
            [center],
        ).fetchall()
