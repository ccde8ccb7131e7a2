"""What the national fault tests drive at each center and check at the hub afterwards.

A :class:`CenterDriver` is a thread that works a center the way its hall does (tickets issued,
called, served; files opened and moved) and times each ticket issue, labelled by what the test
says is happening (connected, cut off...). :func:`wait_converged` waits until the hub holds
exactly the events each center holds; :func:`check_center` then asserts the issue's "after each"
list: same (center, seq) set, no gaps, every chain recomputes, projections equal the tables.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from hub.store import events as hub_events
from hub.store.database import connect
from hub.usecases.compare import differences
from nafitha.chain import GENESIS, event_hash
from nafitha.client import ApiError, Client
from nafitha.national.local_network import Center
from tests.hub.center_flows import center_files, center_history, center_tickets

SERVICES = ("civil-extract", "family-extract")


class CenterDriver(threading.Thread):
    """Issues tickets (timed), serves every other one at counter c1, opens and moves a file every
    fifth; tolerates the center being down (counts the failures, retries after a pause)."""

    def __init__(self, center: Center, pause_s: float = 0.05) -> None:
        super().__init__(name=f"driver-{center.id}", daemon=True)
        self.center = center
        self.pause_s = pause_s
        self.phase = "connected"
        self.issue_s: dict[str, list[float]] = defaultdict(list)
        self.failures = 0
        self.done = 0
        self._halt = threading.Event()

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=30)

    def _clients(self) -> tuple[Client, Client]:
        kiosk = Client(self.center.url, token="demo-kiosk-1", timeout=10)
        clerk = Client(self.center.url, timeout=10)
        clerk.login("clerk1", "demo", "c1")
        return kiosk, clerk

    def run(self) -> None:
        clients: tuple[Client, Client] | None = None
        while not self._halt.is_set():
            try:
                if clients is None:
                    clients = self._clients()
                self._one(*clients)
            except (ApiError, OSError, ValueError):
                self.failures += 1
                clients = None
                self._halt.wait(0.5)
                continue
            self._halt.wait(self.pause_s)

    def _one(self, kiosk: Client, clerk: Client) -> None:
        began = time.perf_counter()
        kiosk.issue_ticket(SERVICES[self.done % len(SERVICES)])
        self.issue_s[self.phase].append(time.perf_counter() - began)
        self.done += 1
        if self.done % 2 == 0:
            called = clerk.call_next("c1")
            if called is not None:
                clerk.ticket_action(called["id"], "start")
                clerk.ticket_action(called["id"], "finish")
        if self.done % 5 == 0:
            opened = clerk.open_file("civil-extract", {"name": "مواطن", "phone": "+961 1"}, [0])
            clerk.move_file(opened["reference"], "document-check")


def center_seqs(db: Path) -> list[int]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT id FROM events ORDER BY id")]
    finally:
        conn.close()


def wait_converged(dsn: str, centers: list[Center], timeout: float = 150.0) -> dict[str, float]:
    """Wait until the hub holds each center's events; seconds each took (AssertionError after
    ``timeout`` with what is missing)."""
    began = time.monotonic()
    took: dict[str, float] = {}
    state: dict[str, Any] = {}
    with connect(dsn) as conn:
        while time.monotonic() - began < timeout:
            for center in centers:
                if center.id in took:
                    continue
                local = center_seqs(center.db)
                held = hub_events.seqs(conn, center.id)
                state[center.id] = (len(local), len(held), held[-1:] if held else None)
                if held == local:
                    took[center.id] = time.monotonic() - began
            if len(took) == len(centers):
                return took
            time.sleep(0.25)
    raise AssertionError(f"the hub did not catch up in {timeout:.0f} s: center -> (center's "
                         f"events, hub's events, hub's last seq): {state}")  # fmt: skip


def check_center(dsn: str, center: Center) -> int:
    """The issue's checks after a fault, for one center; the number of events checked."""
    local = center_seqs(center.db)
    with connect(dsn) as conn:
        held = hub_events.seqs(conn, center.id)
        assert held == local == list(range(1, len(local) + 1)), "gaps or duplicates"
        prev = GENESIS
        for event in hub_events.chain(conn, center.id):
            assert event["prev_hash"] == prev, f"{center.id}: event {event['id']} does not link"
            assert event_hash(prev, event) == event["hash"], f"{center.id}: {event['id']} bad hash"
            prev = event["hash"]
        found = differences(
            conn,
            center.id,
            tickets=center_tickets(center.db),
            files=center_files(center.db),
            history=center_history(center.db),
        )
        assert [d.describe() for d in found] == [], f"{center.id}: projections differ"
    return len(local)


def latency_report(drivers: list[CenterDriver]) -> str:
    """Ticket issue times by phase (median and slowest, ms): what the issue asks us to report."""
    lines = []
    for driver in drivers:
        for phase, times in sorted(driver.issue_s.items()):
            ordered = sorted(times)
            median = ordered[len(ordered) // 2] * 1000
            lines.append(
                f"{driver.center.id:>8} {phase:<12} {len(times):>4} issues  median"
                f" {median:6.1f} ms  slowest {ordered[-1] * 1000:6.1f} ms"
            )
    return "\n".join(lines)
