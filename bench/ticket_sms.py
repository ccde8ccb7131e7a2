"""What the text-message hooks cost the calling path: call next (and finish) with and without them.

    .venv/bin/python bench/ticket_sms.py [--waiting 1000] [--calls 200]

In process, on a real SQLite file (the demo catalog, WAL, durable commits), the use case the
counter's key calls (``calling.call_next``) and the finish after it, timed one by one, over
``--waiting`` tickets spread over the load services (eight prefixes). Scenarios, each on a fresh
copy of the same database: the server without ``[sms]`` (the hooks return at once); with
``[sms]`` and nobody opted in (one indexed read per call); with 20 % and 100 % of the waiting
tickets opted in (each not yet told is placed by ``estimates.quote_waiting``, the kiosk's and the
phone page's own figure). Messages are only queued (the sender is not started): the cost measured
is the one the clerk waits for.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nafitha.demo import seed_demo
from nafitha.harness.server import load_service
from server.app import open_context
from server.config import ServerSettings
from server.store import outbox, ticket_phones
from server.usecases import calling, ticket_actions, tickets
from server.usecases.context import Actor

KIOSK = Actor("device", "demo-kiosk-1", "kiosk")
COUNTERS = ("c1", "c2", "c4", "c6")  # the demo counters serving the load services


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(template: Path, folder: Path, waiting: int, calls: int, sms: bool, share: float) -> str:
    folder.mkdir(parents=True)
    db = folder / "nafitha.db"
    shutil.copy(template, db)
    options = {"mode": "folder", "folder": str(folder / "sms")} if sms else None
    ctx = open_context(ServerSettings(db=db, sms=options, ignore_hours=True))
    try:
        issued = [tickets.issue_ticket(ctx, KIOSK, load_service(i))[0] for i in range(waiting)]
        step = round(1 / share) if share else 0
        with ctx.db.write() as tx:
            for n, ticket in enumerate(issued[::step] if step else []):
                phone = f"+96170{n:06d}"
                now = ctx.now()
                outbox.record_consent(tx, phone, now, "bench", "ar", now + 86_400)
                ticket_phones.opt_in(tx, ticket["id"], ticket["day"], phone, "ar", now)
        opted = len(issued[::step]) if step else 0
        clerks = {c: Actor("person", f"clerk{i + 1}", "clerk", c) for i, c in enumerate(COUNTERS)}
        samples: list[float] = []
        for n in range(calls):
            counter = COUNTERS[n % len(COUNTERS)]
            began = time.perf_counter()
            called = calling.call_next(ctx, clerks[counter], counter)
            samples.append((time.perf_counter() - began) * 1000)
            if called is None:
                break
            ticket_actions.ticket_action(ctx, clerks[counter], called["id"], "finish")
        queued = len(outbox.messages(ctx.db.read(), limit=100_000))
    finally:
        ctx.db.close()
    name = f"sms {'on ' if sms else 'off'}, {opted:>4} opted in"
    return (
        f"{name:<28} calls={len(samples):>4}  median {statistics.median(samples):6.2f} ms"
        f"  p90 {pct(samples, 0.9):6.2f} ms  max {max(samples):7.2f} ms  messages {queued}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waiting", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nafitha-bench-sms-") as tmp:
        root = Path(tmp)
        template = root / "template.db"
        seed_demo(template)
        print(f"call next + finish, {args.waiting} waiting, {args.calls} calls (in process)")
        for n, (sms, share) in enumerate([(False, 0.0), (True, 0.0), (True, 0.2), (True, 1.0)]):
            print(run(template, root / f"run{n}", args.waiting, args.calls, sms, share), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
