"""The server's periodic job for overdue complaints: one process per database runs it.

Started in the app's lifespan; every ``Center.complaints.check_s`` seconds it calls
:func:`server.usecases.complaints_overdue.run_overdue` with the context's clock (a simulated one
in tests). Several server workers share one database: the first to take the lock file beside it
(``<db>.complaints.lock``) runs the job, the others do nothing (``server/process_lock.py``).
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from server.process_lock import try_lock
from server.usecases.catalog import load_catalog
from server.usecases.complaints_overdue import run_overdue
from server.usecases.context import Context

log = logging.getLogger("nafitha.complaints")


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".complaints.lock")


class ComplaintsJob:
    """A daemon thread checking overdue complaints until :meth:`stop`."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._fd: int | None = None

    def start(self) -> bool:
        """Run the job here unless another process on this database already does."""
        self._fd = try_lock(lock_path(Path(self._ctx.db.path)))
        if self._fd is None:
            return False
        self._thread = threading.Thread(target=self._run, name="complaints-overdue", daemon=True)
        self._thread.start()
        return True

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                run_overdue(self._ctx)
            except Exception:
                if self._stop.is_set():
                    return
                log.exception("checking overdue complaints failed")
            self._stop.wait(load_catalog(self._ctx).center.complaints.check_s)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
