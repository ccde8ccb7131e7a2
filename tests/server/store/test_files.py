"""The files tables: added to an existing database in place, and append-only where it matters."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from server.store.database import Database
from server.store.migrate import migrate


def test_an_older_database_gains_the_files_tables_in_place(tmp_path: Path) -> None:
    db = Database(tmp_path / "old.db")
    try:
        migrate(db, upto=9)
        assert "files" not in db.read().table_names()
        with db.write() as tx:
            tx.execute("INSERT INTO meta (key, value) VALUES ('kept', 'yes')")
        applied = migrate(db)
        assert "m010_files" in applied
        tables = set(db.read().table_names())
        assert {"files", "file_history"} <= tables
        assert db.read().execute("SELECT value FROM meta WHERE key = 'kept'").fetchone()[0] == "yes"
        assert migrate(db) == []  # applied once only
    finally:
        db.close()


def test_history_cannot_be_edited_and_files_cannot_be_deleted(tmp_path: Path) -> None:
    db = Database(tmp_path / "files.db")
    migrate(db)
    db.close()
    conn = sqlite3.connect(tmp_path / "files.db")
    conn.execute(
        "INSERT INTO files (reference, service, workflow, stage, status, stage_entered_at,"
        " opened_at, opened_by, updated_at, moves, citizen_name)"
        " VALUES ('000000000', 's', 'w', 'a', 'open', 0, 0, 'x', 0, 1, 'N')"
    )
    conn.execute(
        "INSERT INTO file_history (reference, seq, at, kind, stage, status, by, role)"
        " VALUES ('000000000', 1, 0, 'open', 'a', 'open', 'x', 'clerk')"
    )
    with pytest.raises(sqlite3.IntegrityError):  # one history row per (file, seq)
        conn.execute(
            "INSERT INTO file_history (reference, seq, at, kind, stage, status, by, role)"
            " VALUES ('000000000', 1, 0, 'forward', 'b', 'open', 'y', 'clerk')"
        )
    for statement in [
        "UPDATE file_history SET stage = 'b'",
        "DELETE FROM file_history",
        "DELETE FROM files",
    ]:
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute(statement)
    with pytest.raises(sqlite3.IntegrityError):  # references are 9 symbols
        conn.execute(
            "INSERT INTO files (reference, service, workflow, stage, status, stage_entered_at,"
            " opened_at, opened_by, updated_at, moves, citizen_name)"
            " VALUES ('SHORT', 's', 'w', 'a', 'open', 0, 0, 'x', 0, 1, 'N')"
        )
    conn.close()
