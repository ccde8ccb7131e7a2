"""All SQLite access goes through one :class:`Database`: durable pragmas, one writer path, readers.

Writes: :meth:`Database.write` serializes every write of this process on one connection behind a
lock and opens ``BEGIN IMMEDIATE``, so the write lock of the file is taken before anything is read;
several server processes on one file then queue on SQLite's own lock (busy timeout), never on a
"database is locked" error half-way through, and numbering/claiming stays atomic across processes.
Writes queued at the same moment share one commit (group commit), so a burst costs one fsync.

Durability: WAL with ``synchronous=FULL`` fsyncs the WAL on every commit, so a ticket the server
acknowledged survives a power cut (``NORMAL`` would only survive a process crash).

Reads: :meth:`Database.read` hands each thread its own connection (WAL lets readers run while one
writer writes).
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
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


MAX_GROUP = 64


class _Group:
    """Writes sharing one commit: each waits on ``done`` and sees ``error`` if the commit failed."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.error: BaseException | None = None
        self.members = 0


class Database:
    """One SQLite file: a lock-guarded writer connection and a connection per reading thread."""

    def __init__(self, path: Path | str, timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.timeout = timeout
        writer = connect(self.path, timeout)
        # The writer waits for other processes' write locks in begin_immediate(), polling every
        # millisecond or so, rather than in SQLite's busy handler whose sleeps grow to 100 ms.
        writer.execute("PRAGMA busy_timeout=0")
        self._writer = sqlite_utils.Database(writer)
        self._write_lock = threading.Lock()
        self._queue_lock = threading.Lock()
        self._queued = 0
        self._group: _Group | None = None
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """One write transaction: all or nothing, and durable once the ``with`` block has exited.

        Group commit: each write runs alone on the writer connection, inside a savepoint of a
        ``BEGIN IMMEDIATE`` transaction. When other threads of this process are queued to write,
        the transaction is left open for them and the last of the group commits (one fsync for
        all); everyone returns only after that commit. A write that raises rolls back to its
        savepoint and leaves the others intact; a failed commit raises in every member.
        """
        with self._queue_lock:
            self._queued += 1
        self._write_lock.acquire()
        with self._queue_lock:
            self._queued -= 1
        conn = self._writer.conn
        failure: BaseException | None = None
        try:
            if self._group is None:
                self._begin_immediate(conn)
                self._group = _Group()
            group = self._group
            conn.execute("SAVEPOINT write_one")
            try:
                yield self._writer
            except BaseException as exc:
                failure = exc
                conn.execute("ROLLBACK TO write_one")
            conn.execute("RELEASE write_one")
            group.members += 1
            with self._queue_lock:
                leave_open = self._queued > 0 and group.members < MAX_GROUP
            if not leave_open:
                self._group = None
                try:
                    conn.execute("COMMIT")
                except BaseException as exc:
                    group.error = exc
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                group.done.set()
        except BaseException:
            # The connection itself failed (BEGIN or SAVEPOINT): end the group, unblock its members.
            if self._group is not None:
                self._group.error = RuntimeError("the write transaction failed")
                self._group.done.set()
                self._group = None
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            self._write_lock.release()
            raise
        self._write_lock.release()
        group.done.wait()
        if failure is not None:
            raise failure
        if group.error is not None:
            raise group.error

    def _begin_immediate(self, conn: sqlite3.Connection) -> None:
        """``BEGIN IMMEDIATE``, retried with short jittered sleeps while another process writes."""
        deadline = time.monotonic() + self.timeout
        delay = 0.0005
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                message = str(exc)
                if ("locked" not in message and "busy" not in message) or (
                    time.monotonic() > deadline
                ):
                    raise
            time.sleep(delay * random.uniform(0.5, 1.5))
            delay = min(delay * 1.5, 0.004)

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
