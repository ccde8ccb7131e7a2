"""``nafitha audit``: verify the log and the tables (docs/audit.md), sign the head, show the key.

- ``verify``: the hash chain, the signed heads (with the center's public key), the heads kept
  outside the database (the heads file, ``--head SEQ:HASH``), and the tickets and files tables
  against their replay from the events. Exit 0 when all hold, 1 when anything is wrong (each
  problem on one line, naming its event), 2 when the check cannot run.
- ``sign``: sign the current head now and append it to the heads file.
- ``public-key``: print the center's public key (what an auditor or the national hub pins).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path
from typing import Any

MAX_LINES = 50


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify", help="check the log's chain and signatures, and the tables against the log"
    )
    _common(verify)
    verify.add_argument(
        "--head",
        action="append",
        default=[],
        metavar="SEQ:HASH",
        help="a head recorded earlier (GET /api/v1/audit/heads); the log must still hold it",
    )
    verify.add_argument(
        "--heads", type=Path, help="signed heads file (default: audit_heads of the settings)"
    )
    verify.add_argument(
        "--public-key",
        type=Path,
        help="the center's public key file (default: chain-signing.pub in the key folder)",
    )
    _common(actions.add_parser("sign", help="sign the chain head now"))
    _common(actions.add_parser("public-key", help="print the center's public key"))


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, help="the database (default: from --config)")
    parser.add_argument("--config", type=Path, help="server settings TOML")
    parser.add_argument("--keys", type=Path, help="the key folder (default: audit_keys)")


def _settings(args: argparse.Namespace) -> Any:
    from server.config import load_server_settings

    return load_server_settings(args.config, {"db": args.db, "audit_keys": args.keys})


def run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.audit_action != "public-key" and not Path(settings.db).exists():
        print(f"nafitha audit: {settings.db} does not exist", file=sys.stderr)
        return 2
    if args.audit_action == "verify":
        return _verify(args, settings)
    from server.usecases.audit_keys import load_keys

    keys = load_keys(settings)
    if args.audit_action == "public-key":
        from nafitha.chain import public_key_text

        print(public_key_text(keys.public))
        print(f"key id {keys.key_id} ({keys.folder})", file=sys.stderr)
        return 0
    return _sign(settings, keys)


def _sign(settings: Any, keys: Any) -> int:
    from server.store.database import Database
    from server.usecases.audit_heads import sign_now
    from server.usecases.audit_keys import heads_file
    from server.usecases.context import Context

    ctx = Context(db=Database(settings.db, settings.busy_timeout_s), settings=settings, audit=keys)
    try:
        done = sign_now(ctx)
    finally:
        ctx.db.close()
    if done is None:
        print("nafitha audit: nothing new since the last signed head")
        return 0
    head = done[1]
    print(f"signed head {head.seq}:{head.hash} (key {head.key}), added to {heads_file(settings)}")
    return 0


def _external(args: argparse.Namespace, settings: Any) -> list[Any]:
    """The heads kept outside the database: ``--head`` values and the heads file's lines."""
    from nafitha.chain import Head, parse_head
    from server.usecases.audit_heads import read_heads_file
    from server.usecases.audit_keys import heads_file
    from server.usecases.audit_verify import ExternalHead

    found = [ExternalHead(f"--head {text}", parse_head(text)) for text in args.head]
    path = args.heads or heads_file(settings)
    if path.exists():
        for number, signed, line in read_heads_file(path):
            if signed is None:
                raise ValueError(f"{path}:{number}: not a signed head: {line[:80]}")
            head = Head(signed.seq, signed.hash)
            found.append(ExternalHead(f"{path}:{number}", head, signed))
    elif args.heads:
        raise ValueError(f"{path} does not exist")
    return found


def _verify(args: argparse.Namespace, settings: Any) -> int:
    import sqlite_utils

    from server.usecases.audit_keys import DIGEST_KEY, PUBLIC_KEY, keys_folder, read_public_key
    from server.usecases.audit_verify import verify

    folder = keys_folder(settings)
    key_path = args.public_key or folder / PUBLIC_KEY
    try:
        external = _external(args, settings)
        public_key = read_public_key(key_path) if key_path.exists() else None
    except (OSError, ValueError) as exc:
        print(f"nafitha audit: {exc}", file=sys.stderr)
        return 2
    if public_key is None and args.public_key:
        print(f"nafitha audit: {key_path} does not exist", file=sys.stderr)
        return 2
    try:
        digest_key: bytes | None = bytes.fromhex((folder / DIGEST_KEY).read_text().strip())
    except (OSError, ValueError):
        digest_key = None
    path = Path(settings.db)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        report = verify(sqlite_utils.Database(conn), public_key, external, digest_key)
    finally:
        conn.close()
    problems = sorted(report.problems, key=lambda p: (p.seq is None, p.seq or 0))
    for problem in problems[:MAX_LINES]:
        print(f"event {problem.seq}: {problem.text}" if problem.seq else problem.text)
    if len(problems) > MAX_LINES:
        print(f"... and {len(problems) - MAX_LINES} more")
    for note in report.notes:
        print(f"note: {note}")
    if public_key is not None:
        print(f"note: signatures checked with the public key in {key_path}")
    if problems:
        first = f"; earliest event concerned: {report.first_bad}" if report.first_bad else ""
        print(f"nafitha audit: FAILED: {len(problems)} problem(s) in {report.events} events of"
              f" {path}{first}")  # fmt: skip
        return 1
    print(f"nafitha audit: {report.events} events, chain intact, signatures valid, tables match"
          f" the log ({path})")  # fmt: skip
    return 0
