"""The append-only, hash-chained event log: every change leaves one row, written in its transaction.

Each event's ``hash`` is SHA-256 over the previous event's hash and this event's canonical content
(:func:`nafitha.chain.event_hash`, shared with the national hub). Editing an event breaks its own
hash; deleting one breaks the link of the next; deleting the newest ones leaves the id sequence
(``sqlite_sequence``) ahead of the last row. :func:`verify_chain` finds all three. Whoever can open
the file can also recompute every hash after an edit: the signed heads (``chain_signed`` events,
docs/audit.md) and the records of them kept outside the database are what catch that.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from nafitha.chain import GENESIS, Head, SignedHead, canonical, event_hash

# The kind of the event recording a signature of the chain head (its data: a SignedHead).
SIGNED_KIND = "chain_signed"
_COLUMNS = "id, at, kind, actor, counter, device, ticket_id, data, public, prev_hash, hash"


@dataclass(frozen=True)
class Event:
    id: int
    at: float
    kind: str
    public: dict[str, Any] | None


def append_event(
    tx: sqlite_utils.Database,
    kind: str,
    *,
    at: float,
    actor: str | None = None,
    counter: str | None = None,
    device: str | None = None,
    ticket_id: int | None = None,
    data: dict[str, Any] | None = None,
    public: dict[str, Any] | None = None,
) -> Event:
    """Append one event inside the caller's write transaction (``Database.write()``).

    ``data`` is the full record for the audit; ``public`` (or None) is what the live stream may
    show to anyone: no names, no personal data.
    """
    last = tx.execute("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
    seq = tx.execute("SELECT seq FROM sqlite_sequence WHERE name = 'events'").fetchone()
    prev_hash = last[1] if last else GENESIS
    next_id = max(last[0] if last else 0, seq[0] if seq else 0) + 1
    row = {
        "id": next_id,
        "at": at,
        "kind": kind,
        "actor": actor,
        "counter": counter,
        "device": device,
        "ticket_id": ticket_id,
        "data": canonical(data or {}),
        "public": canonical(public) if public is not None else None,
    }
    row["prev_hash"] = prev_hash
    row["hash"] = event_hash(prev_hash, row)
    tx.execute(
        "INSERT INTO events (id, at, kind, actor, counter, device, ticket_id, data, public,"
        " prev_hash, hash) VALUES (:id, :at, :kind, :actor, :counter, :device, :ticket_id,"
        " :data, :public, :prev_hash, :hash)",
        row,
    )
    return Event(next_id, at, kind, public)


@dataclass(frozen=True)
class ChainProblem:
    event_id: int
    reason: str


def _rows(cursor: Any) -> Iterator[dict[str, Any]]:
    columns = [d[0] for d in cursor.description]
    for values in cursor:
        yield dict(zip(columns, values, strict=True))


def verify_chain(db: sqlite_utils.Database) -> tuple[int, list[ChainProblem]]:
    """(events checked, problems found): edited, deleted or re-linked events."""
    problems: list[ChainProblem] = []
    prev_hash = GENESIS
    expected_id = 1
    count = 0
    for row in _rows(db.execute(f"SELECT {_COLUMNS} FROM events ORDER BY id")):
        count += 1
        if row["id"] != expected_id:
            problems.append(
                ChainProblem(row["id"], f"events {expected_id}..{row['id'] - 1} are missing")
            )
        if row["prev_hash"] != prev_hash:
            problems.append(ChainProblem(row["id"], "does not link to the event before it"))
        if event_hash(row["prev_hash"], row) != row["hash"]:
            problems.append(ChainProblem(row["id"], "content does not match its hash (edited)"))
        prev_hash = row["hash"]
        expected_id = row["id"] + 1
    seq = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'events'").fetchone()
    if seq and seq[0] >= expected_id:
        problems.append(
            ChainProblem(seq[0], f"events {expected_id}..{seq[0]} were deleted from the end")
        )
    return count, problems


def chain_head(db: sqlite_utils.Database) -> Head | None:
    """The newest event's id and hash (None for an empty log)."""
    row = db.execute("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
    return Head(row[0], row[1]) if row else None


def unsigned_head(db: sqlite_utils.Database) -> Head | None:
    """The newest event, unless it is itself a signature (nothing new since) or the log is empty."""
    row = db.execute("SELECT id, hash, kind FROM events ORDER BY id DESC LIMIT 1").fetchone()
    return Head(row[0], row[1]) if row and row[2] != SIGNED_KIND else None


def signed_since(db: sqlite_utils.Database, seq: int) -> bool:
    """Whether a signature was recorded after event ``seq`` (a few rows from the end)."""
    row = db.execute(
        "SELECT 1 FROM events WHERE id > ? AND kind = ? LIMIT 1", [seq, SIGNED_KIND]
    ).fetchone()
    return row is not None


def hash_at(db: sqlite_utils.Database, seq: int) -> str | None:
    """The stored hash of event ``seq``, or None when there is no such event."""
    row = db.execute("SELECT hash FROM events WHERE id = ?", [seq]).fetchone()
    return row[0] if row else None


def signed_heads(
    db: sqlite_utils.Database, limit: int | None = None
) -> list[tuple[int, SignedHead | None]]:
    """(event id, signed head) of the ``chain_signed`` events, newest first; None for a data
    field that is not a signed head (an edit)."""
    sql = "SELECT id, data FROM events WHERE kind = ? ORDER BY id DESC"
    params: list[Any] = [SIGNED_KIND]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    found: list[tuple[int, SignedHead | None]] = []
    for event_id, data in db.execute(sql, params).fetchall():
        try:
            found.append((event_id, SignedHead.from_json(json.loads(data))))
        except ValueError:
            found.append((event_id, None))
    return found


def last_signed(db: sqlite_utils.Database) -> tuple[int, SignedHead | None] | None:
    """The newest ``chain_signed`` event (its id and head), or None before the first one."""
    heads = signed_heads(db, limit=1)
    return heads[0] if heads else None


def _parse(data: Any) -> dict[str, Any]:
    """An event's data as a dict; ``{}`` for text an edit left unreadable (the chain check
    reports the edit, the replay goes on)."""
    try:
        value = json.loads(data)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def ticket_events(db: sqlite_utils.Database, first: int, last: int) -> Iterator[dict[str, Any]]:
    """Events about tickets ``first``..``last`` in log order (``data`` parsed), by the
    ``ticket_id`` index: the replay reads the log in slices this way, not all at once."""
    cursor = db.execute(
        "SELECT id, at, kind, actor, counter, device, ticket_id, data FROM events"
        " WHERE ticket_id BETWEEN ? AND ? ORDER BY id",
        [first, last],
    )
    for row in _rows(cursor):
        row["data"] = _parse(row["data"])
        yield row


def last_event_id(db: sqlite_utils.Database) -> int:
    """The newest event's id (0 for an empty log)."""
    return db.execute("SELECT max(id) FROM events").fetchone()[0] or 0


def latest_public(
    db: sqlite_utils.Database, kinds: tuple[str, ...], since: float, limit: int
) -> list[tuple[int, str]]:
    """Newest first, at most ``limit``: (id, public JSON) of the events of ``kinds`` since
    ``since`` that have a public part."""
    marks = ",".join("?" for _ in kinds)
    return db.execute(
        f"SELECT id, public FROM events WHERE kind IN ({marks}) AND at >= ?"
        " AND public IS NOT NULL ORDER BY id DESC LIMIT ?",
        [*kinds, since, limit],
    ).fetchall()


def changes(
    db: sqlite_utils.Database, leave_out: str, before: int, limit: int
) -> list[tuple[Any, ...]]:
    """Events whose kind is not LIKE ``leave_out``, with id below ``before``, newest first:
    (id, at, kind, actor, counter, device, data as stored)."""
    return db.execute(
        "SELECT id, at, kind, actor, counter, device, data FROM events"
        " WHERE kind NOT LIKE ? AND id < ? ORDER BY id DESC LIMIT ?",
        [leave_out, before, limit],
    ).fetchall()


def events_of_kinds(db: sqlite_utils.Database, kinds: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """Events of the given kinds in log order (``data`` parsed)."""
    marks = ", ".join("?" for _ in kinds)
    cursor = db.execute(
        "SELECT id, at, kind, actor, counter, device, ticket_id, data FROM events"
        f" WHERE kind IN ({marks}) ORDER BY id",
        list(kinds),
    )
    for row in _rows(cursor):
        row["data"] = _parse(row["data"])
        yield row
