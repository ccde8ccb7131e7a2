"""A real server process (two workers) and 20 clerks at 20 counters calling at once under ratio
profiles, while kiosks keep issuing: no ticket is called twice, and at every counter each call
is the kind its ratio owes, replayed from the events table (docs/server.md, "Calling profiles").
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections import Counter as Tally
from pathlib import Path

import pytest

from tests.support.loadgen import HttpConnection
from tests.support.server import RunningServer, running_server

SERVICES = ["work-permit", "consumer-complaint"]
CLERKS = 20
BEFORE = 150  # tickets waiting when the clerks start
DURING = 150  # tickets issued while they call
KIOSKS = 10

pytestmark = pytest.mark.slow


def ratio_of(index: int) -> int:
    """Counter ``index``'s N: after every N normal calls, one priority."""
    return 2 + index % 3


async def issue(server: RunningServer, count: int, offset: int) -> list[dict]:
    """``count`` tickets from ``KIOSKS`` connections at once; every third is a priority one."""
    conns = [
        await HttpConnection(server.url, server.kiosk_tokens[i % 2]).open() for i in range(KIOSKS)
    ]

    async def kiosk(index: int) -> list[dict]:
        out = []
        for n in range(index, count, KIOSKS):
            number = offset + n
            body = {"service": SERVICES[number % 2], "priority": number % 3 == 0}
            status, ticket = await conns[index].request("POST", "/api/v1/tickets", body)
            assert status == 201, ticket
            out.append(ticket)
        return out

    try:
        chunks = await asyncio.gather(*(kiosk(i) for i in range(KIOSKS)))
    finally:
        for conn in conns:
            await conn.close()
    return [t for chunk in chunks for t in chunk]


async def call_all(server: RunningServer, counters: list[str]) -> tuple[list[int], list[dict]]:
    """Kiosks issue ``DURING`` more while every clerk calls next (and finishes) until nobody
    waits and the kiosks are done; the ids called, and the tickets issued meanwhile."""
    tokens = [server.login(f"clerk{1 + i % 10}", c).token for i, c in enumerate(counters)]
    conns = [await HttpConnection(server.url, token).open() for token in tokens]
    issuing = asyncio.ensure_future(issue(server, DURING, BEFORE))

    async def clerk(index: int) -> list[int]:
        called = []
        while True:
            status, ticket = await conns[index].request(
                "POST", f"/api/v1/counters/{counters[index]}/next"
            )
            if status == 204:
                if issuing.done():
                    return called
                await asyncio.sleep(0.01)  # nobody waits yet: ask again
                continue
            assert status == 200, ticket
            called.append(ticket["id"])
            status, _ = await conns[index].request("POST", f"/api/v1/tickets/{ticket['id']}/finish")
            assert status == 200

    try:
        chunks = await asyncio.gather(*(clerk(i) for i in range(len(conns))))
        issued = await issuing
    finally:
        for conn in conns:
            await conn.close()
    return [i for chunk in chunks for i in chunk], issued


def replay(db: Path, ratios: dict[str, int]) -> dict[str, list[tuple[bool, bool, str]]]:
    """Per counter, its calls in commit order: (priority called, both kinds waited, rule), with
    what waited rebuilt from the events: issued, called."""
    conn = sqlite3.connect(db)
    try:
        priority = dict(conn.execute("SELECT id, priority FROM tickets"))
        rows = conn.execute(
            "SELECT kind, ticket_id, counter, data FROM events"
            " WHERE kind IN ('ticket_issued', 'ticket_called') ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    waiting: dict[bool, set[int]] = {True: set(), False: set()}
    calls: dict[str, list[tuple[bool, bool, str]]] = {c: [] for c in ratios}
    for kind, ticket_id, counter, data in rows:
        kind_of = bool(priority[ticket_id])
        if kind == "ticket_issued":
            waiting[kind_of].add(ticket_id)
            continue
        both = bool(waiting[True]) and bool(waiting[False])
        assert ticket_id in waiting[kind_of], f"ticket {ticket_id} called but not waiting"
        waiting[kind_of].remove(ticket_id)
        calls[counter].append((kind_of, both, json.loads(data)["profile"]))
    return calls


def test_twenty_clerks_under_ratio_profiles_call_no_ticket_twice_and_keep_each_ratio(
    tmp_path: Path,
) -> None:
    with running_server(tmp_path, workers=2) as server:
        counters = server.add_counters(21, CLERKS, SERVICES)
        ratios = {c: ratio_of(i) for i, c in enumerate(counters)}
        manager = server.login("manager")
        for counter, n in ratios.items():
            body = {"profile": {"priority": "ratio", "normal_per_priority": n}}
            manager.request("PUT", f"/api/v1/admin/counters/{counter}/profile", json_body=body)
        before = asyncio.run(issue(server, BEFORE, 0))
        called, during = asyncio.run(call_all(server, counters))
        issued = {t["id"] for t in before + during}
        assert len(issued) == BEFORE + DURING
        assert len(called) == len(set(called)), "a ticket was called twice"
        assert set(called) == issued, "a ticket was lost"
        calls = replay(server.db, ratios)
    assert sum(len(c) for c in calls.values()) == len(issued)
    checked = 0
    for counter, n in ratios.items():
        run_kind, run = None, 0  # the counter's run, replayed
        stretch: list[bool] = []  # its calls made while both kinds waited, in a row
        for priority, both, rule in calls[counter]:
            if both:
                owed = run_kind == "normal" and run >= n
                assert priority == owed, (counter, n, calls[counter])
                assert rule == "ratio"
                stretch.append(priority)
                window = stretch[-(n + 1) :]
                if len(window) == n + 1:  # any n + 1 calls in a row hold exactly one priority
                    assert sum(window) == 1, (counter, n, stretch)
                checked += 1
            else:
                assert rule == "policy"
                stretch = []
            kind = "priority" if priority else "normal"
            run = run + 1 if kind == run_kind else 1
            run_kind = kind
    assert checked > 100, "too few calls were made with both kinds waiting to test the ratio"
    assert Tally(len(c) > 0 for c in calls.values())[True] == CLERKS, "a counter never called"
