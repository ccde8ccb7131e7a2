"""The hub's projections of a center against that center's own tables: every difference, named.

Issue 14 asks that the hub's tickets, files and file history equal what the center's tables say.
The center's rows come from wherever the caller read them (its SQLite file in the tests, the
fault tests and the benchmark); the comparison is :func:`nafitha.replay_compare.compare_rows`,
the one ``nafitha audit verify`` uses, with the hub's rows in the place of the replay.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import psycopg

from hub.store import projections
from nafitha.replay import FILE_COLUMNS, HISTORY_COLUMNS, TICKET_COLUMNS, Replayed
from nafitha.replay_compare import Difference, compare_rows

Rows = Mapping[Any, Mapping[str, Any]]


def _as_replayed(rows: Mapping[Any, dict[str, Any]]) -> dict[Any, Replayed]:
    return {key: Replayed(dict(row), 0, 0) for key, row in rows.items()}


def differences(
    conn: psycopg.Connection,
    center: str,
    *,
    tickets: Rows,
    files: Rows,
    history: Rows,
) -> list[Difference]:
    """Where the hub's projections of ``center`` differ from the center's ``tickets`` (by id,
    ``TICKET_COLUMNS``), ``files`` (by reference, ``FILE_COLUMNS``) and ``history`` (by
    ``REFERENCE#SEQ``, ``HISTORY_COLUMNS``). Empty: they are equal."""
    found = compare_rows(
        "ticket", _as_replayed(projections.tickets(conn, center)), tickets, TICKET_COLUMNS
    )
    found += compare_rows(
        "file", _as_replayed(projections.files(conn, center)), files, FILE_COLUMNS
    )
    found += compare_rows(
        "file history",
        _as_replayed(projections.history(conn, center)),
        history,
        HISTORY_COLUMNS,
    )
    return found
