"""Benchmark of the ministry's dashboard: a period query over a year of three centers' history.

Each center's SQLite database gets the demo catalog and a year of simulated days whose tickets
carry their own events (``seed_history(..., as_events=True)``); the logs go into a throwaway
PostgreSQL hub through the writer's own batch (``take_batch``: chain checks and projections
included). Then, with the machine's reference beside them (a plain ``SELECT count(*)`` over the
events, and over the tickets projection), it times, each the median of several runs:

- the period figures of the whole year against the year before (what ``GET
  /api/v1/ministry/period`` computes), of the last 30 days, and of one day;
- the live picture (``/live``) and the integrity report of the year (``/integrity``).

    .venv/bin/python bench/ministry.py [--days 365] [--centers 3] [--runs 5]

Target (issue 15): a period query answers in under 1 s. Never asserted in tests.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hub.domain.roles import Person
from hub.store import centers as centers_store
from hub.store.database import connect, prepare
from hub.store.figures import tune_session
from hub.usecases import ministry
from hub.usecases.intake import Message, take_batch
from nafitha.demo import seed_demo
from nafitha.harness.ports import free_port
from nafitha.national.wire import encode
from nafitha.paths import DEMO, ROOT
from nafitha.postgres import PostgresCluster
from server.demo.history import seed_demo_history

CATALOG = DEMO / "center.toml"
MINISTRY = Person("bench", "ministry")


def seed_center(folder: Path, days: int, seed: int) -> tuple[Path, str, dict[str, Any]]:
    db = folder / "nafitha.db"
    seed_demo(db, CATALOG)
    summary = seed_demo_history(db, CATALOG, days, as_events=True, seed=seed) or {}
    key = subprocess.run(
        [sys.executable, "-m", "nafitha.cli", "audit", "public-key", "--db", str(db)],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=120,
    ).stdout.strip()  # fmt: skip
    return db, key, summary


def feed(conn: Any, center: str, db: Path, batch: int = 2000) -> int:
    """The center's whole log into the hub, as its relay and the writer would: (events)."""
    source = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    source.row_factory = sqlite3.Row
    total = 0
    try:
        cursor = source.execute("SELECT * FROM events ORDER BY id")
        while rows := cursor.fetchmany(batch):
            messages = [Message(encode(center, dict(r))) for r in rows]
            result = take_batch(conn, center, messages, time.time())
            if result.stopped is not None:
                raise SystemExit(f"{center}: intake stopped: {result.stopped}")
            total += len(rows)
    finally:
        source.close()
    return total


def timed(work: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, answer = [], None
    for _ in range(runs):
        start = time.perf_counter()
        answer = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--centers", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--seeded", type=int, help="centers seeded and fed for real (others: SQL copies)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the folder (to --reuse it)")
    parser.add_argument("--reuse", type=Path, help="a folder a --keep run left: no seeding")
    parser.add_argument(
        "--trigger-cost", type=int, metavar="DAYS",
        help="only measure the intake rate with and without the aggregates' trigger",
    )  # fmt: skip
    args = parser.parse_args()
    if args.trigger_cost:
        trigger_cost(args.trigger_cost)
        return
    folder = args.reuse or Path(tempfile.mkdtemp(prefix="nafitha-bench-ministry-"))
    folder.chmod(0o755)
    cluster = PostgresCluster(folder / "pg", free_port())
    try:
        cluster.start()
        ids = [f"c{i + 1}" for i in range(args.centers)]
        if args.reuse:
            dsn = cluster.dsn("hub")
            prepare(dsn)
            with connect(dsn) as conn:
                last = conn.execute("SELECT max(day) FROM tickets").fetchone()[0]
        else:
            dsn = cluster.create_database("hub")
            prepare(dsn)
            last = seed_and_feed(folder, dsn, ids, args.days, args.seeded or args.centers)
        if args.keep or args.reuse:
            print(f"data kept in {folder}")
        with connect(dsn, role="hub_web") as conn:
            conn.execute("RESET ROLE")
            conn.execute("VACUUM ANALYZE")
            conn.execute("SET ROLE hub_web")
            tune_session(conn)  # as the dashboard's connections are
            reference, count = timed(
                lambda: conn.execute("SELECT count(*) FROM events").fetchone()[0], args.runs
            )
            ref_tickets, tickets = timed(
                lambda: conn.execute("SELECT count(*) FROM tickets").fetchone()[0], args.runs
            )
            print(f"reference: SELECT count(*) FROM events ({count:,} rows):"
                  f" {reference * 1000:.0f} ms; FROM tickets ({tickets:,} rows):"
                  f" {ref_tickets * 1000:.0f} ms")  # fmt: skip
            last_day = date.fromisoformat(last)
            now = time.time()
            for label, first in (
                (f"period {args.days} days vs the {args.days} before",
                 last_day - timedelta(days=args.days - 1)),
                ("period 30 days vs the 30 before", last_day - timedelta(days=29)),
                ("period 1 day vs the day before", last_day),
            ):  # fmt: skip
                spent, report = timed(
                    lambda first=first: ministry.period_report(
                        conn, MINISTRY, first.isoformat(), last, now
                    ),
                    args.runs,
                )
                totals = report["all"]
                how = "merged from day aggregates" if report["approximate"] else "exact"
                print(f"{label}: {spent * 1000:.0f} ms ({totals['current']['tickets']:,} tickets;"
                      f" the previous period {totals['previous']['tickets']:,};"
                      f" {how})")  # fmt: skip
            spent, _ = timed(lambda: ministry.live(conn, MINISTRY, now, 900.0), args.runs)
            print(f"live: {spent * 1000:.0f} ms")
            year_first = (last_day - timedelta(days=args.days - 1)).isoformat()
            spent, report = timed(
                lambda: ministry.integrity(conn, MINISTRY, year_first, last), args.runs
            )
            calls = sum(c["in_order"] + c["out_of_order"] for c in report["centers"])
            print(f"integrity {args.days} days: {spent * 1000:.0f} ms ({calls:,} calls)")
    finally:
        if cluster.running:
            cluster.stop()
        if not (args.keep or args.reuse):
            shutil.rmtree(folder, ignore_errors=True)


