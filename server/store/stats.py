"""The dashboard's reads and its kept aggregates: the SQL behind :mod:`server.usecases.stats`.

Ticket facts come through the ``tickets_stats`` covering index (migration 020). Settled days and
whole months are kept as JSON aggregates in ``stats_days`` / ``stats_months`` (``stats_days_done``
marks a day as computed, even one without tickets). The warm-up's lease is a row in ``meta``.
Writers take the caller's ``tx`` (inside ``Database.write()``); readers take any connection.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

import sqlite_utils

from nafitha.stats import Aggregate

FACT_COLUMNS = (
    "service, counter, clerk, state, issued_at, called_at, started_at, finished_at, quoted_wait_s"
)
TICKET_EXPORT_COLUMNS = (
    "day, number, service, priority, state, issued_at, called_at, started_at, finished_at,"
    " quoted_wait_s, counter, clerk, recalls, transfers, file"
)
FILE_EXPORT_COLUMNS = (
    "reference, service, stage, status, opened_at, stage_entered_at, due_at, updated_at, moves,"
    " ticket_id"
)
WARMUP_KEY = "stats_warmup_until"

Groups = Mapping[tuple[str, Hashable], Aggregate]


def fact_rows(db: sqlite_utils.Database, first: date, last: date) -> list[tuple[Any, ...]]:
    """The tickets of the days ``first..last`` as :data:`FACT_COLUMNS` tuples."""
    return db.execute(
        f"SELECT {FACT_COLUMNS} FROM tickets INDEXED BY tickets_stats WHERE day BETWEEN ? AND ?",
        [first.isoformat(), last.isoformat()],
    ).fetchall()


def count_tickets(db: sqlite_utils.Database, first: date, last: date) -> int:
    """How many tickets the days ``first..last`` hold (decides exact against kept aggregates)."""
    return int(
        db.execute(
            "SELECT count(*) FROM tickets INDEXED BY tickets_stats WHERE day BETWEEN ? AND ?",
            [first.isoformat(), last.isoformat()],
        ).fetchone()[0]
    )


def first_ticket_day(db: sqlite_utils.Database) -> str | None:
    """The earliest ``day`` of any ticket, or None on an empty center."""
    first: str | None = db.execute("SELECT min(day) FROM tickets").fetchone()[0]
    return first


def days_done(db: sqlite_utils.Database, first: date, last: date) -> set[str]:
    """The days of ``first..last`` (ISO) whose aggregates are kept."""
    return {
        row[0]
        for row in db.execute(
            "SELECT day FROM stats_days_done WHERE day BETWEEN ? AND ?",
            [first.isoformat(), last.isoformat()],
        )
    }


def _encoded(groups: Groups) -> list[tuple[str, str, str]]:
    return [(dim, str(key), json.dumps(group.to_json())) for (dim, key), group in groups.items()]


def keep_day(
    tx: sqlite_utils.Database, day: str, groups: Groups, tickets: int, computed_at: float
) -> None:
    """Replace the kept aggregates of ``day`` and mark it done with its ticket count."""
    tx.execute("DELETE FROM stats_days WHERE day = ?", [day])
    tx.conn.executemany(
        "INSERT INTO stats_days (day, dim, key, data) VALUES (?, ?, ?, ?)",
        [(day, dim, key, data) for dim, key, data in _encoded(groups)],
    )
    tx.execute(
        "INSERT OR REPLACE INTO stats_days_done (day, computed_at, tickets) VALUES (?, ?, ?)",
        [day, computed_at, tickets],
    )


def months_kept(db: sqlite_utils.Database, months: Sequence[str]) -> set[str]:
    """Which of ``months`` (``YYYY-MM``) have kept aggregates."""
    marks = ",".join("?" for _ in months)
    return {
        row[0]
        for row in db.execute(
            f"SELECT DISTINCT month FROM stats_months WHERE month IN ({marks})", list(months)
        )
    }


def keep_month(tx: sqlite_utils.Database, month: str, groups: Groups) -> None:
    """Replace the kept aggregates of ``month`` (``YYYY-MM``)."""
    tx.execute("DELETE FROM stats_months WHERE month = ?", [month])
    tx.conn.executemany(
        "INSERT INTO stats_months (month, dim, key, data) VALUES (?, ?, ?, ?)",
        [(month, dim, key, data) for dim, key, data in _encoded(groups)],
    )


def _decoded(rows: Iterator[tuple[str, str, str]]) -> Iterator[tuple[str, str, Aggregate]]:
    for dim, key, data in rows:
        yield dim, key, Aggregate.from_json(json.loads(data))


def day_aggregates(
    db: sqlite_utils.Database, first: str, last: str
) -> Iterator[tuple[str, str, Aggregate]]:
    """The kept ``(dim, key, aggregate)`` of the days ``first..last`` (ISO; keys as text)."""
    return _decoded(
        db.execute("SELECT dim, key, data FROM stats_days WHERE day BETWEEN ? AND ?", [first, last])
    )


def month_aggregates(
    db: sqlite_utils.Database, first: str, last: str
) -> Iterator[tuple[str, str, Aggregate]]:
    """The kept ``(dim, key, aggregate)`` of the months ``first..last`` (``YYYY-MM``)."""
    return _decoded(
        db.execute(
            "SELECT dim, key, data FROM stats_months WHERE month BETWEEN ? AND ?", [first, last]
        )
    )


def take_warmup_lease(tx: sqlite_utils.Database, now: float, lease_s: float) -> bool:
    """Hold the warm-up for ``lease_s`` seconds unless another worker holds it; whether taken."""
    held = tx.execute("SELECT value FROM meta WHERE key = ?", [WARMUP_KEY]).fetchone()
    if held and float(held[0]) > now:
        return False
    tx.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [WARMUP_KEY, str(now + lease_s)]
    )
    return True


def release_warmup_lease(tx: sqlite_utils.Database) -> None:
    tx.execute("DELETE FROM meta WHERE key = ?", [WARMUP_KEY])


def ticket_export_rows(db: sqlite_utils.Database, first: date, last: date) -> list[tuple[Any, ...]]:
    """The tickets of ``first..last`` for the CSV export, :data:`TICKET_EXPORT_COLUMNS`, by id."""
    return db.execute(
        f"SELECT {TICKET_EXPORT_COLUMNS} FROM tickets WHERE day BETWEEN ? AND ? ORDER BY id",
        [first.isoformat(), last.isoformat()],
    ).fetchall()


def file_export_rows(db: sqlite_utils.Database, start: float, end: float) -> list[tuple[Any, ...]]:
    """Files opened in ``[start, end)`` for the CSV export, :data:`FILE_EXPORT_COLUMNS`."""
    return db.execute(
        f"SELECT {FILE_EXPORT_COLUMNS} FROM files WHERE opened_at >= ? AND opened_at < ?"
        " ORDER BY opened_at",
        [start, end],
    ).fetchall()


def finished_visits(db: sqlite_utils.Database, first: date, last: date) -> list[tuple[Any, ...]]:
    """Finished visits of ``first..last`` as (visit service, last step's service, outcome,
    count): the first-visit resolution's input (the ``tickets_outcomes`` index, m025)."""
    return db.execute(
        "SELECT coalesce(visit_service, service), service, outcome, count(*) FROM tickets"
        " INDEXED BY tickets_outcomes WHERE day BETWEEN ? AND ? AND state = 'done'"
        " GROUP BY 1, 2, 3",
        [first.isoformat(), last.isoformat()],
    ).fetchall()
