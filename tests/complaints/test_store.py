"""The complaints table's figures, read straight from a migrated SQLite file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from server.store import complaints as store
from server.store.database import Database
from server.store.migrate import migrate


def _row(reference: str, due_day: str, deadline: float, **extra: object) -> dict[str, object]:
    return {
        "reference": reference,
        "kind": "complaint",
        "about": "center",
        "channel": "phone",
        "filed_at": deadline - 7 * 86400,
        "deadline_at": deadline,
        "due_day": due_day,
        "updated_at": deadline - 7 * 86400,
        **extra,
    }


def test_answered_within_deadline_counts_due_in_the_period_and_answered_by_the_deadline(
    tmp_path: Path,
) -> None:
    db = Database(tmp_path / "n.db")
    migrate(db)
    with db.write() as tx:
        store.insert_complaint(tx, _row("A", "2026-11-02", 1000.0, answered_at=999.0))
        store.insert_complaint(tx, _row("B", "2026-11-10", 2000.0, answered_at=2001.0))
        store.insert_complaint(tx, _row("C", "2026-11-30", 3000.0))
        store.insert_complaint(tx, _row("D", "2026-11-15", 4000.0, answered_at=1.0, spam=1))
        store.insert_complaint(tx, _row("E", "2026-12-01", 5000.0, answered_at=1.0))
        store.insert_complaint(tx, _row("F", "2026-10-31", 5000.0, answered_at=1.0))
    reader = db.read()
    assert store.answered_within_deadline(reader, "2026-11-01", "2026-11-30") == (1, 3)
    assert store.answered_within_deadline(reader, dt.date(2026, 11, 1), dt.date(2026, 12, 1)) == (
        2,
        4,
    )
    assert store.answered_within_deadline(reader, "2027-01-01", "2027-01-31") == (0, 0)
    db.close()
