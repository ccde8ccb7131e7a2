"""The hub's one NATS connection to the centers (hub/api/center_link.py), on a real nats-server:
requests share one connection, a dropped server is a clear Unreachable, the next request after
the server is back opens a new connection and is answered."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from hub.api.center_link import CenterLink, ForwardLink, Unreachable
from nafitha.national.nats import NatsProcess, portal_subject
from nafitha.ports import free_port

pytestmark = pytest.mark.slow


def connections(monitor_url: str, name: str) -> int:
    with urllib.request.urlopen(f"{monitor_url}/connz?limit=1000", timeout=5) as answer:
        listed = json.load(answer)["connections"] or []
    return sum(1 for c in listed if c.get("name") == name)


def test_requests_share_one_connection_and_a_restarted_server_is_reconnected(
    tmp_path: Path,
) -> None:
    import nats

    port, monitor = free_port(), free_port()
    conf = f"listen: 127.0.0.1:{port}\nhttp: 127.0.0.1:{monitor}\n"
    server = NatsProcess(conf, tmp_path, "hub-nats").start()
    url = f"nats://127.0.0.1:{port}"
    subject = portal_subject("c1")

    async def scenario() -> None:
        center = await nats.connect(url, max_reconnect_attempts=-1, reconnect_time_wait=0.2)
        try:
            await exchange(center)
        finally:  # never left reconnecting: its socket would outlive the test
            await center.close()

    async def exchange(center: Any) -> None:
        served = 0

        async def respond(msg: object) -> None:
            nonlocal served
            served += 1
            body = json.loads(msg.data)  # type: ignore[attr-defined]
            await msg.respond(json.dumps({"ok": True, "id": body["id"]}).encode())  # type: ignore[attr-defined]

        await center.subscribe(subject, cb=respond)
        await center.flush()
        link = CenterLink(ForwardLink(url, "a-password", timeout_s=2.0))
        try:
            answers = await asyncio.gather(
                *(link.ask(subject, {"v": 1, "id": f"r{i}"}) for i in range(20))
            )
            assert [a["id"] for a in answers] == [f"r{i}" for i in range(20)]
            assert link.connects == 1 and served == 20
            assert connections(server.monitor_url, "nafitha-hub-portal") == 1

            server.stop()
            with pytest.raises(Unreachable):
                await link.ask(subject, {"v": 1, "id": "while-down"})
            server.start()
            for _ in range(100):  # the center's own client reconnects by itself
                if center.is_connected:
                    break
                await asyncio.sleep(0.1)
            await center.flush()
            answer = await link.ask(subject, {"v": 1, "id": "after"})
            assert answer == {"ok": True, "id": "after"}
            assert link.connects == 2
        finally:
            await link.close()
        for _ in range(50):  # the server's monitor lists a closed connection a moment longer
            if connections(server.monitor_url, "nafitha-hub-portal") == 0:
                break
            await asyncio.sleep(0.1)
        assert connections(server.monitor_url, "nafitha-hub-portal") == 0

    try:
        asyncio.run(scenario())
    finally:
        server.stop()


def test_a_server_that_is_not_there_is_unreachable_and_opens_nothing() -> None:
    link = CenterLink(ForwardLink(f"nats://127.0.0.1:{free_port()}", "a-password", timeout_s=1.0))
    with pytest.raises(Unreachable):
        asyncio.run(link.ask(portal_subject("c1"), {"v": 1, "id": "x"}))
    assert link.connects == 0
