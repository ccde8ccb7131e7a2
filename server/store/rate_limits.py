"""Rate-limit buckets every worker process shares, in a small SQLite file beside the database.

An in-memory table per process would multiply the limit by the number of workers. These rows are
not precious: the file runs with ``synchronous=OFF`` (a power cut only forgets who looked up
lately) and is kept apart from the center's database, so no lookup costs a durable commit there.
Each check is one short ``BEGIN IMMEDIATE`` transaction, atomic across processes. The table stays
bounded: past ``max_keys`` rows, buckets that have refilled (clients gone quiet) are dropped, then
the oldest.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from nafitha.rate_limit import take_token

_CREATE = threading.Lock()

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS buckets (key TEXT PRIMARY KEY, tokens REAL NOT NULL,"
    " updated REAL NOT NULL, per_minute REAL NOT NULL, burst REAL NOT NULL) WITHOUT ROWID"
)


def shared_buckets(cache: dict[str, Any], db: Path) -> SharedBuckets:
    """The process's one :class:`SharedBuckets` for database ``db``, kept in ``cache``."""
    buckets = cache.get("rate_limits")
    if buckets is None:
        with _CREATE:
            buckets = cache.get("rate_limits")
            if buckets is None:
                buckets = cache["rate_limits"] = SharedBuckets(limits_path(db))
    return buckets


def limits_path(db: Path) -> Path:
    """The buckets' file for the database ``db`` (``nafitha.db`` → ``nafitha-rate-limits.db``)."""
    return db.with_name(f"{db.stem}-rate-limits.db")


class SharedBuckets:
    def __init__(self, path: Path, max_keys: int = 10_000, timeout: float = 5.0) -> None:
        self.path = path
        self.max_keys = max_keys
        self.timeout = timeout
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
            )
            with self._lock:  # this process's threads set the file up one at a time
                self._set_up(conn)
                self._all.append(conn)
            self._local.conn = conn
        return conn

    def _set_up(self, conn: sqlite3.Connection) -> None:
        """WAL, no fsync, the table. Turning a new file to WAL answers "database is locked" at
        once, without waiting, while another connection (another worker process, or a thread
        of this one) is doing the same: the first requests of a new server came at once and one
        got a 500. So those are retried until ``timeout``."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=OFF")
                conn.execute(SCHEMA)
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def allow(self, key: str, now: float, per_minute: float, burst: float) -> int:
        """0 when ``key`` may go ahead now (a token is taken), else the whole seconds to wait."""
        return self.allow_all([(key, per_minute, burst)], now)

    def allow_all(self, limits: list[tuple[str, float, float]], now: float) -> int:
        """A token from every bucket of ``limits`` (key, per_minute, burst), or from none.

        0 when all had one (all are taken, in one transaction: concurrent callers cannot all
        pass a check made before any of them counted), else the longest wait in seconds.
        """
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            taken = []
            longest = 0
            for key, per_minute, burst in limits:
                row = conn.execute(
                    "SELECT tokens, updated FROM buckets WHERE key = ?", [key]
                ).fetchone()
                tokens, wait = take_token(
                    row[0] if row else None, row[1] if row else now, now, per_minute, burst
                )
                longest = max(longest, wait)
                taken.append((key, tokens, now, per_minute, burst, row is None))
            if longest == 0:
                for key, tokens, at, per_minute, burst, _new in taken:
                    conn.execute(
                        "INSERT OR REPLACE INTO buckets (key, tokens, updated, per_minute, burst)"
                        " VALUES (?, ?, ?, ?, ?)",
                        [key, tokens, at, per_minute, burst],
                    )
                if any(new for *_, new in taken):
                    self._keep_bounded(conn, now)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return longest

    def give_back(self, key: str) -> None:
        """Return the token ``key`` gave (an attempt that turned out well), up to its burst."""
        conn = self._conn()
        conn.execute("UPDATE buckets SET tokens = min(burst, tokens + 1) WHERE key = ?", [key])

    def forget(self, key: str) -> None:
        """Drop the bucket ``key``: its next use starts full."""
        self._conn().execute("DELETE FROM buckets WHERE key = ?", [key])

    def _keep_bounded(self, conn: sqlite3.Connection, now: float) -> None:
        count = conn.execute("SELECT count(*) FROM buckets").fetchone()[0]
        if count <= self.max_keys:
            return
        conn.execute(
            "DELETE FROM buckets WHERE tokens + (? - updated) * per_minute / 60.0 >= burst", [now]
        )
        extra = conn.execute("SELECT count(*) FROM buckets").fetchone()[0] - self.max_keys
        if extra > 0:
            conn.execute(
                "DELETE FROM buckets WHERE key IN"
                " (SELECT key FROM buckets ORDER BY updated LIMIT ?)",
                [extra],
            )

    def __len__(self) -> int:
        return self._conn().execute("SELECT count(*) FROM buckets").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
