"""``nafitha restore --from REPLICA --data DIR``: rebuild a center from its off-site replica.

The database comes back from the replica (Litestream, the latest state or ``--timestamp``); the
audit's key folder comes from where it was kept apart (``--keys``: it is never in the replica,
docs/audit.md); the signed heads kept outside the database are rebuilt: those of ``--heads`` (a
copy kept elsewhere) that the restored log holds, else the log's own signed heads. A head of
``--heads`` past the restored end marks what the replica had not received: it is set aside in
``chain-heads.lost.jsonl`` and reported, never silently dropped. Today's numbering is then
moved on by ``--skip`` numbers per ticket letter (50; a ``numbering_skipped`` event each), since
tickets printed just before the loss may not be in the replica and their numbers must not be
given again (server/usecases/restore_numbering.py). Afterwards ``nafitha audit verify`` passes
and the server starts.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nafitha.text import t

# Numbers of each ticket letter skipped after a restore (``--skip``): more than a busy center
# prints in the replica's recovery point of about a second.
DEFAULT_SKIP = 50

DB_NAME = "nafitha.db"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from",
        dest="source",
        metavar="REPLICA",
        help="the replica's URL (default: [replica] url of --config)",
    )
    parser.add_argument("--data", type=Path, required=True, help="a new, empty data folder")
    parser.add_argument(
        "--timestamp", metavar="ISO", help="restore the state at this time (default: the latest)"
    )
    parser.add_argument(
        "--keys", type=Path, help="the audit key folder, from where it was kept apart"
    )
    parser.add_argument(
        "--without-keys",
        action="store_true",
        help="restore without the key folder (the server makes new keys; verify needs the old"
        " public key)",
    )
    parser.add_argument("--heads", type=Path, help="a copy of the signed heads file kept elsewhere")
    parser.add_argument(
        "--skip",
        type=int,
        default=DEFAULT_SKIP,
        metavar="N",
        help="move today's numbering of each ticket letter on by N (tickets printed just before"
        " the loss may be missing from the replica; 0: do not)",
    )
    parser.add_argument(
        "--config", type=Path, help="server settings TOML: the replica's URL and credentials"
    )
    parser.add_argument("--lang", default="en", choices=("ar", "en"), help="language of the output")


def _timestamp(text: str) -> str:
    """An ISO time (a zone, or UTC) as Litestream's RFC 3339 UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _copy_keys(source: Path, dest: Path) -> None:
    """The key folder as the server wants it: folder 0700, private keys 0600."""
    dest.mkdir(mode=0o700, parents=True, exist_ok=True)
    for path in sorted(source.iterdir()):
        if path.is_file():
            target = dest / path.name
            shutil.copyfile(path, target)
            target.chmod(0o644 if path.suffix == ".pub" else 0o600)


def _heads(db: Path, target: Path, keys: Any, heads: Path | None) -> tuple[int, int]:
    """Write the heads file ``target``: (heads kept, heads past the restored end)."""
    from nafitha.chain import verify_head
    from server.store.database import Database
    from server.store.events import signed_heads
    from server.usecases.audit_heads import export_heads, read_heads_file

    database = Database(db)
    try:
        reader = database.read()
        if heads is None:
            found = [h for _, h in signed_heads(reader) if h is not None]
            kept = [h for h in found if verify_head(keys.public, h)] if keys else found
            export_heads(target, kept)
            return len(kept), 0
        kept, lost = [], []
        for number, head, line in read_heads_file(heads):
            if head is None:
                raise ValueError(f"{heads}:{number}: not a signed head: {line[:80]}")
            row = reader.execute("SELECT hash FROM events WHERE id = ?", [head.seq]).fetchone()
            if row is None:
                lost.append(line)
            elif row[0] != head.hash:
                raise ValueError(
                    f"{heads}:{number}: event {head.seq} has another hash in the replica: "
                    "the replica or the heads file was altered"
                )
            else:
                kept.append(head)
        export_heads(target, kept)
        if lost:
            lost_file = target.with_name("chain-heads.lost.jsonl")
            lost_file.write_text("\n".join(lost) + "\n", encoding="utf-8")
        return len(kept), len(lost)
    finally:
        database.close()


