"""The append-only, hash-chained event log: every change leaves one row, written in its transaction.

Each event's ``hash`` is SHA-256 over the previous event's hash and this event's canonical content
(id, time, kind, who, counter, device, ticket, data, public part). Editing an event breaks its own
hash; deleting one breaks the link of the next; deleting the newest ones leaves the id sequence
(``sqlite_sequence``) ahead of the last row. :func:`verify_chain` finds all three.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

GENESIS = "0" * 64


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def event_hash(prev_hash: str, row: dict[str, Any]) -> str:
    content = {k: row[k] for k in ("id", "at", "kind", "actor", "counter", "device", "ticket_id")}
    content["data"] = row["data"]
    content["public"] = row["public"]
    return hashlib.sha256((prev_hash + canonical(content)).encode()).hexdigest()


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


def verify_chain(db: sqlite_utils.Database) -> tuple[int, list[ChainProblem]]:
    """(events checked, problems found): edited, deleted or re-linked events."""
    problems: list[ChainProblem] = []
    prev_hash = GENESIS
    expected_id = 1
    count = 0
    cursor = db.execute(
        "SELECT id, at, kind, actor, counter, device, ticket_id, data, public, prev_hash, hash"
        " FROM events ORDER BY id"
    )
    columns = [d[0] for d in cursor.description]
    for values in cursor:
        row = dict(zip(columns, values, strict=True))
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
