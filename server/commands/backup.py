"""``nafitha backup DEST``: a consistent copy of a (running) center's database.

Uses SQLite's online backup API through a fresh connection: it copies a consistent snapshot while
the server keeps serving (WAL readers never block the writer), then checks the copy's integrity.
``--into DIR --keep-days N`` is the daily form (the ``nafitha-backup`` timer that ``nafitha
install`` writes): a dated copy in ``DIR``, and the copies older than N days deleted
(``server/store/snapshots.py``).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dest", type=Path, nargs="?", help="the copy to write (must not exist)")
    parser.add_argument(
        "--into", type=Path, help="write a dated copy (nafitha-<UTC time>.db) into this folder"
    )
    parser.add_argument(
        "--keep-days",
        type=float,
        help="with --into: delete dated copies older than this (the newest always stays)",
    )
    parser.add_argument("--db", type=Path, help="the database (default: from --config)")
    parser.add_argument("--config", type=Path, help="server settings TOML")


def backup(source: Path, dest: Path) -> int:
    """Copy ``source`` to ``dest``; the number of tickets in the copy."""
    from server.store.database import Database

    if dest.exists():
        raise FileExistsError(f"{dest} exists already")
    if not source.exists():
        raise FileNotFoundError(f"{source} does not exist")
    db = Database(source)
    try:
        db.backup_to(dest)
    finally:
        db.close()
    copy = sqlite3.connect(dest)
    try:
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise RuntimeError(f"{dest}: the copy failed its integrity check")
        return copy.execute("SELECT count(*) FROM tickets").fetchone()[0]
    finally:
        copy.close()


def backup_into(source: Path, folder: Path, keep_days: float | None) -> tuple[Path, int, int]:
    """A dated copy of ``source`` in ``folder``, then rotation: (copy, tickets, copies deleted)."""
    import time

    from server.store.snapshots import rotate, snapshot_path

    now = time.time()
    folder.mkdir(parents=True, exist_ok=True)
    dest = snapshot_path(folder, "nafitha", now)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    tickets = backup(source, partial)
    partial.chmod(0o640)
    partial.replace(dest)  # complete copies only ever carry the dated name
    deleted = rotate(folder, "nafitha", now, keep_days=keep_days) if keep_days else []
    return dest, tickets, len(deleted)


def run(args: argparse.Namespace) -> int:
    from server.config import load_server_settings

    if (args.dest is None) == (args.into is None):
        print("nafitha backup: give either DEST or --into FOLDER", file=sys.stderr)
        return 2
    source = args.db or load_server_settings(args.config).db
    try:
        if args.into is not None:
            dest, tickets, deleted = backup_into(Path(source), args.into, args.keep_days)
            print(f"nafitha backup: {source} -> {dest} ({tickets} tickets; {deleted} old removed)")
            return 0
        tickets = backup(Path(source), args.dest)
    except (OSError, RuntimeError, sqlite3.Error) as exc:
        print(f"nafitha backup: {exc}", file=sys.stderr)
        return 1
    print(f"nafitha backup: {source} -> {args.dest} ({tickets} tickets)")
    return 0
