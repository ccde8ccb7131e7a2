"""All SQLite access goes through one :class:`Database`: durable pragmas, one writer path, readers.

Writes: one writer thread per process owns the writer connection. It opens ``BEGIN IMMEDIATE``
(the file's write lock is taken before anything is read, so several server processes on one file
queue on SQLite's lock and numbering/claiming stays atomic across processes), runs every write
queued at that moment in its own savepoint, and commits them together (group commit: a burst costs
one fsync). A write reaches it two ways:

- :meth:`Database.run` (async): the whole use case runs on the writer thread. Hot endpoints use it:
  one hop from the event loop, no threadpool, no lock hand-over between threads.
- :meth:`Database.write` (sync, any thread): the writer lends the connection to the calling thread
  for the body of the ``with`` block, then goes on with the batch.

Either way the caller sees the answer only after the commit that holds its write.

Durability: WAL with ``synchronous=FULL`` fsyncs the WAL on every commit, so a ticket the server
acknowledged survives a power cut (``NORMAL`` would only survive a process crash).

Reads: :meth:`Database.read` hands each thread its own connection (WAL lets readers run while one
writer writes).

Checkpoints: SQLite's own (PASSIVE, after a commit leaves 1000 pages in the WAL) unless
``checkpoints=False``: with an off-site replica, Litestream owns checkpointing (it must read every
WAL frame before the WAL restarts) and our connections leave it alone (docs/operations.md). No
connection here ever runs ``wal_checkpoint(RESTART/TRUNCATE)``. Waiting for a write lock is the
other half of that cooperation: Litestream briefly holds the write lock around its checkpoints,
and the writer waits for it (``begin_immediate``) as for any other process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from server.store.faults import storage_fault

log = logging.getLogger("nafitha.store")

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
)

T = TypeVar("T")


def connect(
    path: Path | str, timeout: float = 10.0, checkpoints: bool = True
) -> sqlite3.Connection:
    """A connection with the project's pragmas, in autocommit mode (transactions are explicit).

    ``checkpoints=False`` turns SQLite's automatic checkpoints off on this connection (another
    process, Litestream, checkpoints the file).
    """
    conn = sqlite3.connect(
        str(path), timeout=timeout, check_same_thread=False, isolation_level=None
    )
    conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
    for pragma in PRAGMAS:
        conn.execute(pragma)
    if not checkpoints:
        conn.execute("PRAGMA wal_autocheckpoint=0")
    return conn


MAX_GROUP = 64


class _Batch:
    """One write transaction: its members learn its fate (``error``) once ``done`` is set."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.error: BaseException | None = None
        self.after: list[Callable[[], None]] = []


class _Call:
    """A use case to run on the writer thread; its answer goes to an asyncio future."""

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]):
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.loop = asyncio.get_running_loop()
        self.future: asyncio.Future[Any] = self.loop.create_future()
        self.result: Any = None
        self.error: BaseException | None = None


class _Lend:
    """A thread waiting to use the writer connection for the body of its ``with`` block."""

    def __init__(self) -> None:
        self.thread = threading.get_ident()
        self.go = threading.Event()
        self.back = threading.Event()
        self.batch: _Batch | None = None
        self.error: BaseException | None = None


def _settle(outcomes: list[tuple[asyncio.Future[Any], Any, BaseException | None]]) -> None:
    for future, result, error in outcomes:
        if future.done():  # the awaiting request went away; its write stands
            continue
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)


