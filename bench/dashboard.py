"""The dashboard's figures over a year of history (about two million tickets).

    .venv/bin/python bench/dashboard.py [--days 365] [--scale 16] [--data DIR]

Builds (or reuses, in ``--data``) a database holding ``--days`` simulated days of a big center:
the demo catalog with every counter staffed ``--scale`` times over, so ``--scale`` times the demo's
arrivals (server/usecases/history.py), then starts a real ``nafitha server`` on it and times
``GET /api/v1/stats`` as the dashboard asks it: one day, the last 7 and 30 days (computed from every
ticket), and the whole year (merged from day and month aggregates, which the server builds in the
background when it starts: the benchmark prints how long that took, then times the requests;
``--rebuild-aggregates`` drops the kept ones first, to time that build on a reused database).

In the same run, two references: ``GET /api/v1/health`` (the HTTP floor of this server) and one
plain SQL pass over the year's tickets in process (``count`` and ``sum`` of waits through the
covering index: the storage floor of any figure that reads every ticket).
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests

from nafitha.harness.server import start_server
from server.app import open_context
from server.config import ServerSettings
from server.demo import history
from server.usecases.context import SYSTEM


def build(db: Path, days: int, scale: int, end: date) -> None:
    ctx = open_context(ServerSettings(db=db, ignore_hours=True))
    try:
        started = time.perf_counter()
        done = history.seed_history(ctx, SYSTEM, days, end=end, parallel=scale)
        took = time.perf_counter() - started
        print(f"built {done['tickets']:,} tickets over {days} days in {took:.0f} s")
    finally:
        ctx.db.close()


LAST: dict[str, object] = {}


def timed(session: requests.Session, url: str, params: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    answer = session.get(url, params=params, timeout=600)
    answer.raise_for_status()
    took = (time.perf_counter() - started) * 1000
    LAST.clear()
    LAST.update(answer.json())
    return took


def how() -> str:
    """How the last stats answer was computed, and over how many tickets."""
    if "exact" not in LAST:
        return ""
    tickets = LAST["overall"]["tickets"]  # type: ignore[index]
    return f"{tickets:,} tickets, {'exact' if LAST['exact'] else 'aggregates'}"


def wait_for_warm_up(db: Path) -> int:
    """Wait until the server's background build of the aggregates is over; the days kept."""
    time.sleep(1.0)  # the build takes its lease a moment after the server answers
    with sqlite3.connect(db, timeout=30) as conn:
        while conn.execute("SELECT 1 FROM meta WHERE key = 'stats_warmup_until'").fetchone():
            time.sleep(0.5)
        return conn.execute("SELECT count(*) FROM stats_days_done").fetchone()[0]


def report(name: str, samples: list[float]) -> None:
    middle, worst = statistics.median(samples), max(samples)
    print(f"{name:<50} median {middle:9.1f} ms   max {worst:9.1f} ms   (n={len(samples)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--scale", type=int, default=22)
    parser.add_argument("--data", type=Path, default=Path("/tmp/nafitha-bench-dashboard"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--rebuild-aggregates", action="store_true", help="drop the kept aggregates first"
    )
    args = parser.parse_args()
    db = args.data / "nafitha.db"
    end = date.today() - timedelta(days=1)
    if not db.exists():
        args.data.mkdir(parents=True, exist_ok=True)
        build(db, args.days, args.scale, end)
    with sqlite3.connect(db) as conn:
        total, first, last = conn.execute(
            "SELECT count(*), min(day), max(day) FROM tickets"
        ).fetchone()
    print(f"database: {total:,} tickets from {first} to {last} ({db.stat().st_size / 1e6:.0f} MB)")
    end = date.fromisoformat(last)  # periods end on the last day with tickets
    if args.rebuild_aggregates:
        with sqlite3.connect(db) as conn:
            for table in ("stats_days", "stats_days_done", "stats_months"):
                conn.execute(f"DELETE FROM {table}")

    started = time.perf_counter()
    server = start_server(args.data)
    try:
        built = wait_for_warm_up(db)
        print(
            f"aggregates kept for {built:,} days, built in the background at start:"
            f" {time.perf_counter() - started:.1f} s after the server was launched"
        )
        session = requests.Session()
        token = session.post(
            f"{server.url}/api/v1/auth/login",
            json={"username": "manager", "password": "demo"},
            timeout=10,
        ).json()["token"]
        session.headers["Authorization"] = f"Bearer {token}"
        stats_url = f"{server.url}/api/v1/stats"

        def period(days: int) -> dict[str, str]:
            return {"from": (end - timedelta(days=days - 1)).isoformat(), "to": end.isoformat()}

        for days in (1, 7, 30):
            first_call = timed(session, stats_url, period(days))
            samples = [timed(session, stats_url, period(days)) for _ in range(args.repeat)]
            report(f"stats, last {days} days, first request", [first_call])
            report(f"stats, last {days} days ({how()})", samples)
        year = period(args.days)
        report(f"stats, {args.days} days, first request", [timed(session, stats_url, year)])
        samples = [timed(session, stats_url, year) for _ in range(args.repeat)]
        report(f"stats, {args.days} days ({how()})", samples)
        print("reference, same run:")
        report(
            "GET /api/v1/health", [timed(session, f"{server.url}/api/v1/health") for _ in range(20)]
        )
    finally:
        server.stop()
    samples = []
    with sqlite3.connect(db) as conn:
        for _ in range(3):
            started = time.perf_counter()
            conn.execute(
                "SELECT count(*), sum(called_at - issued_at) FROM tickets"
                " WHERE day BETWEEN ? AND ?",
                [year["from"], year["to"]],
            ).fetchone()
            samples.append((time.perf_counter() - started) * 1000)
    report("one SQL pass over the year's tickets", samples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
