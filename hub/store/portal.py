"""What the public portal reads: files by reference, their history, each center's catalog events,
counters' latest status, today's waiting tickets and service durations, the centers' contact.

Every query here runs on the API's ``hub_reader`` connections: ``personal`` is out of reach.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg.rows import dict_row

from nafitha import estimate


def _rows(conn: psycopg.Connection, query: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(query, list(params)).fetchall()


def files_named(conn: psycopg.Connection, reference: str) -> list[dict[str, Any]]:
    """Every center's file with this canonical reference (references are random per center)."""
    return _rows(
        conn,
        "SELECT f.center, f.reference, f.service, f.workflow, f.stage, f.status,"
        " f.stage_entered_at, f.opened_at, f.missing, c.name AS center_name,"
        " c.last_contact, c.received_at"
        " FROM files f JOIN centers c ON c.id = f.center WHERE f.reference = %s"
        " ORDER BY f.center",
        [reference],
    )


def history(conn: psycopg.Connection, center: str, reference: str) -> list[dict[str, Any]]:
    return _rows(
        conn,
        "SELECT seq, at, kind, stage, status, note FROM file_history"
        " WHERE center = %s AND reference = %s ORDER BY seq",
        [center, reference],
    )


def catalog_events(
    conn: psycopg.Connection, center: str, after: int = 0
) -> list[tuple[int, str, dict[str, Any]]]:
    """(seq, kind, data) of ``center``'s catalog events after ``after``, in order."""
    # the kinds spelled out (CATALOG_KINDS), so PostgreSQL uses the partial index events_catalog
    rows = conn.execute(
        "SELECT seq, kind, data FROM events WHERE center = %s AND seq > %s"
        " AND kind IN ('catalog_imported', 'category_saved', 'service_saved', 'counter_saved')"
        " ORDER BY seq",
        [center, after],
    ).fetchall()
    return [(seq, kind, json.loads(data)) for seq, kind, data in rows]


def counter_events(
    conn: psycopg.Connection, center: str, counters: Sequence[str]
) -> dict[str, tuple[str, dict[str, Any] | None]]:
    """Per counter, its latest status event's (kind, public part); counters without one absent."""
    rows = conn.execute(
        "SELECT c.id, e.kind, e.public FROM unnest(%s::text[]) AS c(id)"
        " CROSS JOIN LATERAL (SELECT kind, public FROM events"
        "  WHERE center = %s AND counter = c.id AND counter IS NOT NULL"
        "  AND kind IN ('counter_opened', 'counter_paused', 'person_signed_in',"
        "   'person_signed_out', 'ticket_called', 'ticket_called_out_of_order')"
        "  ORDER BY seq DESC LIMIT 1) e",
        [list(counters), center],
    ).fetchall()
    return {cid: (kind, json.loads(public) if public else None) for cid, kind, public in rows}


def waiting(conn: psycopg.Connection, center: str, day: str) -> dict[str, int]:
    rows = conn.execute(
        "SELECT service, count(*) FROM tickets WHERE center = %s AND day = %s"
        " AND state = 'waiting' GROUP BY service",
        [center, day],
    ).fetchall()
    return {service: count for service, count in rows if service is not None}


def durations(conn: psycopg.Connection, center: str, day: str) -> dict[str, list[float]]:
    """Per service, the day's most recent service durations (call to finish), oldest first."""
    rows = conn.execute(
        "SELECT service, d FROM (SELECT service, finished_at - called_at AS d, finished_at,"
        "  row_number() OVER (PARTITION BY service ORDER BY finished_at DESC) AS n"
        "  FROM tickets WHERE center = %s AND day = %s AND state = 'done'"
        "  AND finished_at IS NOT NULL AND called_at IS NOT NULL) x"
        " WHERE n <= %s ORDER BY service, finished_at",
        [center, day, estimate.RECENT],
    ).fetchall()
    out: dict[str, list[float]] = {}
    for service, duration in rows:
        out.setdefault(service, []).append(float(duration))
    return out


def centers(conn: psycopg.Connection) -> list[dict[str, Any]]:
    """Every center: id, name, last contact, head seq (public fields only)."""
    return _rows(
        conn, "SELECT id, name, last_contact, received_at, head_seq FROM centers ORDER BY id", []
    )
