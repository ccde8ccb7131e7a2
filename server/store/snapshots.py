"""Dated copies of the database, and their rotation: the daily backup and the pre-upgrade copy.

A copy is named ``<stem>-<UTC time>.db`` (``nafitha-20261129T033000Z.db``), so its age is read
from its name, not from the file's time (which a copy to a USB disk or a restore would change).
Only files matching that pattern are ever deleted: nothing else in the folder is touched.
"""

from __future__ import annotations

import calendar
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from server.store.database import Database

_STAMP = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class Snapshot:
    path: Path
    at: float  # Unix seconds, from the name


def snapshot_path(folder: Path, stem: str, at: float) -> Path:
    """``folder/<stem>-<UTC time>.db``; a second copy in the same second gets ``-2``, ``-3``..."""
    base = f"{stem}-{time.strftime(_STAMP, time.gmtime(at))}"
    path = folder / f"{base}.db"
    n = 2
    while path.exists():
        path = folder / f"{base}-{n}.db"
        n += 1
    return path


def snapshots(folder: Path, stem: str) -> list[Snapshot]:
    """The copies named for ``stem`` in ``folder``, oldest first."""
    pattern = re.compile(rf"^{re.escape(stem)}-(\d{{8}}T\d{{6}}Z)(?:-\d+)?\.db$")
    found = []
    for path in folder.iterdir() if folder.is_dir() else ():
        match = pattern.match(path.name)
        if match:
            stamp = time.strptime(match.group(1), _STAMP)
            found.append(Snapshot(path, float(calendar.timegm(stamp))))
    return sorted(found, key=lambda s: (s.at, s.path.name))


def take_snapshot(db: Database, folder: Path, stem: str, at: float) -> Path:
    """A consistent copy of ``db`` (SQLite's online backup) at ``folder/<stem>-<time>.db``.

    The copy is written under a temporary name and renamed once complete, so a power cut never
    leaves a half copy that looks like a backup; it is readable by its owner and group only.
    """
    folder.mkdir(parents=True, exist_ok=True)
    dest = snapshot_path(folder, stem, at)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    db.backup_to(partial)
    os.chmod(partial, 0o640)
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, dest)
    return dest


def rotate(
    folder: Path, stem: str, now: float, keep_days: float | None = None, keep: int | None = None
) -> list[Path]:
    """Delete ``stem`` copies older than ``keep_days`` and beyond the newest ``keep``.

    The newest copy always stays, however old (a box off for a month still has its last backup).
    Returns the deleted paths.
    """
    found = snapshots(folder, stem)
    doomed: list[Snapshot] = []
    for index, snap in enumerate(found[:-1]):  # never the newest
        too_old = keep_days is not None and now - snap.at > keep_days * 86400
        too_many = keep is not None and len(found) - index > keep
        if too_old or too_many:
            doomed.append(snap)
    for snap in doomed:
        snap.path.unlink(missing_ok=True)
    return [s.path for s in doomed]