class Database:
    """One SQLite file: a writer thread with its connection, and a connection per reading thread."""

    def __init__(self, path: Path | str, timeout: float = 10.0, checkpoints: bool = True) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.timeout = timeout
        self.checkpoints = checkpoints
        writer = connect(self.path, timeout, checkpoints)
        # The writer waits for other processes' write locks in begin_immediate(), polling every
        # millisecond or so, rather than in SQLite's busy handler whose sleeps grow to 100 ms.
        writer.execute("PRAGMA busy_timeout=0")
        self._writer = sqlite_utils.Database(writer)
        self._jobs: queue.SimpleQueue[_Call | _Lend | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._closed = False
        # While a batch is open: the thread allowed to write in it (the writer, or a borrower).
        self._owner: int | None = None
        self._batch: _Batch | None = None
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        # The last storage fault a write met (``storage_fault``), None once a commit succeeds.
        self.storage_error: str | None = None
        self._wrote = False

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` on the writer thread in one savepoint; its answer once durable.

        ``fn`` is a sync use case: its own ``with db.write()`` blocks become nested savepoints, and
        if it raises, everything it wrote is rolled back and the exception is raised here.
        """
        call = _Call(fn, args, kwargs)
        self._submit(call)
        return await call.future

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """One write transaction: all or nothing, and durable once the ``with`` block has exited.

        A body that raises rolls back only its own savepoint; a failed commit raises in every
        member of the batch.
        """
        if self._owner == threading.get_ident():  # already inside a batch (nested, or in run())
            with self._savepoint() as tx:
                yield tx
            return
        lend = _Lend()
        self._submit(lend)
        lend.go.wait()
        if lend.error is not None:
            raise lend.error
        batch = lend.batch
        assert batch is not None
        try:
            with self._savepoint() as tx:
                yield tx
        finally:
            self._owner = None  # before ``back``: a next write() of this thread must queue again
            lend.back.set()
        batch.done.wait()
        if batch.error is not None:
            raise batch.error

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once what this thread is writing is committed (now, if nothing is).

        Deferred callbacks run on the writer thread: they must be quick and must not write (a
        waking call such as ``loop.call_soon_threadsafe`` is what they are for).
        """
        if self._owner == threading.get_ident() and self._batch is not None:
            self._batch.after.append(callback)
        else:
            callback()

    @contextmanager
    def _savepoint(self) -> Iterator[sqlite_utils.Database]:
        conn = self._writer.conn
        conn.execute("SAVEPOINT write_one")
        try:
            yield self._writer
        except BaseException as exc:
            self._note_fault(exc)
            conn.execute("ROLLBACK TO write_one")
            conn.execute("RELEASE write_one")
            raise
        conn.execute("RELEASE write_one")
        self._wrote = True

    def _note_fault(self, exc: BaseException) -> None:
        """Remember a storage fault (read-only, disk full...) until a commit succeeds again."""
        fault = storage_fault(exc)
        if fault is not None:
            if self.storage_error is None:
                log.error("the database %s cannot be written: %s (%s)", self.path, fault, exc)
            self.storage_error = fault

    def _submit(self, job: _Call | _Lend) -> None:
        if self._closed:
            raise sqlite3.ProgrammingError("the database is closed")
        if self._thread is None:
            with self._start_lock:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._serve, name="nafitha-writer", daemon=True
                    )
                    self._thread.start()
        self._jobs.put(job)

    def _serve(self) -> None:
        """The writer thread: take what is queued, run it in one transaction, commit, answer."""
        me = threading.get_ident()
        conn = self._writer.conn
        while True:
            first = self._jobs.get()
            if first is None:
                return
            jobs = [first]
            batch = _Batch()
            stop = False
            try:
                self._begin_immediate(conn)
            except BaseException as exc:
                batch.error = exc
                self._note_fault(exc)
                self._finish(jobs, batch)
                continue
            self._batch = batch
            self._wrote = False
            try:
                index = 0
                while index < len(jobs):
                    self._run_one(jobs[index], batch, me)
                    index += 1
                    if index == len(jobs) and len(jobs) < MAX_GROUP:
                        try:
                            more = self._jobs.get_nowait()
                        except queue.Empty:
                            break
                        if more is None:
                            stop = True
                            break
                        jobs.append(more)
                self._owner = None
                conn.execute("COMMIT")
                if self._wrote:  # a batch whose every write failed proves nothing
                    self.storage_error = None
            except BaseException as exc:
                # The connection itself failed (SAVEPOINT, COMMIT...): nothing of the batch stands.
                batch.error = exc
                self._note_fault(exc)
                if conn.in_transaction:
                    # a failing ROLLBACK must not end the writer thread (later writes would wait)
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
            self._owner = None
            self._batch = None
            self._finish(jobs, batch)
            if stop:
                return

    def _run_one(self, job: _Call | _Lend, batch: _Batch, me: int) -> None:
        if isinstance(job, _Lend):
            job.batch = batch
            self._owner = job.thread
            job.go.set()
            job.back.wait()
            self._owner = me
            return
        if job.future.cancelled():
            return
        self._owner = me
        try:
            with self._savepoint():
                job.result = job.fn(*job.args, **job.kwargs)
        except Exception as exc:
            job.error = exc

    def _finish(self, jobs: list[_Call | _Lend], batch: _Batch) -> None:
        """Wake everyone the batch concerns: after-commit callbacks first, then the callers."""
        batch.done.set()
        if batch.error is None:
            for callback in batch.after:
                try:
                    callback()
                except Exception:
                    log.exception("after-commit callback failed")
        by_loop: dict[asyncio.AbstractEventLoop, list[Any]] = {}
        for job in jobs:
            if isinstance(job, _Lend):
                if not job.go.is_set():  # BEGIN failed before this thread got the connection
                    job.error = batch.error
                    job.go.set()
                continue
            error = job.error or batch.error
            by_loop.setdefault(job.loop, []).append((job.future, job.result, error))
        for loop, outcomes in by_loop.items():
            with contextlib.suppress(RuntimeError):  # that loop is closed: nobody waits any more
                loop.call_soon_threadsafe(_settle, outcomes)

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
            conn = connect(self.path, self.timeout, self.checkpoints)
            with self._readers_lock:
                self._readers.append(conn)
            db = sqlite_utils.Database(conn)
            self._local.db = db
        return db

    def ping(self) -> None:
        """Read once through this thread's connection: raises if the database cannot answer."""
        self.read().execute("SELECT 1").fetchone()

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
        with self._start_lock:
            self._closed = True
            thread = self._thread
        if thread is not None:
            self._jobs.put(None)
            if thread is not threading.current_thread():
                thread.join()
        with self._readers_lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()
        self._writer.conn.close()
