"""All SQLite access goes through one :class:`Database`: durable pragmas, one writer path, readers.

Writes: :meth:`Database.write` serializes every write of this process on one connection behind a
lock and opens ``BEGIN IMMEDIATE``, so the write lock of the file is taken before anything is read;
several server processes on one file then queue on SQLite's own lock (busy timeout), never on a
"database is locked" error half-way through, and numbering/claiming stays atomic across processes.

Durability: WAL with ``synchronous=FULL`` fsyncs the WAL on every commit, so a ticket the server
acknowledged survives a power cut (``NORMAL`` would only survive a process crash).

Reads: :meth:`Database.read` hands each thread its own connection (WAL lets readers run while one
writer writes).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
)


def connect(path: Path | str, timeout: float = 10.0) -> sqlite3.Connection:
    """A connection with the project's pragmas, in autocommit mode (transactions are explicit)."""
    conn = sqlite3.connect(
        str(path), timeout=timeout, check_same_thread=False, isolation_level=None
    )
    conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
    for pragma in PRAGMAS:
        conn.execute(pragma)
    return conn


class Database:
    """One SQLite file: a lock-guarded writer connection and a connection per reading thread."""

    def __init__(self, path: Path | str, timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.timeout = timeout
        self._writer = sqlite_utils.Database(connect(self.path, timeout))
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """One write transaction (``BEGIN IMMEDIATE``): commit on success, rollback on error."""
        with self._write_lock:
            conn = self._writer.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._writer
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def read(self) -> sqlite_utils.Database:
        """This thread's reading connection (autocommit; each statement sees committed data)."""
        db = getattr(self._local, "db", None)
        if db is None:
            conn = connect(self.path, self.timeout)
            with self._readers_lock:
                self._readers.append(conn)
            db = sqlite_utils.Database(conn)
            self._local.db = db
        return db

    @contextmanager
    def snapshot(self) -> Iterator[sqlite_utils.Database]:
        """Several reads that must agree with each other, in one read transaction."""
        db = self.read()
        db.conn.execute("BEGIN")
        try:
            yield db
        finally:
            db.conn.execute("COMMIT")

    def backup_to(self, dest: Path | str) -> None:
        """A consistent copy of the live database at ``dest`` (SQLite's online backup API)."""
        target = sqlite3.connect(str(dest))
        try:
            source = connect(self.path, self.timeout)
            try:
                source.backup(target)
            finally:
                source.close()
        finally:
            target.close()

    def close(self) -> None:
        with self._readers_lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()
        self._writer.conn.close()
