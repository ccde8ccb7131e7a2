"""One process per database for a background job: an exclusive lock file beside the database.

The relay, the SMS sender and the replica each run once per database, whatever the number of
server workers: the first process to take the lock runs the job; the others see it taken. The
lock ends with the process (the kernel drops it), so a killed server never leaves it held.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


def try_lock(path: Path | str, mode: int = 0o644) -> int | None:
    """The open, exclusively locked file's descriptor, or None when another process holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, mode)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd
