"""Load benchmark of the server: ticket issue and call-next over HTTP, against the ceilings.

Prints, in one run:
- the durable-commit ceiling: a bare SQLite insert+commit loop with the server's pragmas (WAL,
  synchronous=FULL), and a trivial endpoint's throughput (GET /api/v1/health) as the HTTP ceiling;
- back to back: N kiosks issuing tickets as fast as they can → tickets/s, p50/p99 latency (after a
  warm-up of 4 tickets per kiosk, not counted); then
  M clerks calling next (and finishing the ticket: a no-show is refused until `no_show_after_s`
  after the call) as fast as they can → p50/p99 of call-next;
- paced: 10 kiosks each issuing 5 tickets a second and 20 clerks each calling once a second
  → p50/p99 of issue and call-next (target p99 < 25 ms);
- the server's peak RSS (all its processes).

    .venv/bin/python bench/load.py [--kiosks 50] [--tickets 3000] [--workers 1] [--paced-s 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nafitha.harness.loadgen import HttpConnection
from nafitha.harness.server import LOAD_SERVICES, RunningServer, load_service, running_server


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def summary(label: str, latencies: list[float], seconds: float | None = None) -> str:
    line = (
        f"{label:<34} n={len(latencies):>5}  p50={percentile(latencies, 0.5) * 1000:6.1f} ms"
        f"  p99={percentile(latencies, 0.99) * 1000:6.1f} ms"
    )
    if seconds:
        line += f"  {len(latencies) / seconds:7.0f} /s"
    return line


def commit_ceiling(folder: Path, count: int = 2000) -> float:
    """Sequential durable commits per second with the server's pragmas (one row each)."""
    conn = sqlite3.connect(folder / "ceiling.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, day TEXT, v TEXT)")
    start = time.perf_counter()
    for i in range(count):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (day, v) VALUES (?, ?)", ["2026-11-23", "x" * 200 + str(i)])
        conn.execute("COMMIT")
    rate = count / (time.perf_counter() - start)
    conn.close()
    return rate


def peak_rss_mb(server: RunningServer) -> float:
    """Peak resident memory (VmHWM) of the server process and its children, in MiB."""
    pids = [server.process.pid]
    try:
        children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
        pids += [int(p) for p in children.read_text().split()]
    except OSError:
        pass
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


async def open_all(url: str, tokens: list[str]) -> list[HttpConnection]:
    return [await HttpConnection(url, token).open() for token in tokens]


async def close_all(conns: list[HttpConnection]) -> None:
    for conn in conns:
        await conn.close()


