"""Real server processes on one SQLite file: many kiosks and clerks at once, workers, SIGKILL.

Numbers must be unique and gapless per prefix, no ticket called twice or lost, and every ticket the
server acknowledged must survive a SIGKILL, whatever the number of worker processes.
"""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from collections import defaultdict
from pathlib import Path

import pytest

from tests.support.loadgen import HttpConnection
from tests.support.server import (
    RunningServer,
    load_service,
    running_server,
    start_server,
)

KIOSKS = 50
TICKETS = 2000
CLERKS = 20
DRAINED = ["work-permit", "consumer-complaint"]  # the clerks' counters serve these (500 tickets)

pytestmark = pytest.mark.slow


async def issue_many(server: RunningServer, count: int, clients: int) -> list[dict]:
    """``count`` tickets from ``clients`` concurrent kiosk connections, back to back."""
    conns = [
        await HttpConnection(server.url, server.kiosk_tokens[i % 2]).open() for i in range(clients)
    ]
    per_client = [count // clients + (1 if i < count % clients else 0) for i in range(clients)]

    async def kiosk(index: int) -> list[dict]:
        out = []
        for n in range(per_client[index]):
            body = {"service": load_service(index + n)}
            status, ticket = await conns[index].request("POST", "/api/v1/tickets", body)
            assert status == 201, ticket
            out.append(ticket)
        return out

    try:
        chunks = await asyncio.gather(*(kiosk(i) for i in range(clients)))
    finally:
        for conn in conns:
            await conn.close()
    return [t for chunk in chunks for t in chunk]


def assert_unique_and_gapless(tickets: list[dict]) -> None:
    # numbering is per day in the center's zone: a run across its midnight starts again at 1
    by_prefix: dict[tuple[str, str], list[int]] = defaultdict(list)
    for ticket in tickets:
        prefix, seq = ticket["number"].split("-")
        by_prefix[(ticket["day"], prefix)].append(int(seq))
    for (day, prefix), seqs in by_prefix.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), f"{day} {prefix}: gaps or twins"
    assert len({t["id"] for t in tickets}) == len(tickets)


async def drain(server: RunningServer, counters: list[str]) -> list[int]:
    """Every clerk calls next at once (and finishes it) until nobody waits; the ids called."""
    tokens = [server.login(f"clerk{1 + i % 10}", c).token for i, c in enumerate(counters)]
    conns = [await HttpConnection(server.url, token).open() for token in tokens]

    async def clerk(index: int) -> list[int]:
        called = []
        while True:
            status, ticket = await conns[index].request(
                "POST", f"/api/v1/counters/{counters[index]}/next"
            )
            if status == 204:
                return called
            assert status == 200, ticket
            called.append(ticket["id"])
            status, _ = await conns[index].request("POST", f"/api/v1/tickets/{ticket['id']}/finish")
            assert status == 200

    try:
        chunks = await asyncio.gather(*(clerk(i) for i in range(len(conns))))
    finally:
        for conn in conns:
            await conn.close()
    return [i for chunk in chunks for i in chunk]


@pytest.mark.parametrize("workers", [1, 3])
def test_kiosks_and_clerks_at_once(tmp_path: Path, workers: int) -> None:
    with running_server(tmp_path, workers=workers) as server:
        tickets = asyncio.run(issue_many(server, TICKETS, KIOSKS))
        assert len(tickets) == TICKETS
        assert_unique_and_gapless(tickets)
        called = asyncio.run(drain(server, server.add_counters(11, CLERKS, DRAINED)))
        assert len(called) == len(set(called)), "a ticket was called twice"
        drained = {t["id"] for t in tickets if t["service"]["id"] in DRAINED}
        assert set(called) == drained, "a ticket was lost"
        conn = sqlite3.connect(server.db)
        states = dict(conn.execute("SELECT state, count(*) FROM tickets GROUP BY state"))
        calls = conn.execute("SELECT count(*) FROM events WHERE kind = 'ticket_called'").fetchone()
        conn.close()
        assert states == {"done": len(drained), "waiting": TICKETS - len(drained)}
        assert calls[0] == len(drained)


async def issue_until_cut(server: RunningServer, clients: int, enough: int) -> list[dict]:
    """Kiosks issuing until the server dies; SIGKILL once ``enough`` tickets are acknowledged."""
    acknowledged: list[dict] = []
    conns = [await HttpConnection(server.url, server.kiosk_token).open() for _ in range(clients)]

    async def kiosk(index: int) -> None:
        while True:
            body = {"service": load_service(index)}
            try:
                status, ticket = await conns[index].request(
                    "POST", "/api/v1/tickets", body, {"Idempotency-Key": uuid.uuid4().hex}
                )
            except (OSError, asyncio.IncompleteReadError):
                return
            assert status == 201, ticket
            acknowledged.append(ticket)
            if len(acknowledged) >= enough and server.process.poll() is None:
                await asyncio.to_thread(server.kill)

    try:
        await asyncio.wait_for(asyncio.gather(*(kiosk(i) for i in range(clients))), 60)
    finally:
        for conn in conns:
            await conn.close()
    return acknowledged


def test_sigkill_under_load_loses_no_acknowledged_ticket(tmp_path: Path) -> None:
    server = start_server(tmp_path, workers=2)
    try:
        acknowledged = asyncio.run(issue_until_cut(server, 16, 300))
    finally:
        server.kill()
    assert len(acknowledged) >= 300
    server = server.restart()
    try:
        conn = sqlite3.connect(server.db)
        rows = {i: (n, d) for i, n, d in conn.execute("SELECT id, number, day FROM tickets")}
        conn.close()
        for ticket in acknowledged:
            assert rows.get(ticket["id"], (None, None))[0] == ticket["number"], ticket["number"]
        after = server.client(server.kiosk_token).issue_ticket("civil-extract")
        seqs = [int(n.split("-")[1]) for n, d in rows.values()
                if n.startswith("A-") and d == after["day"]]  # fmt: skip
        assert after["number"] == f"A-{max(seqs, default=0) + 1:03d}"
        kept = [{"id": i, "number": n, "day": d} for i, (n, d) in rows.items()]
        assert_unique_and_gapless([*kept, after])
    finally:
        server.stop()
