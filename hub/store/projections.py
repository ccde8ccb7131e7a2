"""The projection tables (tickets, files, file_history) and the ``ticket_days`` view.

Rows come whole from :mod:`hub.domain.projections` (a ticket's or file's replay over all of its
events), so writing them is an upsert that replaces every column.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from nafitha.replay import FILE_COLUMNS, HISTORY_COLUMNS, TICKET_COLUMNS

_TRACE = ("first_event", "last_event")
_JSON = {"documents_received", "missing"}


def _quoted(columns: tuple[str, ...]) -> list[str]:
    return [f'"{c}"' for c in columns]


def _upsert(
    conn: psycopg.Connection,
    table: str,
    keys: tuple[str, ...],
    columns: tuple[str, ...],
    rows: list[tuple[Any, ...]],
) -> None:
    if not rows:
        return
    names = _quoted(keys) + _quoted(columns + _TRACE)
    updates = ", ".join(f"{n} = EXCLUDED.{n}" for n in _quoted(columns + _TRACE))
    statement = (
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})"
        f" ON CONFLICT ({', '.join(_quoted(keys))}) DO UPDATE SET {updates}"
    )
    with conn.cursor() as cur:
        cur.executemany(statement, rows)


def _values(row: Mapping[str, Any], columns: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(
        Jsonb(row[c]) if c in _JSON and row[c] is not None else row[c] for c in columns + _TRACE
    )


def write_tickets(
    conn: psycopg.Connection, center: str, rows: Mapping[int, Mapping[str, Any]]
) -> None:
    data = [(center, tid, *_values(row, TICKET_COLUMNS)) for tid, row in rows.items()]
    _upsert(conn, "tickets", ("center", "ticket_id"), TICKET_COLUMNS, data)


def write_files(
    conn: psycopg.Connection, center: str, rows: Mapping[str, Mapping[str, Any]]
) -> None:
    data = [(center, ref, *_values(row, FILE_COLUMNS)) for ref, row in rows.items()]
    _upsert(conn, "files", ("center", "reference"), FILE_COLUMNS, data)


def write_history(
    conn: psycopg.Connection, center: str, rows: Mapping[tuple[str, int], Mapping[str, Any]]
) -> None:
    data = [(center, ref, seq, *_values(row, HISTORY_COLUMNS)) for (ref, seq), row in rows.items()]
    _upsert(conn, "file_history", ("center", "reference", "seq"), HISTORY_COLUMNS, data)


def _read(conn: psycopg.Connection, query: str, params: list[Any]) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(query, params).fetchall()


def tickets(conn: psycopg.Connection, center: str) -> dict[int, dict[str, Any]]:
    """``center``'s tickets as the hub projects them, by the center's ticket id."""
    rows = _read(
        conn,
        f"SELECT ticket_id, {', '.join(TICKET_COLUMNS)} FROM tickets WHERE center = %s",
        [center],
    )
    return {row.pop("ticket_id"): row for row in rows}


def files(conn: psycopg.Connection, center: str) -> dict[str, dict[str, Any]]:
    """``center``'s files as the hub projects them, by reference."""
    rows = _read(
        conn, f"SELECT reference, {', '.join(FILE_COLUMNS)} FROM files WHERE center = %s", [center]
    )
    return {row.pop("reference"): row for row in rows}


def history(conn: psycopg.Connection, center: str) -> dict[str, dict[str, Any]]:
    """``center``'s file history entries, by ``REFERENCE#SEQ`` (as :mod:`nafitha.replay` keys)."""
    columns = ", ".join(_quoted(HISTORY_COLUMNS))
    rows = _read(
        conn, f"SELECT reference, seq, {columns} FROM file_history WHERE center = %s", [center]
    )
    return {f"{row.pop('reference')}#{row.pop('seq')}": row for row in rows}


def ticket_days(conn: psycopg.Connection, center: str) -> list[dict[str, Any]]:
    """Per day and service: issued, called, served, no-show, waits, service times, quotes."""
    return _read(
        conn, "SELECT * FROM ticket_days WHERE center = %s ORDER BY day, service", [center]
    )
