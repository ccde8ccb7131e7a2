"""Upgrades: a database from a newer Nafitha is refused untouched; a copy precedes migrations."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path

import pytest

from server.store.database import Database
from server.store.migrate import KEEP_UPGRADE_COPIES, DatabaseTooNewError, discover, migrate
from server.store.snapshots import rotate, snapshots, take_snapshot
from tests.support.cli import run_nafitha


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _from_the_future(path: Path) -> None:
    """A fully migrated database that a later version then migrated once more."""
    db = Database(path)
    migrate(db)
    with db.write() as tx:
        tx.execute("CREATE TABLE future_things (id INTEGER PRIMARY KEY)")
        tx.execute(
            "INSERT INTO migrations (number, name, applied_at) VALUES (999, 'm999_future', 1)"
        )
    db.close()


def test_a_newer_database_is_refused_by_the_server_with_a_clear_line_and_left_untouched(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "nafitha.db"
    _from_the_future(db_path)
    before = _digest(db_path)
    newest = discover()[-1].name

    result = run_nafitha("server", "--db", str(db_path), "--port", "1", "--demo")

    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    line = result.stderr.strip().splitlines()[-1]
    assert "newer version of Nafitha" in line and "m999_future" in line and newest in line
    assert _digest(db_path) == before
    assert list(tmp_path.glob("*-before-*.db")) == []  # no copy: nothing was about to change


def test_migrate_refuses_a_newer_database_before_writing(tmp_path: Path) -> None:
    _from_the_future(tmp_path / "nafitha.db")
    db = Database(tmp_path / "nafitha.db")
    try:
        with pytest.raises(DatabaseTooNewError, match="m999_future"):
            migrate(db)
        numbers = [r[0] for r in db.read().execute("SELECT number FROM migrations")]
        assert max(numbers) == 999 and len(numbers) == len(discover()) + 1
    finally:
        db.close()


def test_an_upgrade_first_copies_the_database_beside_it_with_its_old_schema(
    tmp_path: Path,
) -> None:
    path = tmp_path / "nafitha.db"
    db = Database(path)
    migrate(db, upto=10)
    with db.write() as tx:
        tx.execute(
            "INSERT INTO tickets (day, prefix, seq, number, service, state, public_token,"
            " issued_at) VALUES ('2026-11-20', 'A', 1, 'A-001', 'civil-extract', 'done', 't', 1)"
        )
    db.close()

    db = Database(path)
    applied = migrate(db)
    db.close()
    assert applied and applied[0].startswith("m020")

    copies = list(tmp_path.glob("nafitha-before-m020-*.db"))
    assert len(copies) == 1
    copy = sqlite3.connect(copies[0])
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT max(number) FROM migrations").fetchone()[0] == 10
        assert copy.execute("SELECT number FROM tickets").fetchall() == [("A-001",)]
    finally:
        copy.close()
    assert copies[0].stat().st_mode & 0o777 == 0o640


def test_a_fresh_database_and_an_up_to_date_one_get_no_copy(tmp_path: Path) -> None:
    db = Database(tmp_path / "nafitha.db")
    migrate(db)
    migrate(db)
    db.close()
    assert list(tmp_path.glob("*-before-*")) == []


def test_upgrade_copies_are_rotated(tmp_path: Path) -> None:
    path = tmp_path / "nafitha.db"
    db = Database(path)
    migrate(db, upto=1)
    for upto in (2, 3, 4, 5, 10):
        migrate(db, upto=upto)
    db.close()
    kept = sorted(p.name for p in tmp_path.glob("nafitha-before-m*.db"))
    assert len(kept) == KEEP_UPGRADE_COPIES
    assert [name[: len("nafitha-before-m000")] for name in kept] == [
        "nafitha-before-m004",
        "nafitha-before-m005",
        "nafitha-before-m010",
    ]


def test_daily_copies_older_than_keep_days_go_but_the_newest_stays(tmp_path: Path) -> None:
    db = Database(tmp_path / "nafitha.db")
    migrate(db)
    now = time.time()
    for days in (40, 20, 9, 1, 0):
        take_snapshot(db, tmp_path / "backups", "nafitha", now - days * 86400)
    db.close()
    (tmp_path / "backups" / "notes.txt").write_text("not a backup", encoding="utf-8")

    deleted = rotate(tmp_path / "backups", "nafitha", now, keep_days=14)
    assert len(deleted) == 2
    left = snapshots(tmp_path / "backups", "nafitha")
    assert [round((now - s.at) / 86400) for s in left] == [9, 1, 0]
    assert (tmp_path / "backups" / "notes.txt").exists()
    # a box switched off for months keeps its last copy
    assert [p.name for p in rotate(tmp_path / "backups", "nafitha", now + 400 * 86400, 14)] == [
        s.path.name for s in left[:-1]
    ]
    assert len(snapshots(tmp_path / "backups", "nafitha")) == 1


def test_an_upgrade_that_fails_midway_leaves_whole_steps_and_the_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step that raises is rolled back whole; the steps before it stay; the copy has the
    database as it was before the upgrade began."""
    from types import ModuleType

    from server.store import migrate as runner
    from server.store.migrate import Migration

    path = tmp_path / "nafitha.db"
    db = Database(path)
    migrate(db, upto=10)
    newest = discover()[-1].number
    broken = ModuleType("m_broken")

    def up(tx) -> None:
        tx.execute("CREATE TABLE half_done (id INTEGER)")
        raise RuntimeError("the disk filled up")

    broken.up = up  # type: ignore[attr-defined]
    steps = [*discover(), Migration(newest + 1, "m_broken", broken)]
    monkeypatch.setattr(runner, "discover", lambda: steps)
    with pytest.raises(RuntimeError, match="disk filled"):
        migrate(db)
    reader = db.read()
    numbers = [r[0] for r in reader.execute("SELECT number FROM migrations ORDER BY number")]
    assert numbers == [s.number for s in discover()]  # every real step, not the broken one
    assert "half_done" not in reader.table_names()
    db.close()
    copy = sqlite3.connect(next(tmp_path.glob("nafitha-before-m020-*.db")))
    try:
        assert copy.execute("SELECT max(number) FROM migrations").fetchone()[0] == 10
    finally:
        copy.close()
