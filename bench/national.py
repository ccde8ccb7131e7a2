"""Benchmark of the national data path: centers → relay → leaf → hub writer → PostgreSQL.

Prints, in one run, with the machine's own references first:
- references: PostgreSQL's insert rate for the same event rows with no transport (batches of 500,
  one commit each), and a leaf nats-server's acknowledged publish rate with no PostgreSQL;
- steady state: three centers issuing (and serving) tickets at a big center's peak rate x10
  (6,000 tickets a day, the busiest hour twice the mean: 0.42 tickets/s; x10 = 4.2/s per center);
  event created at a center → accepted into the hub's PostgreSQL, p50 and p99;
- catch-up: with the hub stopped, a backlog of N events per center (seeded past days, each ticket
  with its events) reaches the leaves; then the hub starts: time until PostgreSQL holds them all,
  and the hub's intake rate (events/s, chain checks and projections included) while draining;
- memory: each leaf nats-server's and each center server's (relay inside) peak RSS; the hub's
  disk per million events (events, personal data, projections and their indexes).

    .venv/bin/python bench/national.py [--backlogs 10000,100000] [--steady-s 30]
                                      [--leaf-link tls|clear|both]

``--leaf-link both`` runs a network with its leaf links in clear, then one over TLS (as in
production and the default), each with its own references: the cost of TLS on the link.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg

from nafitha.client import Client
from nafitha.national import wire
from nafitha.national.local_network import HUB_DATABASE, Center, NationalNetwork
from nafitha.national.nats import NatsProcess, leaf_conf
from nafitha.ports import free_port

CENTERS = (
    ("b1", "مركز ١", "Center 1"),
    ("b2", "مركز ٢", "Center 2"),
    ("b3", "مركز ٣", "Center 3"),
)
PEAK_X10_PER_S = 6000 / 8 / 3600 * 2 * 10  # tickets per second per center


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def rss_mb(pid: int | None, key: str = "VmHWM") -> float:
    if pid is None:
        return float("nan")
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def sample_rows(count: int) -> list[bytes]:
    """``count`` realistic event bodies (a ticket's issue, call, start, finish), chained."""
    from nafitha.chain import GENESIS, canonical, event_hash

    rows, prev = [], GENESIS
    for seq in range(1, count + 1):
        ticket = {"state": "waiting", "service": "civil-extract", "number": f"A-{seq:03d}"}
        row = {
            "id": seq,
            "at": 1764400000.0 + seq,
            "kind": "ticket_issued",
            "actor": None,
            "counter": None,
            "device": "kiosk-1",
            "ticket_id": seq,
            "data": canonical({"number": ticket["number"], "ticket": ticket}),
            "public": canonical({"number": ticket["number"], "service": "civil-extract"}),
            "prev_hash": prev,
        }
        row["hash"] = prev = event_hash(prev, row)
        rows.append(wire.encode("ref", row))
    return rows


def postgres_reference(dsn: str, bodies: list[bytes]) -> float:
    """Rows/s into a plain table shaped like the hub's events, no checks, no transport."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE ref_events (center text, seq bigint, at double precision, kind text,"
            " actor text, counter text, device text, ticket_id bigint, data text, public text,"
            " prev_hash text, hash text, received_at double precision,"
            " PRIMARY KEY (center, seq))"
        )
        parsed = [json.loads(b) for b in bodies]
        began = time.perf_counter()
        for start in range(0, len(parsed), 500):
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO ref_events VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
                    " %s, %s)",
                    [
                        ("ref", p["seq"], p["at"], p["kind"], p["actor"], p["counter"],
                         p["device"], p["ticket_id"], p["data"], p["public"], p["prev_hash"],
                         p["hash"], time.time())
                        for p in parsed[start : start + 500]
                    ],
                )  # fmt: skip
        rate = len(parsed) / (time.perf_counter() - began)
        conn.execute("DROP TABLE ref_events")
    return rate


async def _publish_all(url: str, user: str, password: str, bodies: list[bytes]) -> float:
    import nats
    from nats.js.api import StorageType, StreamConfig

    nc = await nats.connect(url, user=user, password=password)
    try:
        js = nc.jetstream()
        subject = wire.subject("ref")
        await js.add_stream(
            StreamConfig(name=wire.STREAM, subjects=[subject], storage=StorageType.FILE)
        )
        began = time.perf_counter()
        window = 256
        for start in range(0, len(bodies), window):
            futures = [
                await js.publish_async(subject, body, headers={"Nats-Msg-Id": f"ref:{start + i}"})
                for i, body in enumerate(bodies[start : start + window])
            ]
            await asyncio.gather(*futures)
        return len(bodies) / (time.perf_counter() - began)
    finally:
        await nc.close()


def nats_reference(folder: Path, bodies: list[bytes]) -> float:
    """Acknowledged publishes/s into a lone leaf's file stream (no hub, no PostgreSQL)."""
    password = "bench-relay-password"
    client, monitor = free_port(), free_port()
    conf = leaf_conf(
        center="ref", store_dir=str(folder / "ref-js"), host="127.0.0.1", client_port=client,
        monitor_port=monitor, hub_url=f"nats-leaf://127.0.0.1:{free_port()}",
        leaf_password="unused-password", relay_password=password,
    )  # fmt: skip
    with NatsProcess(conf, folder / "ref-nats", "ref-leaf").start():
        return asyncio.run(_publish_all(f"nats://127.0.0.1:{client}", "relay", password, bodies))


class Issuer(threading.Thread):
    """One center's hall at a fixed rate: issue, and serve every ticket at counter c1."""

    def __init__(self, center: Center, rate: float) -> None:
        super().__init__(daemon=True)
        self.center, self.rate, self.stop = center, rate, threading.Event()
        self.issued = 0

    def run(self) -> None:
        kiosk = Client(self.center.url, token="demo-kiosk-1")
        clerk = Client(self.center.url)
        clerk.login("clerk1", "demo", "c1")
        began = time.monotonic()
        while not self.stop.is_set():
            kiosk.issue_ticket("civil-extract")
            self.issued += 1
            called = clerk.call_next("c1")
            if called is not None:
                clerk.ticket_action(called["id"], "start")
                clerk.ticket_action(called["id"], "finish")
            self.stop.wait(max(0.0, began + self.issued / self.rate - time.monotonic()))


def hub_counts(dsn: str) -> dict[str, int]:
    with psycopg.connect(dsn) as conn:
        return dict(conn.execute("SELECT center, count(*) FROM events GROUP BY center").fetchall())


def center_count(center: Center) -> int:
    import sqlite3

    conn = sqlite3.connect(f"file:{center.db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
    finally:
        conn.close()


def wait_drained(dsn: str, centers: list[Center], timeout: float) -> float:
    began = time.monotonic()
    wanted = {c.id: center_count(c) for c in centers}
    while time.monotonic() - began < timeout:
        held = hub_counts(dsn)
        if all(held.get(c, 0) >= n for c, n in wanted.items()):
            return time.monotonic() - began
        time.sleep(0.2)
    raise SystemExit(f"not drained in {timeout:.0f} s: hub {hub_counts(dsn)}, centers {wanted}")


def leaf_messages(center: Center) -> int:
    """Messages in the center's leaf stream (its monitor's /jsz)."""
    text = center.config.read_text()
    port = int(text.split("leaf_monitor_port = ")[1].split()[0])
    url = f"http://127.0.0.1:{port}/jsz?streams=true"
    with urllib.request.urlopen(url, timeout=5) as answer:
        body = json.load(answer)
    total = 0
    for account in body.get("account_details", []):
        for stream in account.get("stream_detail", []):
            total = max(total, stream["state"]["last_seq"])
    return total


def seed_backlog(center: Center, events: int, end: date) -> int:
    """Past days of tickets, each with its events, until about ``events`` events are added."""
    from server.app import open_context
    from server.config import ServerSettings
    from server.demo.history import seed_history
    from server.usecases.context import SYSTEM

    before = center_count(center)
    ctx = open_context(ServerSettings(db=center.db, center_config=center.folder / "center.toml"))
    try:
        while center_count(center) - before < events:
            left = events - (center_count(center) - before)
            days = max(1, min(60, left // 1100))
            seed_history(ctx, SYSTEM, days, end=end, seed=end.toordinal(), as_events=True)
            end -= timedelta(days=days)
    finally:
        ctx.db.close()
    return center_count(center) - before


def run(folder: Path, leaf_tls: bool, backlogs: list[int], steady_s: float) -> None:
    """One national network, its links over TLS or in clear, measured from its references on."""
    net = NationalNetwork(
        folder=folder / "net", centers_wanted=CENTERS, pg_folder=folder / "pg", leaf_tls=leaf_tls
    )
    print(f"-- leaf links {'over TLS' if leaf_tls else 'in clear'}")
    try:
        net.prepare()
        net.start()
        assert net.pg is not None and net.hub is not None
        dsn = net.pg.dsn(HUB_DATABASE)
        bodies = sample_rows(20000)
        pg_rate = postgres_reference(dsn, bodies)
        print(f"{'reference: PostgreSQL insert, no transport':<46} {pg_rate:8.0f} rows/s")
        nats_rate = nats_reference(folder, bodies)
        print(f"{'reference: leaf publish+ack, no PostgreSQL':<46} {nats_rate:8.0f} msgs/s")

        centers = list(net.centers.values())
        wait_drained(dsn, centers, 120)
        t0 = time.time()
        issuers = [Issuer(c, PEAK_X10_PER_S) for c in centers]
        for issuer in issuers:
            issuer.start()
        time.sleep(steady_s)
        for issuer in issuers:
            issuer.stop.set()
            issuer.join()
        wait_drained(dsn, centers, 120)
        with psycopg.connect(dsn) as conn:
            delays = [
                r[0]
                for r in conn.execute("SELECT received_at - at FROM events WHERE at >= %s", [t0])
            ]
        rate = sum(i.issued for i in issuers) / steady_s
        p50, p99 = percentile(delays, 0.5) * 1000, percentile(delays, 0.99) * 1000
        print(
            f"{'steady: event at center -> in hub PostgreSQL':<46} n={len(delays)}"
            f"  p50={p50:.0f} ms  p99={p99:.0f} ms  ({rate:.1f} tickets/s over 3 centers)"
        )
        end = date.today() - timedelta(days=400)
        for backlog in backlogs:
            net.hub.stop()
            added = {c.id: seed_backlog(c, backlog, end) for c in centers}
            end -= timedelta(days=200)
            deadline = time.monotonic() + 600
            while any(leaf_messages(c) < center_count(c) for c in centers):
                if time.monotonic() > deadline:
                    raise SystemExit("the relays did not reach their leaves in 600 s")
                time.sleep(0.5)
            net.start_hub()
            took = wait_drained(dsn, centers, 1200)
            total = sum(added.values())
            print(
                f"{f'catch-up: {backlog} events x 3 centers':<46} {took:6.1f} s"
                f"  ({total / took:.0f} events/s into PostgreSQL, chain checks included;"
                f" {total / took / pg_rate:.2f} of the bare insert rate)"
            )
        for center in centers:
            leaf_pid = center.leaf.process.pid if center.leaf.process else None
            server_pid = center.server.process.pid if center.server.process else None
            print(
                f"{'memory, ' + center.id:<46} leaf nats-server {rss_mb(leaf_pid):6.1f} MiB"
                f"  server+relay {rss_mb(server_pid):6.1f} MiB (peak RSS)"
            )
        with psycopg.connect(dsn) as conn:
            size, count = conn.execute(
                "SELECT sum(pg_total_relation_size(c.oid)), (SELECT count(*) FROM events)"
                " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'm')"
            ).fetchone()
        print(
            f"{'hub disk per million events':<46} {float(size) / count * 1e6 / 2**30:6.2f} GiB"
            f"  ({count} events, {float(size) / 2**20:.0f} MiB in all tables and indexes)"
        )
    finally:
        net.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backlogs", default="10000,100000")
    parser.add_argument("--steady-s", type=float, default=30.0)
    parser.add_argument(
        "--leaf-link", choices=("tls", "clear", "both"), default="tls",
        help="the leaf links as in production (tls), in clear, or one network of each in turn",
    )  # fmt: skip
    args = parser.parse_args()
    backlogs = [int(b) for b in args.backlogs.split(",") if b]
    modes = {"tls": [True], "clear": [False], "both": [False, True]}[args.leaf_link]
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    for leaf_tls in modes:
        folder = Path(tempfile.mkdtemp(prefix="nafitha-bench-national-"))
        os.chmod(folder, 0o755)  # PostgreSQL runs as its own user under root
        try:
            run(folder, leaf_tls, backlogs, args.steady_s)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
