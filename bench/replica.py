"""Recovery point of the off-site replica: what a lost building takes with it, measured.

For each replica setting (``sync_interval_s``, ``monitor_interval_s``), a few times:
1. ``nafitha server`` with ``[replica]`` (Litestream to a real S3-compatible server on 127.0.0.1,
   moto, or a file replica) under the load benchmark's paced load: 10 kiosks each issuing 5
   tickets a second (bench/load.py);
2. after a few seconds, at a moment not aligned with anything, SIGKILL of the server's whole
   process group (server and Litestream at once) and the data folder deleted;
3. ``nafitha restore`` into another folder, and the tickets compared: every ticket a kiosk got an
   answer for (acknowledged) that did not come back is lost; the seconds they span are from the
   oldest one's acknowledgement to the kill.

Prints the machine's reference beside: cores and load, the durable commit ceiling (bare SQLite,
as bench/load.py), and one small object's round trip to the replica.

    .venv/bin/python bench/replica.py [--runs 3] [--load-s 6] [--target s3|file]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nafitha.harness.loadgen import HttpConnection
from nafitha.harness.s3 import ACCESS_KEY, SECRET_KEY, S3Server, s3_server
from nafitha.harness.server import RunningServer, load_service, start_server

# (sync_interval_s, monitor_interval_s): Litestream's own defaults, a middle one, and ours.
SETTINGS = ((1.0, 1.0), (0.5, 0.25), (0.2, 0.1))


def commit_ceiling(folder: Path, count: int = 1000) -> float:
    """Sequential durable commits per second with the server's pragmas (as bench/load.py)."""
    conn = sqlite3.connect(folder / "ceiling.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    start = time.perf_counter()
    for i in range(count):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (v) VALUES (?)", ["x" * 200 + str(i)])
        conn.execute("COMMIT")
    rate = count / (time.perf_counter() - start)
    conn.close()
    return rate


def s3_round_trip(s3: S3Server, count: int = 20) -> float:
    """Median seconds of one 4 KiB PUT to the replica's server."""
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3.endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
    )
    times = []
    try:
        for i in range(count):
            t0 = time.perf_counter()
            client.put_object(Bucket=s3.bucket, Key=f"probe/{i}", Body=b"x" * 4096)
            times.append(time.perf_counter() - t0)
    finally:
        client.close()
    return statistics.median(times)


def litestream_cpu_s(db: Path) -> float:
    """CPU seconds Litestream (its pid from the replica's state file) has used so far."""
    import json

    pid = json.loads(db.with_name(db.name + ".replica.json").read_text())["pid"]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def paced_until_killed(
    server: RunningServer, seconds: float, kiosks: int = 10, rate: float = 5.0
) -> tuple[dict[str, float], tuple[float, float], list[float]]:
    """Paced ticket issue; SIGKILL of the server after ``seconds`` (plus a random fraction of a
    second). Every answered ticket (number -> time its answer arrived), and the kill's time."""
    conns = [await HttpConnection(server.url, server.kiosk_token).open() for _ in range(kiosks)]
    acked: dict[str, float] = {}
    latencies: list[float] = []
    kill_at = time.perf_counter() + seconds + random.uniform(0, 1)
    killed = asyncio.Event()

    async def kiosk(index: int) -> None:
        period = 1 / rate
        next_at = time.perf_counter() + index * period / kiosks
        n = 0
        while not killed.is_set():
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            t0 = time.perf_counter()
            try:
                status, body = await conns[index].request(
                    "POST", "/api/v1/tickets", {"service": load_service(index + n)}
                )
            except (OSError, asyncio.IncompleteReadError, ValueError):
                return  # the server is gone: this request was never acknowledged
            if status == 201:
                acked[body["number"]] = time.time()
                if not killed.is_set():
                    latencies.append(time.perf_counter() - t0)
            n += 1
            next_at += period

    async def killer() -> tuple[float, float]:
        replicated = server.db.with_name(server.db.name + ".replica.json").exists()
        cpu = litestream_cpu_s(server.db) if replicated else 0.0
        started = time.perf_counter()
        await asyncio.sleep(max(0.0, kill_at - time.perf_counter()))
        used = litestream_cpu_s(server.db) - cpu if replicated else 0.0
        cpu_share = used / (time.perf_counter() - started)
        moment = time.time()
        server.kill()
        killed.set()
        return moment, cpu_share

    results = await asyncio.gather(killer(), *(kiosk(i) for i in range(kiosks)))
    for conn in conns:
        await conn.close()
    return acked, results[0], latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def baseline(folder: Path, load_s: float) -> list[float]:
    """Issue latencies of the same paced load on a server without a replica (the reference)."""
    server = start_server(folder / "plain")
    time.sleep(2)
    _, _, latencies = asyncio.run(paced_until_killed(server, load_s))
    server.kill()
    return latencies


