"""How long the published integrity report of a big day takes (``GET /api/v1/integrity``).

Builds one day of ``--tickets`` tickets through the real use cases (issue, call, finish; one in 30
called out of order with a coded or free-text reason, one in 50 transferred, one in 10 priority),
then times :func:`server.usecases.integrity.day_report`: computed from the events (the cache
emptied each time), and answered from the cache (the same head).

    .venv/bin/python bench/integrity.py --tickets 6000
    .venv/bin/python bench/integrity.py --tickets 6000 --flood 20

``--flood N`` builds the day as *today*, starts ``nafitha server`` on it and measures a clerk's
call-and-finish latency alone, then while N anonymous threads read today's report as fast as
they can (what an attacker on the hall's Wi-Fi can do to the counters), then the same flood of
``/api/v1/health`` for reference (what any endpoint's flood costs), then N threads signed in as a
manager (not limited per address: only the cache and the computation budget hold them).
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

from nafitha.demo import seed_demo  # noqa: E402
from server.app import open_context  # noqa: E402
from server.config import ServerSettings  # noqa: E402
from server.usecases import calling, integrity, ticket_actions, tickets  # noqa: E402
from server.usecases.context import Actor  # noqa: E402

MORNING = 1795413600.0  # 2026-11-23 08:00 in Asia/Beirut (the demo center's zone)
REASONS = ("special_needs", "appointment: booked", "returning", "a name typed by the clerk")


def build(folder: Path, count: int, morning: float = MORNING) -> tuple[object, int]:
    """A database holding one day of ``count`` tickets; its context and the number of events."""
    db = folder / "nafitha.db"
    seed_demo(db)
    now = [morning]

    def clock() -> float:
        now[0] += 0.4
        return now[0]

    ctx = open_context(ServerSettings(db=db, ignore_hours=True), clock=clock)
    kiosk = Actor("device", "demo-kiosk-1", "kiosk")
    c1 = Actor("person", "clerk1", "clerk", "c1")
    c2 = Actor("person", "clerk2", "clerk", "c2")
    with ctx.db.write():
        number = 0
        while number < count:
            tickets.issue_ticket(ctx, kiosk, "civil-extract", priority=number % 10 == 0)
            number += 1
            if number % 30 == 0 and number < count:
                second = tickets.issue_ticket(ctx, kiosk, "civil-extract")[0]
                number += 1
                reason = REASONS[number % len(REASONS)]
                calling.call_ticket(ctx, c1, "c1", second["id"], reason)
                ticket_actions.ticket_action(ctx, c1, second["id"], "finish")
            row = calling.call_next(ctx, c1, "c1")
            assert row is not None
            if number % 50 == 0:
                ticket_actions.ticket_action(ctx, c1, row["id"], "transfer", counter="c2")
                row = calling.call_next(ctx, c2, "c2")
                assert row is not None
                ticket_actions.ticket_action(ctx, c2, row["id"], "finish")
            else:
                ticket_actions.ticket_action(ctx, c1, row["id"], "finish")
    events = ctx.db.read().execute("SELECT count(*) FROM events").fetchone()[0]
    return ctx, events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=6000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="copy the built database here")
    parser.add_argument("--flood", type=int, default=0, help="threads reading the report")
    args = parser.parse_args()
    if args.flood:
        flood(args.tickets, args.flood)
        return
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        ctx, events = build(Path(folder), args.tickets)
        took = time.perf_counter() - started
        print(f"built {args.tickets} tickets, {events} events in {took:.1f} s")
        staff = Actor("person", "manager", "manager")
        cold = []
        for _ in range(args.runs):
            ctx.cache.pop("integrity", None)  # type: ignore[attr-defined]
            started = time.perf_counter()
            report = integrity.day_report(ctx, staff, "127.0.0.1", "2026-11-23")  # type: ignore[arg-type]
            cold.append(time.perf_counter() - started)
        warm = []
        for _ in range(args.runs * 20):
            started = time.perf_counter()
            integrity.day_report(ctx, staff, "127.0.0.1", "2026-11-23")  # type: ignore[arg-type]
            warm.append(time.perf_counter() - started)
        print(
            f"day 2026-11-23: issued {report['issued']}, called {report['called']}, out of order"
            f" {report['called_out_of_order']}, transfers {report['transfers']},"
            f" events of the day {report['events']}, head {report['head']['text'][:20]}..."
        )
        print(
            f"computed from the events: median {statistics.median(cold) * 1000:.0f} ms,"
            f" max {max(cold) * 1000:.0f} ms ({args.runs} runs)"
        )
        print(
            f"from the cache (same head): median {statistics.median(warm) * 1000:.2f} ms,"
            f" max {max(warm) * 1000:.2f} ms"
        )
        if args.keep:
            import shutil

            shutil.copy(Path(folder) / "nafitha.db", args.keep)
        ctx.db.close()  # type: ignore[attr-defined]


def _latencies(server: object, rounds: int) -> list[float]:
    """A clerk at c3: issue, call next, finish, ``rounds`` times; each call-and-finish's time."""
    kiosk = server.client(server.kiosk_token)  # type: ignore[attr-defined]
    clerk = server.login("clerk3", "c3")  # type: ignore[attr-defined]
    took = []
    for _ in range(rounds):
        kiosk.issue_ticket("birth-registration")
        started = time.perf_counter()
        called = clerk.call_next("c3")
        clerk.ticket_action(called["id"], "finish")
        took.append(time.perf_counter() - started)
    return took


def flood(count: int, threads: int) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from nafitha.harness.server import start_server

    zone = ZoneInfo("Asia/Beirut")
    morning = datetime.now(zone).replace(hour=0, minute=5, second=0, microsecond=0).timestamp()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        ctx, events = build(data, count, morning)
        ctx.db.close()  # type: ignore[attr-defined]
        print(f"built today: {count} tickets, {events} events")
        server = start_server(data, seed=False)
        try:
            token = server.login("manager").token or ""
            results = [("alone", _latencies(server, 40), {})]
            for name, path, signed in (
                ("anonymous /api/v1/integrity", "/api/v1/integrity", False),
                ("anonymous /api/v1/health", "/api/v1/health", False),
                ("manager /api/v1/integrity", "/api/v1/integrity", True),
            ):
                took, answers = _flooded(server, threads, path, token if signed else "")
                results.append((f"while {threads} threads read {name}", took, answers))
        finally:
            server.stop()

    for name, values, answers in results:
        values = sorted(values)
        p95 = values[int(len(values) * 0.95) - 1]
        print(
            f"a clerk's call and finish, {name}: p50 {statistics.median(values) * 1000:.0f} ms,"
            f" p95 {p95 * 1000:.0f} ms" + (f"; their answers {answers}" if answers else "")
        )


def _flooded(
    server: object, threads: int, path: str, token: str
) -> tuple[list[float], dict[int, int]]:
    """The clerk's latencies while ``threads`` read ``path`` in a loop; their answers' statuses."""
    import threading

    import requests

    stop = threading.Event()
    answers: dict[int, int] = {}
    lock = threading.Lock()
    url = server.url + path  # type: ignore[attr-defined]
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    def read() -> None:
        session = requests.Session()
        while not stop.is_set():
            status = session.get(url, headers=headers, timeout=30).status_code
            with lock:
                answers[status] = answers.get(status, 0) + 1

    readers = [threading.Thread(target=read, daemon=True) for _ in range(threads)]
    for reader in readers:
        reader.start()
    time.sleep(1)
    took = _latencies(server, 40)
    stop.set()
    for reader in readers:
        reader.join(30)
    return took, dict(sorted(answers.items()))


if __name__ == "__main__":
    main()
