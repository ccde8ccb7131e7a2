"""The hub's forwarding link: one kept NATS connection against a connection per request.

    .venv/bin/python bench/center_link.py [--requests 300] [--parallel 20]

Starts a real nats-server and a responder standing in for a center's portal responder (it
answers at once, so the figures are the link's own cost), then sends the same requests through
``hub.api.center_link.CenterLink`` one after the other and ``--parallel`` at a time. The
reference in the same run is the way the hub worked before: ``nats.connect`` per request, then
``close``. Prints per-request latency (p50 / p95) and the connections the server saw.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hub.api.center_link import CenterLink, ForwardLink
from nafitha.national.nats import NatsProcess, portal_subject
from nafitha.ports import free_port


def total_connections(monitor_url: str) -> int:
    with urllib.request.urlopen(f"{monitor_url}/varz", timeout=5) as answer:
        return int(json.load(answer)["total_connections"])


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


async def run(url: str, monitor: str, count: int, parallel: int) -> list[tuple[str, ...]]:
    import nats

    subject = portal_subject("c1")
    center = await nats.connect(url)

    async def respond(msg: object) -> None:
        await msg.respond(b'{"ok": true}')  # type: ignore[attr-defined]

    await center.subscribe(subject, cb=respond)
    await center.flush()

    async def per_request() -> None:  # the reference: how the hub forwarded before
        client = await nats.connect(url, name="per-request", allow_reconnect=False)
        try:
            await client.request(subject, b'{"v": 1}', timeout=5)
        finally:
            await client.close()

    link = CenterLink(ForwardLink(url, "a-password", timeout_s=5))

    async def kept() -> None:
        await link.ask(subject, {"v": 1, "id": "bench"})

    rows = []
    for name, one in (
        ("kept connection (CenterLink)", kept),
        ("reference: per request", per_request),
    ):
        for width in (1, parallel):
            before = total_connections(monitor)
            times: list[float] = []

            async def timed(one=one, times=times) -> None:
                started = time.perf_counter()
                await one()
                times.append(time.perf_counter() - started)

            started = time.perf_counter()
            for first in range(0, count, width):
                await asyncio.gather(*(timed() for _ in range(min(width, count - first))))
            wall = time.perf_counter() - started
            opened = total_connections(monitor) - before
            p50, p95 = pct(times, 50) * 1000, pct(times, 95) * 1000
            rows.append((name, str(width), f"{p50:.2f}", f"{p95:.2f}", f"{count / wall:.0f}",
                         str(opened)))  # fmt: skip
    await link.close()
    await center.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--parallel", type=int, default=20)
    args = parser.parse_args()
    port, monitor = free_port(), free_port()
    with tempfile.TemporaryDirectory() as folder:
        conf = f"listen: 127.0.0.1:{port}\nhttp: 127.0.0.1:{monitor}\n"
        server = NatsProcess(conf, folder, "bench-nats").start()
        try:
            rows = asyncio.run(
                run(f"nats://127.0.0.1:{port}", server.monitor_url, args.requests, args.parallel)
            )
        finally:
            server.stop()
    print(f"{args.requests} forwarded requests to an instant responder, real nats-server")
    print(f"  {'':<30} {'at once':>7} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>6} {'connections':>12}")
    for name, width, p50, p95, rate, opened in rows:
        print(f"  {name:<30} {width:>7} {p50:>7} {p95:>7} {rate:>6} {opened:>12}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