def _skip_numbers(db: Path, settings: Any, keys: Any, skip: int) -> list[dict[str, Any]]:
    """Today's numbering moved on by ``skip`` per letter, as events in the restored chain."""
    from server.store.database import Database
    from server.usecases.context import Context
    from server.usecases.restore_numbering import skip_after_restore

    database = Database(db, timeout=settings.busy_timeout_s, checkpoints=True)
    try:
        return skip_after_restore(Context(db=database, settings=settings, audit=keys), skip)
    finally:
        database.close()


def _summary(db: Path) -> dict[str, Any]:
    conn = sqlite3.connect(db)
    try:
        events, last_at = conn.execute("SELECT max(id), max(at) FROM events").fetchone()
        tickets = conn.execute("SELECT count(*) FROM tickets").fetchone()[0]
        last = conn.execute("SELECT number, day FROM tickets ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        conn.close()
    return {
        "events": events or 0,
        "last_at": datetime.fromtimestamp(last_at, UTC).isoformat() if last_at else "-",
        "tickets": tickets,
        "last_ticket": f"{last[0]} ({last[1]})" if last else "-",
    }


def run(args: argparse.Namespace) -> int:
    from server.config import ServerSettings, load_server_settings
    from server.replica import litestream
    from server.usecases.audit_keys import heads_file, keys_folder, load_keys

    lang = args.lang
    settings = load_server_settings(args.config) if args.config else None
    replica = settings.replica if settings is not None else None
    source = args.source or (replica.url if replica is not None else None)
    if not source:
        print(t("replica.restore_no_source", lang), file=sys.stderr)
        return 2
    data: Path = args.data.resolve()
    if data.exists() and any(data.iterdir()):
        print(t("replica.restore_not_empty", lang, folder=data), file=sys.stderr)
        return 2
    if args.keys is None and not args.without_keys:
        print(t("replica.restore_no_keys", lang), file=sys.stderr)
        return 2
    if args.keys is not None and not (args.keys / "chain-signing.key").is_file():
        print(t("replica.restore_bad_keys", lang, folder=args.keys), file=sys.stderr)
        return 2
    try:
        timestamp = _timestamp(args.timestamp) if args.timestamp else None
    except ValueError:
        print(t("replica.restore_bad_time", lang, time=args.timestamp), file=sys.stderr)
        return 2
    data.mkdir(parents=True, exist_ok=True)
    # The settings' own file name and key/heads paths when they point into this folder.
    same = settings is not None and settings.db.parent.resolve() == data
    db = data / (settings.db.name if same and settings is not None else DB_NAME)
    target = (
        settings.model_copy(update={"db": db}) if same and settings is not None else None
    ) or ServerSettings(db=db)
    try:
        litestream.restore(source, db, timestamp, replica)
    except litestream.LitestreamMissing as exc:
        print(f"nafitha restore: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or exc.stdout or "").strip().splitlines()[-1:]
        print(
            t(
                "replica.restore_failed",
                lang,
                url=litestream.redact(source),
                detail=" ".join(detail),
            ),
            file=sys.stderr,
        )
        return 1
    keys = None
    if args.keys is not None:
        _copy_keys(args.keys, keys_folder(target))
        keys = load_keys(target)  # refuses a key file others may read
    try:
        kept, lost = _heads(db, heads_file(target), keys, args.heads)
    except (OSError, ValueError) as exc:
        print(f"nafitha restore: {exc}", file=sys.stderr)
        return 1
    try:
        moved = _skip_numbers(db, target, keys, args.skip)
    except (OSError, sqlite3.Error) as exc:
        print(f"nafitha restore: {exc}", file=sys.stderr)
        return 1
    print(t("replica.restore_done", lang, url=litestream.redact(source), db=db, **_summary(db)))
    if moved:
        letters = ", ".join(f"{m['prefix']} {m['from']}→{m['to']}" for m in moved)
        print(t("replica.restore_skipped", lang, skip=args.skip, day=moved[0]["day"],
                letters=letters))  # fmt: skip
    print(t("replica.restore_heads", lang, kept=kept))
    if lost:
        print(
            t(
                "replica.restore_heads_lost",
                lang,
                lost=lost,
                file=heads_file(target).with_name("chain-heads.lost.jsonl"),
            )
        )
    if keys is None:
        print(t("replica.restore_keys_missing", lang))
    print(t("replica.restore_next", lang, data=data, db=db))
    return 0
