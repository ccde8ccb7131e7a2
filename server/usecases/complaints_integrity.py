"""Does every complaint row still say what the chain says? (``nafitha audit verify``)

Each complaint event carries the row's snapshot after its step (state, digests of the texts).
A row deleted (its events remain), inserted behind the log's back (no event), edited in place
(its text, answer, status or deadline no longer match the last event's digests and fields), or
whose steps were tampered with, is reported with the reference and, where it can be placed, the
last event about it. docs/complaints.md, docs/audit.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlite_utils

from server.domain.complaints import RowProblem, check_rows, phone_digest
from server.store import complaints as store
from server.store.events import events_of_kinds

KINDS = (
    "complaint_filed",
    "complaint_status_changed",
    "complaint_answered",
    "complaint_escalated",
    "complaint_marked_spam",
)


def _events(db: sqlite_utils.Database) -> Iterator[tuple[int, str, dict[str, Any]]]:
    for row in events_of_kinds(db, KINDS):  # data parsed; {} for text an edit left unreadable
        yield row["id"], row["kind"], row["data"]


def last_events(db: sqlite_utils.Database) -> dict[str, int]:
    """The newest event id about each complaint (to place a problem in the log)."""
    found: dict[str, int] = {}
    for event_id, _kind, data in _events(db):
        state = data.get("complaint")
        if isinstance(state, dict) and isinstance(state.get("reference"), str):
            found[state["reference"]] = event_id
    return found


def check_complaints(
    db: sqlite_utils.Database, digest_key: bytes | None = None
) -> tuple[int, list[RowProblem]]:
    """(complaints checked, problems): every row and its steps against its events; with the
    citizen digest key, each phone against its keyed digest too."""
    phone = phone_digest(digest_key) if digest_key is not None else None
    return check_rows(store.all_rows(db), store.all_steps(db), _events(db), phone)
