"""Storage faults: which SQLite errors mean the disk or the file fails, and the check at start.

A fault of the storage (read-only file or folder, disk full, I/O error, damaged file) is not the
request's fault: the API answers it 503 ``storage_unavailable``, health reports it, and the server
refuses to start on it with one line rather than serve errors behind an "ok".
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

# SQLite's primary result codes that mean the storage itself fails, not the request: read-only
# file or folder, I/O error, damaged file, disk full, cannot open, not a database.
STORAGE_CODES = {8: "read-only", 10: "I/O error", 11: "damaged", 13: "disk full", 14: "cannot open",
                 26: "not a database"}  # fmt: skip


def storage_fault(exc: BaseException) -> str | None:
    """What is wrong with the storage when ``exc`` says so (``read-only``...), else None."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(exc, sqlite3.Error) and code is not None:
        return STORAGE_CODES.get(code & 0xFF)
    return None


def check_storage(path: Path | str, timeout: float = 10.0) -> str | None:
    """Why the database at ``path`` cannot serve (one line), or None when it can.

    Run once at start: a server that starts on a read-only or damaged file answers every write
    with an error while its health says ok. Checks that the folder and the file can be written
    (a write statement, rolled back, so nothing changes), and ``PRAGMA quick_check``.
    """
    path = Path(path)
    if path.is_dir():
        return "is a folder, not a database file"
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        return None  # the server creates it (Database.__init__)
    if not os.access(folder, os.W_OK | os.X_OK):
        return "its folder cannot be written (SQLite needs to create its -wal and -shm files there)"
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        return f"cannot open ({exc})"
    try:
        problems = [r[0] for r in conn.execute("PRAGMA quick_check(3)").fetchall()]
        if problems != ["ok"]:
            # SQLite's own report may span lines ("*** in database main ***\nPage 36: ..."):
            # the start refusal is one line an operator can read in a journal
            return "damaged: " + "; ".join(" ".join(str(p).split()) for p in problems)
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("CREATE TABLE nafitha_write_probe (x)")
        finally:
            conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        fault = storage_fault(exc)
        return f"{fault or 'unusable'} ({exc})"
    finally:
        conn.close()
    return None
