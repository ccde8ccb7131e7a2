"""The ``centers`` table: each center's head at the hub, its intake status and its leaf's state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from hub.domain.intake import ChainHead
from nafitha.chain import SignedHead, canonical


@dataclass(frozen=True)
class CenterState:
    """What a batch needs of its center, read under ``FOR UPDATE``."""

    id: str
    head: ChainHead
    status: str
    public_key: str | None


def register(
    conn: psycopg.Connection, centers: Iterable[tuple[str, dict[str, str], str | None]]
) -> None:
    """Insert or update each (id, name, public_key) from hub.toml; heads are never touched."""
    rows = [(cid, Jsonb(name), key) for cid, name, key in centers]
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO centers (id, name, public_key) VALUES (%s, %s, %s)"
            " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name,"
            " public_key = EXCLUDED.public_key",
            rows,
        )


def lock(conn: psycopg.Connection, center: str) -> CenterState | None:
    """The center's row, locked for this transaction (one batch of a center at a time)."""
    row = conn.execute(
        "SELECT head_seq, head_hash, status, public_key FROM centers WHERE id = %s FOR UPDATE",
        [center],
    ).fetchone()
    if row is None:
        return None
    return CenterState(center, ChainHead(row[0], row[1]), row[2], row[3])


def move_head(
    conn: psycopg.Connection,
    center: str,
    *,
    head: ChainHead,
    head_at: float | None,
    received_at: float,
    duplicates: int,
    signed: SignedHead | None,
    stream_seq: int | None = None,
) -> None:
    """After a batch: the new head, the newest verified signed head, contact and counters, and
    (when known) the leaf stream position of the batch's last message dealt with."""
    conn.execute(
        "UPDATE centers SET head_seq = %s, head_hash = %s,"
        " head_at = coalesce(%s, head_at),"
        " received_at = CASE WHEN %s <> head_seq THEN %s ELSE received_at END,"
        " duplicates = duplicates + %s, last_contact = %s,"
        " stream_seq = coalesce(%s, stream_seq) WHERE id = %s",
        [
            head.seq, head.hash, head_at, head.seq, received_at, duplicates, received_at,
            stream_seq, center,
        ],
    )  # fmt: skip
    if signed is not None:
        conn.execute(
            "UPDATE centers SET signed_seq = %s, signed_hash = %s, signed_at = %s,"
            " signed_head = %s WHERE id = %s AND coalesce(signed_seq, 0) <= %s",
            [signed.seq, signed.hash, signed.at, canonical(signed.to_json()), center, signed.seq],
        )


def touch(conn: psycopg.Connection, center: str, now: float) -> None:
    """The leaf answered (an empty fetch counts): the last contact is now."""
    conn.execute("UPDATE centers SET last_contact = %s WHERE id = %s", [now, center])


def stop(conn: psycopg.Connection, center: str, reason: str) -> None:
    conn.execute(
        "UPDATE centers SET status = 'stopped', stopped_reason = %s WHERE id = %s",
        [reason, center],
    )


def resume(conn: psycopg.Connection, center: str) -> bool:
    """Mark a stopped center running again, its leaf stream to be read again from the start
    (the hub's seq check skips what it holds); False when it was not stopped (or is unknown)."""
    cur = conn.execute(
        "UPDATE centers SET status = 'running', stopped_reason = NULL, stream_seq = 0"
        " WHERE id = %s AND status = 'stopped'",
        [center],
    )
    return cur.rowcount == 1


def status_of(conn: psycopg.Connection, center: str) -> str | None:
    row = conn.execute("SELECT status FROM centers WHERE id = %s", [center]).fetchone()
    return row[0] if row else None


def stream_position(conn: psycopg.Connection, center: str) -> int:
    """The leaf stream seq of the last message the hub dealt with (0: none yet)."""
    row = conn.execute("SELECT stream_seq FROM centers WHERE id = %s", [center]).fetchone()
    return int(row[0]) if row else 0


def record_leaf(
    conn: psycopg.Connection, center: str, seq: int, at: float | None, now: float
) -> None:
    """What the center's leaf holds (its newest relayed event), for the lag figures."""
    conn.execute(
        "UPDATE centers SET leaf_seq = %s, leaf_at = %s, leaf_checked_at = %s,"
        " last_contact = %s WHERE id = %s",
        [seq, at, now, now, center],
    )


CENTER_FIELDS = (
    "id, name, head_seq, head_hash, head_at, received_at, signed_seq, signed_hash, signed_at,"
    " signed_head, status, stopped_reason, last_contact, duplicates, leaf_seq, leaf_at,"
    " leaf_checked_at, public_key, stream_seq,"
    " (SELECT count(*) FROM alarms a WHERE a.center = c.id AND a.cleared_at IS NULL)"
    " AS open_alarms"
)


def overview(conn: psycopg.Connection) -> list[dict[str, Any]]:
    """Every center's row and its open alarms count, by id."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(f"SELECT {CENTER_FIELDS} FROM centers c ORDER BY id").fetchall()


def one(conn: psycopg.Connection, center: str) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            f"SELECT {CENTER_FIELDS} FROM centers c WHERE id = %s", [center]
        ).fetchone()
