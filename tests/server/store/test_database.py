"""The writer thread: group commit, isolation of a failing write, durability before the answer.

A real SQLite file; writes come from many threads (``with db.write()``) and from an event loop
(``await db.run(...)``) at once, as they do in the server.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from server.store.database import Database


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = Database(tmp_path / "w.db", timeout=2.0)
    with database.write() as tx:
        tx.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, who TEXT NOT NULL)")
        tx.execute("CREATE TABLE parents (id INTEGER PRIMARY KEY)")
        tx.execute(
            "CREATE TABLE children (id INTEGER PRIMARY KEY, parent INTEGER"
            " REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED)"
        )
    yield database
    database.close()


def count_commits(db: Database) -> list[str]:
    seen: list[str] = []
    db._writer.conn.set_trace_callback(  # the writer's own statements, as SQLite runs them
        lambda sql: seen.append(sql) if sql.strip().upper() == "COMMIT" else None
    )
    return seen


def rows(path: Path) -> list[str]:
    """What another connection sees: only committed data."""
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT who FROM rows ORDER BY id")]
    finally:
        conn.close()


def insert(db_tx, who: str) -> str:
    db_tx.execute("INSERT INTO rows (who) VALUES (?)", [who])
    return who


def test_threads_and_the_event_loop_write_at_once_and_share_commits(db: Database) -> None:
    commits = count_commits(db)
    errors: list[BaseException] = []

    def thread_writer(n: int) -> None:
        try:
            for i in range(25):
                with db.write() as tx:
                    insert(tx, f"t{n}-{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    async def loop_writers() -> list[str]:
        def use_case(name: str) -> str:
            with db.write() as tx:  # nested: a savepoint inside the batch
                return insert(tx, name)

        return await asyncio.gather(*(db.run(use_case, f"a{i}") for i in range(200)))

    threads = [threading.Thread(target=thread_writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    answered = asyncio.run(loop_writers())
    for thread in threads:
        thread.join()
    assert errors == []
    assert answered == [f"a{i}" for i in range(200)]
    stored = rows(db.path)
    assert len(stored) == len(set(stored)) == 200 + 8 * 25
    # 400 writes; concurrent ones shared a commit (one fsync for many)
    assert len(commits) < 400


def test_a_failing_write_rolls_back_alone(db: Database) -> None:
    async def scenario() -> list[object]:
        def good(name: str) -> str:
            with db.write() as tx:
                return insert(tx, name)

        def bad() -> None:
            with db.write() as tx:
                insert(tx, "half-done")
            with db.write() as tx:  # the use case fails after its first write
                insert(tx, "never")
                raise ValueError("refused")

        return await asyncio.gather(
            db.run(good, "before"), db.run(bad), db.run(good, "after"), return_exceptions=True
        )

    before, failed, after = asyncio.run(scenario())
    assert (before, after) == ("before", "after")
    assert isinstance(failed, ValueError)
    # nothing of the failed use case stands, not even its first (completed) write
    assert rows(db.path) == ["before", "after"]


def test_a_failing_thread_write_does_not_touch_the_others(db: Database) -> None:
    with pytest.raises(KeyError), db.write() as tx:
        insert(tx, "lost")
        raise KeyError("x")
    with db.write() as tx:
        insert(tx, "kept")
    assert rows(db.path) == ["kept"]


def test_a_failed_commit_raises_in_every_member_of_the_batch(db: Database) -> None:
    """A deferred foreign key fails at COMMIT: every write of that batch learns it."""
    gate = threading.Event()

    def hold_the_writer() -> None:
        gate.wait(5)

    async def scenario() -> list[object]:
        def orphan() -> None:
            with db.write() as tx:
                tx.execute("INSERT INTO children (parent) VALUES (99)")

        def fine(name: str) -> str:
            with db.write() as tx:
                return insert(tx, name)

        blocker = db.run(hold_the_writer)  # the next three queue up and share one batch
        task = asyncio.gather(
            blocker, db.run(fine, "x"), db.run(orphan), db.run(fine, "y"), return_exceptions=True
        )
        await asyncio.sleep(0.1)
        gate.set()
        return await task

    _, x, orphan_result, y = asyncio.run(scenario())
    assert isinstance(orphan_result, sqlite3.IntegrityError)
    assert isinstance(x, sqlite3.IntegrityError) and isinstance(y, sqlite3.IntegrityError)
    assert rows(db.path) == []
    with db.write() as tx:  # the writer goes on
        insert(tx, "next")
    assert rows(db.path) == ["next"]


def test_after_commit_sees_the_write_committed(db: Database) -> None:
    seen: list[list[str]] = []

    def use_case() -> None:
        with db.write() as tx:
            insert(tx, "visible")
        db.after_commit(lambda: seen.append(rows(db.path)))
        assert seen == []  # not yet: the batch has not committed

    asyncio.run(db.run(use_case))
    assert seen == [["visible"]]
    db.after_commit(lambda: seen.append(["outside a batch: at once"]))
    assert seen[-1] == ["outside a batch: at once"]


def test_another_process_holding_the_lock_times_out_cleanly(tmp_path: Path) -> None:
    db = Database(tmp_path / "locked.db", timeout=0.3)
    with db.write() as tx:
        tx.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, who TEXT)")
    other = sqlite3.connect(tmp_path / "locked.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"), db.write() as tx:
            insert(tx, "thread")
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            asyncio.run(db.run(lambda: None))
    finally:
        other.execute("ROLLBACK")
        other.close()
    with db.write() as tx:
        insert(tx, "after")
    assert rows(tmp_path / "locked.db") == ["after"]
    db.close()


def test_close_stops_the_writer(tmp_path: Path) -> None:
    db = Database(tmp_path / "c.db")
    with db.write() as tx:
        tx.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, who TEXT)")
    writer = db._thread
    assert writer is not None and writer.is_alive()
    db.close()
    assert not writer.is_alive()
    with pytest.raises(sqlite3.ProgrammingError), db.write():
        pass
