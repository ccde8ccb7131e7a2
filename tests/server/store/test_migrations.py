"""Migrations upgrade an existing database in place and are applied exactly once."""

from __future__ import annotations

import threading
from pathlib import Path
from types import ModuleType

import pytest

from server.store import migrate as runner
from server.store.database import Database
from server.store.migrate import Migration, MigrationOrderError, discover, migrate


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


def _with(step: Migration) -> list[Migration]:
    return sorted([*discover(), step], key=lambda s: s.number)


def test_a_migration_numbered_below_the_newest_applied_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(tmp_path / "order.db")
    migrate(db)
    used = {s.number for s in discover()}
    newest = max(used)
    gap = min(n for n in range(1, newest) if n not in used)  # free, but below the newest
    late = ModuleType("m_late")
    late.up = lambda tx: tx.execute("CREATE TABLE late (id INTEGER)")  # type: ignore[attr-defined]
    monkeypatch.setattr(runner, "discover", lambda: _with(Migration(gap, "m_late", late)))
    with pytest.raises(MigrationOrderError, match=f"m_late is numbered below {newest:03d}"):
        migrate(db)
    assert "late" not in db.read().table_names()
    db.close()


def test_a_new_migration_numbered_after_the_newest_is_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(tmp_path / "next.db")
    migrate(db)
    newest = discover()[-1].number
    nxt = ModuleType("m_next")
    nxt.up = lambda tx: tx.execute("CREATE TABLE next_one (id INTEGER)")  # type: ignore[attr-defined]
    monkeypatch.setattr(runner, "discover", lambda: _with(Migration(newest + 1, "m_next", nxt)))
    assert migrate(db) == ["m_next"]
    assert "next_one" in db.read().table_names()
    db.close()
