"""Text messages: the outbox's throughput, and the time from an event to its message at the modem.

Three figures, each on a real SQLite file:

1. queue: messages written the way a use case writes them (one ``BEGIN IMMEDIATE`` transaction
   each, an event appended beside the message), per second;
2. drain: the sender's loop (claim, hand over, record the reference, mark sent) into the folder
   modem (a file written and fsynced per message), per second;
3. latency: ``nafitha server`` with an ``[sms]`` table driving Gammu's AT driver on the pty modem
   (``nafitha/harness/at_modem.py``): an event and its message committed by another process, then
   the time until the modem holds the PDU; one message at a time, so it is the queue's own delay.

The reference printed beside them is the modem's own rate: parts per second Gammu gets through the
simulated modem back to back (no radio: a real network adds seconds per part).

    .venv/bin/python bench/sms.py --messages 2000 --latency 30
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nafitha.harness.at_modem import AtModem  # noqa: E402
from nafitha.harness.server import running_server  # noqa: E402
from server.app import open_context  # noqa: E402
from server.config import ServerSettings  # noqa: E402
from server.sms.sender import Sender, sender_lock_path  # noqa: E402
from server.sms.transport import FolderModem  # noqa: E402
from server.store import outbox  # noqa: E402
from server.store.database import Database  # noqa: E402
from server.store.events import append_event  # noqa: E402

PARAMS = {"center": "Demo", "number": "A-042", "counter": 3}


def phone(n: int) -> str:
    return f"+96170{n % 1_000_000:06d}"


def queue_and_drain(folder: Path, count: int) -> tuple[float, float]:
    """(messages queued per second, messages sent into the folder modem per second)."""
    settings = ServerSettings(
        db=folder / "nafitha.db",
        sms={"mode": "folder", "folder": folder / "sms", "quiet_start": "00:00",
             "quiet_end": "00:00", "per_number_per_hour": 1000},
        ignore_hours=True,
    )  # fmt: skip
    ctx = open_context(settings)
    try:
        now = ctx.now()
        with ctx.db.write() as tx:
            for n in range(count):
                outbox.record_consent(tx, phone(n), now, "bench", "en", now + 86_400)
        start = time.perf_counter()
        for n in range(count):
            with ctx.db.write() as tx:
                append_event(tx, "ticket_called", at=ctx.now(), actor="bench", data={"n": n})
                outbox.queue_message(tx, "called", phone(n), "en", PARAMS, ctx.now())
        queued = count / (time.perf_counter() - start)
        assert settings.sms is not None
        transport = FolderModem(folder / "sms")
        sender = Sender(ctx, settings.sms, transport, sender_lock_path(ctx.db.path))
        sender.step()  # health, crash check: not timed
        start = time.perf_counter()
        sent = 0
        while sender.step():
            sent += 1
        drained = (sent + 1) / (time.perf_counter() - start)
        return queued, drained
    finally:
        ctx.db.close()


def latency(folder: Path, count: int) -> tuple[list[float], list[float], float]:
    """Seconds from commit to the PDU at the modem and to the sender's claim, per message; the
    modem's parts per second."""
    with AtModem() as modem:
        folder.mkdir(parents=True, exist_ok=True)
        config = folder / "server.toml"
        config.write_text(
            f'[sms]\nmode = "gammu"\ndevice = "{modem.device}"\nquiet_start = 00:00:00\n'
            "quiet_end = 00:00:00\npoll_s = 0.05\nper_number_per_hour = 1000\n",
            encoding="utf-8",
        )
        with running_server(folder / "data", extra_args=["--config", str(config)]) as server:
            db = Database(server.db)
            try:
                now = time.time()
                with db.write() as tx:
                    for n in range(count + 30):
                        outbox.record_consent(tx, phone(n), now, "bench", "en", now + 86_400)
                delays, claims = [], []
                for n in range(count + 1):
                    before = modem.pdus_received
                    with db.write() as tx:
                        append_event(tx, "ticket_called", at=time.time(), actor="bench", data={})
                        message = outbox.queue_message(
                            tx, "called", phone(n), "en", PARAMS, time.time()
                        )
                    committed = time.time()
                    _wait(lambda b=before: modem.pdus_received > b, 60)
                    delays.append(modem.received_at[before] - committed)
                    _wait(lambda m=message: _state(db, m) == "sent", 60)  # the sender is idle
                    row = outbox.message(db.read(), message)
                    claims.append(row["claimed_at"] - committed)
                delays, claims = delays[1:], claims[1:]  # the first waited for Gammu's start
                burst = 20
                first = modem.pdus_received
                with db.write() as tx:
                    for n in range(count + 1, count + 1 + burst):
                        outbox.queue_message(tx, "called", phone(n), "en", PARAMS, time.time())
                _wait(lambda: modem.sent_count() >= first + burst, 120)
                times = modem.received_at[first : first + burst]
                rate = (burst - 1) / (times[-1] - times[0])
            finally:
                db.close()
    return delays, claims, rate


def _state(db: Database, message_id: int) -> str:
    row = outbox.message(db.read(), message_id)
    return row["state"] if row else ""


def _wait(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("bench/sms.py: the modem got nothing in time")
        time.sleep(0.005)


def _spread(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    median = statistics.median(ordered)
    return (
        f"median {median * 1000:5.0f} ms  p95 {p95 * 1000:5.0f} ms"
        f"  max {ordered[-1] * 1000:5.0f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=2000, help="messages queued and drained")
    parser.add_argument("--latency", type=int, default=30, help="messages timed one at a time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        queued, drained = queue_and_drain(Path(tmp) / "outbox", args.messages)
        delays, claims, rate = latency(Path(tmp) / "modem", args.latency)
    print(f"outbox: {args.messages} messages")
    print(f"  queued with their event     {queued:8.0f} messages/s (one transaction each)")
    print(f"  drained into folder modem   {drained:8.0f} messages/s (a file + fsync each)")
    print(f"event → PDU at the modem (Gammu, pty, {len(delays)} messages one at a time)")
    print(f"  at the modem:     {_spread(delays)}")
    print(f"  claimed (outbox): {_spread(claims)}   (the rest is Gammu's AT conversation)")
    print("reference: the modem's own rate through Gammu, back to back")
    print(f"  {rate:6.2f} parts/s ({60 * rate:.0f} a minute; a real network adds seconds a part)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
