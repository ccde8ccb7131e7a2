"""``nafitha relay --config server.toml --from SEQ``: publish the center's events again from SEQ.

A repair tool beside the relay thread of ``nafitha server`` (docs/national.md, "Relay"): after the
leaf's stream was lost or purged, or when the hub reports a gap, the events from SEQ to the newest
are published again from SQLite. Resends are harmless: the leaf drops those within its duplicate
window (the same ``Nats-Msg-Id``), the hub counts the rest as duplicates by seq and hash.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", type=Path, required=True, help="server settings TOML with a [national] table"
    )
    parser.add_argument("--db", type=Path, help="the database (default: from --config)")
    parser.add_argument(
        "--from", dest="first", type=int, default=1, help="first event seq to publish (1)"
    )


def run(args: argparse.Namespace) -> int:
    import asyncio

    import sqlite_utils

    from server.config import load_server_settings
    from server.relay import republish
    from server.store.database import connect

    settings = load_server_settings(args.config)
    if settings.national is None:
        print(f"nafitha relay: {args.config} has no [national] table", file=sys.stderr)
        return 2
    if args.first < 1:
        print("nafitha relay: --from must be 1 or more", file=sys.stderr)
        return 2
    path = args.db or settings.db
    if not Path(path).exists():
        print(f"nafitha relay: {path} does not exist", file=sys.stderr)
        return 2
    db = sqlite_utils.Database(connect(path))
    try:
        sent, duplicates = asyncio.run(republish(lambda: db, settings.national, args.first))
    except Exception as exc:
        print(f"nafitha relay: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    print(
        f"published {sent} events from seq {args.first} to {settings.national.leaf_url}"
        f" ({duplicates} already there, dropped by the leaf)"
    )
    return 0