def seed_and_feed(folder: Path, dsn: str, ids: list[str], days: int, seeded_n: int) -> str:
    """Seed the first ``seeded_n`` centers' days and feed their logs to the hub through
    ``take_batch``; the other centers are copies of them made in SQL (same volume, same
    figures; the trigger of migration 7 keeps their aggregates). The last seeded day."""
    start = time.perf_counter()
    seeded = []
    for i, center in enumerate(ids[:seeded_n]):
        (folder / center).mkdir()
        seeded.append(seed_center(folder / center, days, 20261129 + i))
    tickets = sum(s[2].get("tickets", 0) for s in seeded)
    print(f"seeded {seeded_n} centers x {days} days: {tickets:,} tickets"
          f" in {time.perf_counter() - start:.0f} s")  # fmt: skip
    with connect(dsn) as conn:
        centers_store.register(
            conn, [(c, {"ar": c, "en": c}, s[1]) for c, s in zip(ids, seeded, strict=False)]
        )
        start = time.perf_counter()
        events = sum(feed(conn, c, s[0]) for c, s in zip(ids, seeded, strict=False))
        spent = time.perf_counter() - start
        print(f"fed the hub {events:,} events in {spent:.0f} s ({events / spent:,.0f}/s,"
              " chain checks, projections and aggregates included)")  # fmt: skip
        start = time.perf_counter()
        for i, copy in enumerate(ids[seeded_n:]):
            clone(conn, ids[i % seeded_n], copy)
        if len(ids) > seeded_n:
            print(f"copied to {len(ids) - seeded_n} more centers in SQL"
                  f" in {time.perf_counter() - start:.0f} s")  # fmt: skip
    return max(s[2]["to"] for s in seeded if s[2])


def clone(conn: Any, source: str, copy: str) -> None:
    """Another center holding ``source``'s log, projections and head, under id ``copy``."""
    tables = {
        "events": "seq, at, kind, actor, counter, device, ticket_id, data, public, prev_hash,"
        " hash, reference, received_at",
        "tickets": "ticket_id, day, prefix, seq, number, service, priority, state, issued_at,"
        " called_at, started_at, finished_at, counter, clerk, target_counter, device, file,"
        " recalls, transfers, quoted_wait_s, first_event, last_event",
        "files": "reference, service, workflow, stage, status, stage_entered_at, due_at,"
        " opened_at, opened_by, updated_at, moves, ticket_id, documents_received, missing,"
        " note, first_event, last_event",
    }
    with conn.transaction():
        conn.execute(
            "INSERT INTO centers (id, name, public_key, head_seq, head_hash, head_at,"
            " received_at, last_contact) SELECT %s, name, public_key, head_seq, head_hash,"
            " head_at, received_at, last_contact FROM centers WHERE id = %s",
            [copy, source],
        )
        for table, columns in tables.items():
            conn.execute(
                f"INSERT INTO {table} (center, {columns}) SELECT %s, {columns} FROM {table}"
                " WHERE center = %s",
                [copy, source],
            )


def trigger_cost(days: int) -> None:
    """One center's ``days`` fed through ``take_batch`` into two fresh hub databases, one with
    the trigger of migration 7 disabled: what the day aggregates cost the intake."""
    folder = Path(tempfile.mkdtemp(prefix="nafitha-bench-trigger-"))
    folder.chmod(0o755)
    cluster = PostgresCluster(folder / "pg", free_port())
    try:
        cluster.start()
        (folder / "c1").mkdir()
        db, key, _ = seed_center(folder / "c1", days, 20261129)
        for label, enabled in (("without", False), ("with", True), ("without", False)):
            dsn = cluster.create_database(f"hub_{label}_{int(time.time() * 1000)}")
            prepare(dsn)
            with connect(dsn) as conn:
                if not enabled:
                    conn.execute("ALTER TABLE tickets DISABLE TRIGGER tickets_figures")
                centers_store.register(conn, [("c1", {"ar": "c1", "en": "c1"}, key)])
                start = time.perf_counter()
                events = feed(conn, "c1", db)
                spent = time.perf_counter() - start
            print(f"intake {label} the aggregates' trigger: {events:,} events in {spent:.1f} s"
                  f" ({events / spent:,.0f}/s)")  # fmt: skip
    finally:
        if cluster.running:
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
