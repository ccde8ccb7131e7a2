"""``nafitha backup DEST``: a consistent copy of a (running) center's database.

Uses SQLite's online backup API through a fresh connection: it copies a consistent snapshot while
the server keeps serving (WAL readers never block the writer), then checks the copy's integrity.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dest", type=Path, help="the copy to write (must not exist)")
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


def run(args: argparse.Namespace) -> int:
    from server.config import load_server_settings

    source = args.db or load_server_settings(args.config).db
    try:
        tickets = backup(Path(source), args.dest)
    except (FileExistsError, FileNotFoundError, RuntimeError, sqlite3.Error) as exc:
        print(f"nafitha backup: {exc}", file=sys.stderr)
        return 1
    print(f"nafitha backup: {source} -> {args.dest} ({tickets} tickets)")
    return 0
