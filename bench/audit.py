"""How long ``nafitha audit verify`` takes, and what one signature of the chain head costs.

Builds a center's log through the real use cases (issue, call, start, finish per ticket; a file
opened and moved for every tenth ticket), then times each check of
:func:`server.usecases.audit_verify.verify` and one :func:`sign_now`. The reference printed beside
them is the machine's own floor for the same log: one SQL pass reading every event, and SHA-256
over the same bytes.

    .venv/bin/python bench/audit.py --tickets 5000
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlite_utils  # noqa: E402

from nafitha.demo import seed_demo  # noqa: E402
from server.app import open_context  # noqa: E402
from server.config import ServerSettings  # noqa: E402
from server.domain.files import Citizen  # noqa: E402
from server.usecases import audit_verify, calling, files, ticket_actions, tickets  # noqa: E402
from server.usecases.audit_heads import sign_now  # noqa: E402
from server.usecases.context import Actor  # noqa: E402


def build(folder: Path, count: int) -> tuple[Path, object]:
    """A database with ``count`` tickets served, written in one transaction (fast to build)."""
    db = folder / "nafitha.db"
    seed_demo(db)
    now = [1795420800.0]

    def clock() -> float:
        now[0] += 0.5
        return now[0]

    ctx = open_context(ServerSettings(db=db, ignore_hours=True), clock=clock)
    kiosk = Actor("device", "demo-kiosk-1", "kiosk")
    clerk = Actor("person", "clerk1", "clerk", "c1")
    with ctx.db.write():
        for number in range(count):
            tickets.issue_ticket(ctx, kiosk, "civil-extract")
            row = calling.call_next(ctx, clerk, "c1")
            assert row is not None
            ticket_actions.ticket_action(ctx, clerk, row["id"], "start")
            ticket_actions.ticket_action(ctx, clerk, row["id"], "finish")
            if number % 10 == 0:
                opened = files.open_file(ctx, clerk, "civil-extract", Citizen("N", None, None), [0])
                files.move_file(ctx, clerk, opened["reference"], "document-check")
    keys = ctx.audit
    ctx.db.close()
    return db, keys


def timed(label: str, fn, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args)
    print(f"  {label:<34} {time.perf_counter() - start:8.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db, keys = build(Path(folder), args.tickets)
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        sdb = sqlite_utils.Database(conn)
        events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        print(f"{args.tickets} tickets, {events} events, {db.stat().st_size / 1e6:.1f} MB")
        print("verify, by check:")
        timed("hash chain", audit_verify.store.verify_chain, sdb)
        report = audit_verify.Report()
        timed("tickets replayed and compared", audit_verify._check_tickets, sdb, report)
        timed("files and history", audit_verify._check_files, sdb, keys.digest, report)
        start = time.perf_counter()
        whole = audit_verify.verify(sdb, keys.public, [], keys.digest)
        total = time.perf_counter() - start
        print(f"  {'all of verify':<34} {total:8.2f} s  ({events / total:,.0f} events/s,"
              f" {len(whole.problems)} problems)")  # fmt: skip
        print("reference (the machine's floor for the same log):")
        start = time.perf_counter()
        blob = hashlib.sha256()
        for row in conn.execute("SELECT * FROM events"):
            blob.update(repr(row).encode())
        floor = time.perf_counter() - start
        print(f"  {'one SQL pass + SHA-256 of rows':<34} {floor:8.2f} s  ({events / floor:,.0f}"
              " events/s)")  # fmt: skip
        conn.close()
        ctx = open_context(ServerSettings(db=db, ignore_hours=True))
        tickets.issue_ticket(ctx, Actor("device", "demo-kiosk-1", "kiosk"), "civil-extract")  # new
        start = time.perf_counter()
        signed = sign_now(ctx)
        took = 1000 * (time.perf_counter() - start)
        head = signed[1].seq if signed else "?"
        print(f"one signature (head, sign, chain_signed event, heads file): {took:.1f} ms ({head})")
        ctx.db.close()


if __name__ == "__main__":
    main()
