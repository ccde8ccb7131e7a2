"""``nafitha audit verify``: check the event log's hash chain (edited or deleted events)."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    verify = actions.add_parser("verify", help="check that no event was edited or deleted")
    verify.add_argument("--db", type=Path, help="the database (default: from --config)")
    verify.add_argument("--config", type=Path, help="server settings TOML")


def run(args: argparse.Namespace) -> int:
    import sqlite_utils

    from server.config import load_server_settings
    from server.store.events import verify_chain

    path = Path(args.db or load_server_settings(args.config).db)
    if not path.exists():
        print(f"nafitha audit: {path} does not exist", file=sys.stderr)
        return 2
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        count, problems = verify_chain(sqlite_utils.Database(conn))
    finally:
        conn.close()
    for problem in problems:
        print(f"event {problem.event_id}: {problem.reason}")
    if problems:
        print(f"nafitha audit: {len(problems)} problem(s) in {count} events of {path}")
        return 1
    print(f"nafitha audit: {count} events, chain intact ({path})")
    return 0
