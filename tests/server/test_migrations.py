"""Migrations upgrade an existing database in place and are applied exactly once."""

from __future__ import annotations

import threading
from pathlib import Path

from server.store.database import Database
from server.store.migrate import discover, migrate


def test_numbers_are_unique_and_named(tmp_path: Path) -> None:
    steps = discover()
    assert [s.number for s in steps] == sorted({s.number for s in steps})
    assert steps[0].name == "m001_initial"


def test_older_schema_database_is_upgraded_keeping_its_data(tmp_path: Path) -> None:
    db = Database(tmp_path / "old.db")
    assert migrate(db, upto=1) == ["m001_initial"]
    with db.write() as tx:
        tx.execute(
            "INSERT INTO tickets (day, prefix, seq, number, service, state, public_token,"
            " issued_at) VALUES ('2026-11-20', 'A', 1, 'A-001', 'civil-extract', 'done', 't', 1)"
        )
        for seq, priority in ((2, 0), (3, 1), (4, 0)):
            tx.execute(
                "INSERT INTO tickets (day, prefix, seq, number, service, priority, state,"
                " public_token, issued_at) VALUES ('2026-11-20', 'A', ?, ?, 'civil-extract', ?,"
                " 'waiting', ?, 2)",
                [seq, f"A-00{seq}", priority, f"t{seq}"],
            )
    assert "alerts" not in db.read().table_names()
    db.close()

    db = Database(tmp_path / "old.db")
    applied = migrate(db)
    assert applied[0] == "m002_alerts_and_quotes" and len(applied) == len(discover()) - 1
    reader = db.read()
    assert reader.execute("SELECT number, quoted_wait_s FROM tickets").fetchall() == [
        ("A-001", None),
        ("A-002", None),
        ("A-003", None),
        ("A-004", None),
    ]
    # m004 counted the tickets already waiting
    assert reader.execute(
        "SELECT service, priority, waiting FROM waiting_counts ORDER BY priority"
    ).fetchall() == [("civil-extract", 0, 2), ("civil-extract", 1, 1)]
    assert "alerts" in reader.table_names()
    assert migrate(db) == []  # idempotent
    db.close()


def test_two_processes_starting_at_once_apply_each_step_once(tmp_path: Path) -> None:
    results: list[list[str]] = []

    def start() -> None:
        db = Database(tmp_path / "race.db")
        results.append(migrate(db))
        db.close()

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    applied = [name for names in results for name in names]
    assert sorted(applied) == sorted(s.name for s in discover())