def restored_numbers(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {row[0] for row in conn.execute("SELECT number FROM tickets")}
    finally:
        conn.close()


def one_run(
    folder: Path, url: str, sync_s: float, monitor_s: float, load_s: float, env: dict[str, str]
) -> tuple[int, int, float, float, list[float]]:
    """(acknowledged, lost, seconds of writes lost, Litestream's CPU share) of one building lost
    under load."""
    settings = folder / "server.toml"
    settings.write_text(
        f'[replica]\nurl = "{url}"\nsync_interval_s = {sync_s}\nmonitor_interval_s = {monitor_s}\n'
        f'access_key_id = "{ACCESS_KEY}"\nsecret_access_key = "{SECRET_KEY}"\n'
    )
    server = start_server(folder / "center", extra_args=["--config", str(settings)])
    time.sleep(2)  # Litestream's first snapshot of the seeded database is on the replica
    acked, (killed_at, cpu_share), latencies = asyncio.run(paced_until_killed(server, load_s))
    server.kill()
    shutil.rmtree(folder / "center")  # the building is gone
    restored = folder / "elsewhere"
    done = subprocess.run(
        [sys.executable, "-m", "nafitha.cli", "restore", "--from", url, "--data", str(restored),
         "--without-keys"],
        capture_output=True, text=True, env={**os.environ, **env}, timeout=300,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    back = restored_numbers(restored / "nafitha.db")
    lost = {number: at for number, at in acked.items() if number not in back}
    window = killed_at - min(lost.values()) if lost else 0.0
    return len(acked), len(lost), max(0.0, window), cpu_share, latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--load-s", type=float, default=6.0)
    parser.add_argument("--target", choices=("s3", "file"), default="s3")
    args = parser.parse_args()
    logging.getLogger("nafitha.audit").setLevel(logging.ERROR)  # the seeded centers' new keys
    with tempfile.TemporaryDirectory(prefix="nafitha-bench-replica-") as tmp, s3_server() as s3:
        base = Path(tmp)
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
        print(f"{'durable commit ceiling (bare SQLite)':<40} {commit_ceiling(base):7.0f} commits/s")
        if args.target == "s3":
            put_ms = s3_round_trip(s3) * 1000
            print(f"{'one 4 KiB PUT to the replica (median)':<40} {put_ms:7.1f} ms")
        print(f"paced load: 10 kiosks x 5 tickets/s for {args.load_s:.0f}-{args.load_s + 1:.0f} s,"
              f" then SIGKILL; {args.runs} runs per setting, target {args.target}")  # fmt: skip
        plain = baseline(base, args.load_s)
        print(
            f"{'issue p50/p99 without a replica':<40} {percentile(plain, 0.5) * 1000:7.1f} /"
            f" {percentile(plain, 0.99) * 1000:.1f} ms"
        )
        for sync_s, monitor_s in SETTINGS:
            losses, windows, cpu, latencies, acked_total = [], [], [], [], 0
            for run in range(args.runs):
                folder = base / f"s{sync_s}-m{monitor_s}-{run}"
                folder.mkdir()
                url = (
                    s3.url(f"{folder.name}")
                    if args.target == "s3"
                    else f"file://{base / 'replicas' / folder.name}"
                )
                acked, lost, window, share, times = one_run(
                    folder, url, sync_s, monitor_s, args.load_s, s3.env()
                )
                acked_total += acked
                cpu.append(share)
                latencies += times
                losses.append(lost)
                windows.append(window)
            print(
                f"sync_interval_s={sync_s:<4} monitor_interval_s={monitor_s:<5}"
                f" acknowledged {acked_total:5d}, lost per run {losses},"
                f" seconds of writes lost: max {max(windows):.2f}, mean"
                f" {statistics.mean(windows):.2f}; litestream CPU {statistics.mean(cpu):.1%};"
                f" issue p50/p99 {percentile(latencies, 0.5) * 1000:.1f}/"
                f"{percentile(latencies, 0.99) * 1000:.1f} ms"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