async def trivial(url: str, clients: int, count: int) -> float:
    conns = await open_all(url, [""] * clients)

    async def one(conn: HttpConnection) -> None:
        for _ in range(count // clients):
            await conn.request("GET", "/api/v1/health")

    start = time.perf_counter()
    await asyncio.gather(*(one(c) for c in conns))
    elapsed = time.perf_counter() - start
    await close_all(conns)
    return count / elapsed


async def issue_back_to_back(server: RunningServer, kiosks: int, tickets: int):
    conns = await open_all(server.url, [server.kiosk_tokens[i % 2] for i in range(kiosks)])
    latencies: list[float] = []

    async def kiosk(index: int) -> None:
        for n in range(tickets // kiosks):
            t0 = time.perf_counter()
            status, body = await conns[index].request(
                "POST", "/api/v1/tickets", {"service": load_service(index + n)}
            )
            latencies.append(time.perf_counter() - t0)
            assert status == 201, body

    start = time.perf_counter()
    await asyncio.gather(*(kiosk(i) for i in range(kiosks)))
    elapsed = time.perf_counter() - start
    await close_all(conns)
    return latencies, elapsed


def prepare_counters(server: RunningServer, count: int) -> list[tuple[str, str]]:
    """``count`` extra counters serving every service; (counter, clerk token) pairs."""
    counters = server.add_counters(101, count, LOAD_SERVICES, prefix="b")
    return [
        (counter, server.login(f"clerk{1 + i % 10}", counter).token or "")
        for i, counter in enumerate(counters)
    ]


async def call_back_to_back(server: RunningServer, clerks: list[tuple[str, str]], limit: int):
    conns = await open_all(server.url, [token for _, token in clerks])
    latencies: list[float] = []

    async def clerk(index: int) -> None:
        counter = clerks[index][0]
        while len(latencies) < limit:
            t0 = time.perf_counter()
            status, ticket = await conns[index].request("POST", f"/api/v1/counters/{counter}/next")
            latencies.append(time.perf_counter() - t0)
            if status == 204:
                return
            done, answer = await conns[index].request(
                "POST", f"/api/v1/tickets/{ticket['id']}/finish"
            )
            if done != 200:  # a refused finish would leave the clerk's call-next timing refusals
                raise RuntimeError(f"finish refused ({done}): {answer}")

    start = time.perf_counter()
    await asyncio.gather(*(clerk(i) for i in range(len(conns))))
    elapsed = time.perf_counter() - start
    await close_all(conns)
    return latencies, elapsed


async def paced(
    server: RunningServer,
    clerks: list[tuple[str, str]],
    seconds: float,
    kiosks: int = 10,
    kiosk_rate: float = 5.0,
    clerk_rate: float = 1.0,
):
    kiosk_conns = await open_all(server.url, [server.kiosk_token] * kiosks)
    clerk_conns = await open_all(server.url, [token for _, token in clerks])
    issue: list[float] = []
    call: list[float] = []
    end = time.perf_counter() + seconds

    async def kiosk(index: int) -> None:
        period = 1 / kiosk_rate
        next_at = time.perf_counter() + index * period / kiosks
        n = 0
        while next_at < end:
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            t0 = time.perf_counter()
            _, _ = await kiosk_conns[index].request(
                "POST", "/api/v1/tickets", {"service": load_service(index + n)}
            )
            issue.append(time.perf_counter() - t0)
            n += 1
            next_at += period

    async def clerk(index: int) -> None:
        period = 1 / clerk_rate
        next_at = time.perf_counter() + index * period / len(clerks)
        counter = clerks[index][0]
        while next_at < end:
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            t0 = time.perf_counter()
            status, ticket = await clerk_conns[index].request(
                "POST", f"/api/v1/counters/{counter}/next"
            )
            call.append(time.perf_counter() - t0)
            if status == 200:
                done, answer = await clerk_conns[index].request(
                    "POST", f"/api/v1/tickets/{ticket['id']}/finish"
                )
                if done != 200:
                    raise RuntimeError(f"finish refused ({done}): {answer}")
            next_at += period

    await asyncio.gather(
        *(kiosk(i) for i in range(kiosks)), *(clerk(i) for i in range(len(clerks)))
    )
    await close_all(kiosk_conns + clerk_conns)
    return issue, call


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=50)
    parser.add_argument("--tickets", type=int, default=3000)
    parser.add_argument("--clerks", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--paced-s", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nafitha-bench-") as tmp:
        folder = Path(tmp)
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
        ceiling = commit_ceiling(folder)
        print(f"{'durable commit ceiling (bare SQLite)':<34} {ceiling:7.0f} commits/s")
        with running_server(folder / "server", workers=args.workers) as server:
            http = asyncio.run(trivial(server.url, args.kiosks, 2000))
            print(f"{'HTTP ceiling (GET /health)':<34} {http:7.0f} req/s  workers={args.workers}")
            # warm-up, not measured: connections opened, caches and the writer thread started
            asyncio.run(issue_back_to_back(server, args.kiosks, args.kiosks * 4))
            latencies, elapsed = asyncio.run(issue_back_to_back(server, args.kiosks, args.tickets))
            print(summary(f"issue, {args.kiosks} kiosks back to back", latencies, elapsed))
            print(
                f"{'':<34} = {len(latencies) / elapsed / ceiling:.2f} of the commit ceiling,"
                f" {len(latencies) / elapsed / http:.2f} of the HTTP ceiling"
            )
            clerks = prepare_counters(server, args.clerks)
            calls, elapsed = asyncio.run(call_back_to_back(server, clerks, 1000))
            print(summary(f"call-next, {args.clerks} clerks back to back", calls, elapsed))
            issue, call = asyncio.run(paced(server, clerks, args.paced_s))
            print(summary("paced issue (10 kiosks x 5/s)", issue))
            print(summary(f"paced call-next ({args.clerks} clerks x 1/s)", call))
            print(f"{'server peak RSS':<34} {peak_rss_mb(server):7.1f} MiB")
            print(f"{'mean issue latency, paced':<34} {statistics.mean(issue) * 1000:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
