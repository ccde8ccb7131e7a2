"""The ``complaints`` and ``complaint_steps`` tables (migration m035): rows, steps, queries.

Writes take the caller's write transaction (``Database.write()``); the event of each change is
appended by the use case in that same transaction (``server/usecases/complaints.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlite_utils

COLUMNS = (
    "reference, kind, about, service, ticket_id, topic, text, lang, phone, channel, device,"
    " status, spam, filed_at, deadline_at, due_day, answer, answer_lang, answered_at,"
    " answered_by, closed_at, alerted_at, alert_id, escalated_at, steps, updated_at"
)
_NAMES = [name.strip() for name in COLUMNS.split(",")]
OPEN = ("received", "under_review")


def _row(values: tuple[Any, ...] | None) -> dict[str, Any] | None:
    return dict(zip(_NAMES, values, strict=True)) if values else None


def insert_complaint(tx: sqlite_utils.Database, row: dict[str, Any]) -> None:
    """A new complaint row (``row`` holds every column but the defaulted ones)."""
    names = [name for name in _NAMES if name in row]
    tx.execute(
        f"INSERT INTO complaints ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        [row[name] for name in names],
    )


def update_complaint(tx: sqlite_utils.Database, reference: str, **changes: Any) -> None:
    """Set ``changes`` (column: value) on one complaint."""
    unknown = set(changes) - set(_NAMES)
    if unknown:
        raise ValueError(f"unknown complaint columns: {sorted(unknown)}")
    sets = ", ".join(f"{name} = ?" for name in changes)
    tx.execute(f"UPDATE complaints SET {sets} WHERE reference = ?", [*changes.values(), reference])


def add_step(
    tx: sqlite_utils.Database,
    reference: str,
    seq: int,
    at: float,
    step: str,
    status: str,
    actor: str | None,
    event_id: int,
) -> None:
    """One line of the complaint's history, pointing at the event that records it."""
    tx.execute(
        "INSERT INTO complaint_steps (reference, seq, at, step, status, actor, event_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [reference, seq, at, step, status, actor, event_id],
    )


def complaint(db: sqlite_utils.Database, reference: str) -> dict[str, Any] | None:
    """The complaint's row as a dict, or None."""
    return _row(
        db.execute(f"SELECT {COLUMNS} FROM complaints WHERE reference = ?", [reference]).fetchone()
    )


def steps(db: sqlite_utils.Database, reference: str) -> list[dict[str, Any]]:
    """The complaint's history, oldest first."""
    cursor = db.execute(
        "SELECT seq, at, step, status, actor, event_id FROM complaint_steps"
        " WHERE reference = ? ORDER BY seq",
        [reference],
    )
    return [
        dict(zip(("seq", "at", "step", "status", "actor", "event_id"), r, strict=True))
        for r in cursor
    ]


def listing(
    db: sqlite_utils.Database,
    status: str | None,
    overdue_at: float | None,
    spam: bool | None,
    limit: int = 500,
) -> list[dict[str, Any]]:
    """Complaints newest first: of ``status`` (None: any), open past their deadline at
    ``overdue_at`` (None: any), spam or not (None: both)."""
    where, params = [], []
    if status is not None:
        where.append("status = ?")
        params.append(status)
    if overdue_at is not None:
        where.append("status IN ('received', 'under_review') AND deadline_at < ?")
        params.append(overdue_at)
    if spam is not None:
        where.append("spam = ?")
        params.append(int(spam))
    sql = f"SELECT {COLUMNS} FROM complaints"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY filed_at DESC LIMIT ?"
    return [r for r in map(_row, db.execute(sql, [*params, limit]).fetchall()) if r]


def counts(db: sqlite_utils.Database, now: float) -> dict[str, int]:
    """How many complaints in each status (spam apart), and how many open ones are overdue."""
    found = {"received": 0, "under_review": 0, "answered": 0, "closed": 0, "spam": 0}
    for status, spam, number in db.execute(
        "SELECT status, spam, count(*) FROM complaints GROUP BY status, spam"
    ):
        found["spam" if spam else status] += number
    found["overdue"] = db.execute(
        "SELECT count(*) FROM complaints WHERE spam = 0"
        " AND status IN ('received', 'under_review') AND deadline_at < ?",
        [now],
    ).fetchone()[0]
    return found


def due_for_alert(db: sqlite_utils.Database, now: float) -> list[str]:
    """Open, not spam, past the deadline, no alert to the manager yet."""
    return [
        r[0]
        for r in db.execute(
            "SELECT reference FROM complaints WHERE spam = 0"
            " AND status IN ('received', 'under_review') AND deadline_at < ?"
            " AND alerted_at IS NULL ORDER BY deadline_at",
            [now],
        )
    ]


def due_for_escalation(db: sqlite_utils.Database, alerted_before: float) -> list[str]:
    """Open, not spam, the manager alerted before ``alerted_before``, not escalated yet."""
    return [
        r[0]
        for r in db.execute(
            "SELECT reference FROM complaints WHERE spam = 0"
            " AND status IN ('received', 'under_review') AND alerted_at IS NOT NULL"
            " AND alerted_at <= ? AND escalated_at IS NULL ORDER BY alerted_at",
            [alerted_before],
        )
    ]


def filed_since(db: sqlite_utils.Database, phone: str, since: float) -> int:
    """How many complaints gave ``phone`` since ``since`` (the per-phone limit)."""
    return db.execute(
        "SELECT count(*) FROM complaints WHERE phone = ? AND filed_at >= ?", [phone, since]
    ).fetchone()[0]


def _day(value: dt.date | str) -> str:
    return (
        value.isoformat()
        if isinstance(value, dt.date)
        else dt.date.fromisoformat(value).isoformat()
    )


def answered_within_deadline(
    db: sqlite_utils.Database, first_day: dt.date | str, last_day: dt.date | str
) -> tuple[int, int]:
    """(answered by their deadline, due) among complaints and suggestions whose deadline falls
    on a center-local day from ``first_day`` to ``last_day`` (inclusive); spam is left out.

    "Answered" is the first answer's time (``answered_at``), whatever happened after it.
    """
    on_time, due = db.execute(
        "SELECT coalesce(sum(answered_at IS NOT NULL AND answered_at <= deadline_at), 0),"
        " count(*) FROM complaints WHERE spam = 0 AND due_day BETWEEN ? AND ?",
        [_day(first_day), _day(last_day)],
    ).fetchone()
    return int(on_time), int(due)


def all_rows(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every complaint row (the integrity check)."""
    return [r for r in map(_row, db.execute(f"SELECT {COLUMNS} FROM complaints")) if r]


def all_steps(db: sqlite_utils.Database) -> dict[str, list[dict[str, Any]]]:
    """Every step, by reference (the integrity check)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for reference, seq, step, status, event_id in db.execute(
        "SELECT reference, seq, step, status, event_id FROM complaint_steps ORDER BY reference, seq"
    ):
        found.setdefault(reference, []).append(
            {"seq": seq, "step": step, "status": status, "event_id": event_id}
        )
    return found
