"""The ``events`` and ``personal`` tables: every center's log as it sent it, keyed (center, seq).

Events are inserted with a plain COPY, never ``ON CONFLICT DO NOTHING``: the writer has already
decided each one is the next of its chain, so a conflict on the primary key would mean two
writers for one center (a bug), and must fail the batch rather than hide a fork.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import psycopg

from nafitha.national.wire import WireEvent

EVENT_COLUMNS = (
    "center, seq, at, kind, actor, counter, device, ticket_id, data, public, prev_hash, hash,"
    " reference, received_at"
)
_NAMES = (
    "id", "at", "kind", "actor", "counter", "device", "ticket_id", "data", "public", "prev_hash",
    "hash",
)  # fmt: skip
_READ = "seq AS id, at, kind, actor, counter, device, ticket_id, data, public, prev_hash, hash"


def insert(
    conn: psycopg.Connection,
    center: str,
    events: Sequence[tuple[WireEvent, str | None]],
    received_at: float,
) -> None:
    """``events`` (each with the file reference it is about, or None) after the center's head."""
    with conn.cursor() as cur, cur.copy(f"COPY events ({EVENT_COLUMNS}) FROM STDIN") as copy:
        for event, reference in events:
            copy.write_row(
                (
                    center,
                    event.seq,
                    event.at,
                    event.kind,
                    event.actor,
                    event.counter,
                    event.device,
                    event.ticket_id,
                    event.data,
                    event.public,
                    event.prev_hash,
                    event.hash,
                    reference,
                    received_at,
                )
            )


def insert_personal(
    conn: psycopg.Connection,
    center: str,
    rows: Sequence[tuple[int, str | None, dict[str, str]]],
) -> None:
    """Personal parts (seq, file reference, fields) of events inserted in this transaction."""
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO personal (center, seq, reference, name, national_id, phone)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            [
                (center, seq, ref, f.get("name"), f.get("national_id"), f.get("phone"))
                for seq, ref, f in rows
            ],
        )


def hashes_at(conn: psycopg.Connection, center: str, seqs: Iterable[int]) -> dict[int, str]:
    """The hashes the hub holds for these seqs of ``center`` (missing ones left out)."""
    wanted = sorted(set(seqs))
    if not wanted:
        return {}
    rows = conn.execute(
        "SELECT seq, hash FROM events WHERE center = %s AND seq = ANY(%s)", [center, wanted]
    )
    return dict(rows.fetchall())


def _parsed(rows: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        event = dict(zip(_NAMES, row, strict=True))
        event["data"] = json.loads(event["data"])
        out.append(event)
    return out


def _about(
    conn: psycopg.Connection, center: str, column: str, values: Iterable[Any], before: int | None
) -> list[dict[str, Any]]:
    """Every event whose ``column`` (ticket_id or reference) is one of ``values``, before seq
    ``before`` when given, in log order, ``data`` parsed."""
    wanted = sorted(set(values))
    if not wanted:
        return []
    rows = conn.execute(
        f"SELECT {_READ} FROM events WHERE center = %s AND {column} = ANY(%s)"
        " AND (%s::bigint IS NULL OR seq < %s) ORDER BY seq",
        [center, wanted, before, before],
    )
    return _parsed(rows)


def of_tickets(
    conn: psycopg.Connection, center: str, ids: Iterable[int], before: int | None = None
) -> list[dict[str, Any]]:
    """Every event the hub holds about these tickets (before seq ``before``, when given)."""
    return _about(conn, center, "ticket_id", ids, before)


def of_files(
    conn: psycopg.Connection, center: str, refs: Iterable[str], before: int | None = None
) -> list[dict[str, Any]]:
    """Every event the hub holds about these files (before seq ``before``, when given)."""
    return _about(conn, center, "reference", refs, before)


def chain(
    conn: psycopg.Connection, center: str, after: int = 0, size: int = 5000
) -> Iterator[dict[str, Any]]:
    """Every event of ``center`` from ``after + 1`` in order, as stored (for ``hub verify``)."""
    last = after
    while True:
        rows = conn.execute(
            f"SELECT {_READ} FROM events WHERE center = %s AND seq > %s ORDER BY seq LIMIT %s",
            [center, last, size],
        ).fetchall()
        if not rows:
            return
        for row in rows:
            yield dict(zip(_NAMES, row, strict=True))
        last = rows[-1][0]


def seqs(conn: psycopg.Connection, center: str) -> list[int]:
    """Every seq the hub holds of ``center``, in order (for comparisons with the center)."""
    rows = conn.execute("SELECT seq FROM events WHERE center = %s ORDER BY seq", [center])
    return [row[0] for row in rows]


def personal_of(conn: psycopg.Connection, center: str) -> dict[int, dict[str, Any]]:
    """The personal parts of ``center``'s events, by seq (needs a role that may read them)."""
    rows = conn.execute(
        "SELECT seq, reference, name, national_id, phone FROM personal WHERE center = %s",
        [center],
    )
    return {
        r[0]: {"reference": r[1], "name": r[2], "national_id": r[3], "phone": r[4]} for r in rows
    }
