"""Reading and writing citizen files (tables of ``m010_files``); callers hold the transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from server.domain.files import Bilingual, Citizen, CitizenFile, HistoryEntry

_FILE_COLUMNS = (
    "reference, service, workflow, stage, status, stage_entered_at, due_at, opened_at, opened_by,"
    " updated_at, moves, ticket_id, citizen_name, national_id, phone, documents_received, missing,"
    " note"
)
_HISTORY_COLUMNS = (
    "seq, at, kind, from_stage, stage, status, by, role, counter, note, reason, missing"
)


def moment(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _docs(text: str) -> tuple[Bilingual, ...]:
    return () if text == "[]" else tuple(json.loads(text))


def _rows(cursor: Any) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _history(db: sqlite_utils.Database, reference: str) -> tuple[HistoryEntry, ...]:
    cursor = db.execute(
        f"SELECT {_HISTORY_COLUMNS} FROM file_history WHERE reference = ? ORDER BY seq",
        [reference],
    )
    return tuple(
        HistoryEntry(
            seq=row["seq"],
            at=moment(row["at"]),
            kind=row["kind"],
            from_stage=row["from_stage"],
            stage=row["stage"],
            status=row["status"],
            by=row["by"],
            role=row["role"],
            counter=row["counter"],
            note=row["note"],
            reason=row["reason"],
            missing=_docs(row["missing"]),
        )
        for row in _rows(cursor)
    )


def _file(db: sqlite_utils.Database, row: dict[str, Any], with_history: bool) -> CitizenFile:
    return CitizenFile(
        reference=row["reference"],
        service=row["service"],
        workflow=row["workflow"],
        stage=row["stage"],
        status=row["status"],
        stage_entered_at=moment(row["stage_entered_at"]),
        opened_at=moment(row["opened_at"]),
        opened_by=row["opened_by"],
        citizen=Citizen(row["citizen_name"], row["national_id"], row["phone"]),
        documents_received=_docs(row["documents_received"]),
        missing=_docs(row["missing"]),
        note=row["note"],
        ticket=row["ticket_id"],
        history=_history(db, row["reference"]) if with_history else (),
    )


def get_file(
    db: sqlite_utils.Database, reference: str, with_history: bool = True
) -> CitizenFile | None:
    rows = _rows(db.execute(f"SELECT {_FILE_COLUMNS} FROM files WHERE reference = ?", [reference]))
    return _file(db, rows[0], with_history) if rows else None


def find_files(
    db: sqlite_utils.Database,
    *,
    national_id: str | None = None,
    phone: str | None = None,
    limit: int = 50,
) -> list[CitizenFile]:
    """Files of one citizen, newest first (history left out: fetch one file for it)."""
    clauses, params = [], []
    if national_id:
        clauses.append("national_id = ?")
        params.append(national_id)
    if phone:
        clauses.append("phone = ?")
        params.append(phone)
    if not clauses:
        return []
    cursor = db.execute(
        f"SELECT {_FILE_COLUMNS} FROM files WHERE {' AND '.join(clauses)}"
        " ORDER BY opened_at DESC LIMIT ?",
        [*params, limit],
    )
    return [_file(db, row, with_history=False) for row in _rows(cursor)]


def moves_of(db: sqlite_utils.Database, reference: str) -> int:
    """How many times the file has moved: its version, checked by a move that names one."""
    return db.execute("SELECT moves FROM files WHERE reference = ?", [reference]).fetchone()[0]


def reference_taken(db: sqlite_utils.Database, reference: str) -> bool:
    return db.execute("SELECT 1 FROM files WHERE reference = ?", [reference]).fetchone() is not None


def insert_file(
    tx: sqlite_utils.Database, file: CitizenFile, due_at: float | None, now: float
) -> None:
    tx.execute(
        f"INSERT INTO files ({_FILE_COLUMNS}) VALUES"
        " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)",
        [
            file.reference,
            file.service,
            file.workflow,
            file.stage,
            file.status,
            file.stage_entered_at.timestamp(),
            due_at,
            file.opened_at.timestamp(),
            file.opened_by,
            now,
            file.ticket,
            file.citizen.name,
            file.citizen.national_id,
            file.citizen.phone,
            json.dumps(list(file.documents_received), ensure_ascii=False),
            json.dumps(list(file.missing), ensure_ascii=False),
            file.note,
        ],
    )


def record_move(
    tx: sqlite_utils.Database,
    reference: str,
    entry: HistoryEntry,
    *,
    stage_entered_at: float,
    due_at: float | None,
    missing: Iterable[Bilingual] | None,
) -> None:
    """Append ``entry`` and bring the file's current state in line with it.

    ``missing`` None keeps the file's missing list; a list replaces it.
    """
    tx.execute(
        f"INSERT INTO file_history (reference, {_HISTORY_COLUMNS}) VALUES"
        " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            reference,
            entry.seq,
            entry.at.timestamp(),
            entry.kind,
            entry.from_stage,
            entry.stage,
            entry.status,
            entry.by,
            entry.role,
            entry.counter,
            entry.note,
            entry.reason,
            json.dumps(list(entry.missing), ensure_ascii=False),
        ],
    )
    assignments = (
        "stage = ?, status = ?, stage_entered_at = ?, due_at = ?, updated_at = ?, moves = ?"
    )
    params: list[Any] = [
        entry.stage,
        entry.status,
        stage_entered_at,
        due_at,
        entry.at.timestamp(),
        entry.seq,
    ]
    if missing is not None:
        assignments += ", missing = ?"
        params.append(json.dumps(list(missing), ensure_ascii=False))
    tx.execute(f"UPDATE files SET {assignments} WHERE reference = ?", [*params, reference])


def overdue(db: sqlite_utils.Database, now: float, limit: int = 500) -> list[dict[str, Any]]:
    """Files past their stage's due time, oldest due first: reference, service, stage, due_at."""
    cursor = db.execute(
        "SELECT reference, service, workflow, stage, due_at, stage_entered_at FROM files"
        " WHERE due_at IS NOT NULL AND due_at < ? ORDER BY due_at LIMIT ?",
        [now, limit],
    )
    return _rows(cursor)


def overdue_counts(db: sqlite_utils.Database, now: float) -> list[dict[str, Any]]:
    """How many files are overdue per service and stage."""
    cursor = db.execute(
        "SELECT service, stage, count(*) AS count, min(due_at) AS oldest_due_at FROM files"
        " WHERE due_at IS NOT NULL AND due_at < ? GROUP BY service, stage"
        " ORDER BY count DESC, service, stage",
        [now],
    )
    return _rows(cursor)
