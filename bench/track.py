"""Public file tracking under load: lookups per second and latency with 100,000 files stored.

    .venv/bin/python bench/track.py [--files 100000] [--clients 8] [--seconds 10]

Builds a demo database holding ``--files`` files (each walked a random way through its service's
workflow, so the history table holds several rows per file), starts a real ``nafitha server`` on it,
and drives ``GET /api/v1/track/{reference}`` from ``--clients`` threads with random existing
references (one lookup in ten mistyped, as people do). In the same run it measures two references:
``GET /api/v1/health`` from the same clients (the HTTP ceiling of this server on this machine) and
the tracking use case called in process (no HTTP), so the result reads as ratios. The clients run
on the same machine as the server and share its cores.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nafitha.demo import KIOSK_TOKENS, seed_demo  # noqa: E402
from nafitha.harness.ports import free_port, wait_for_http  # noqa: E402
from nafitha.reference import ALPHABET, new_reference, parse_reference  # noqa: E402
from server.domain.files import Citizen, CitizenFile, HistoryEntry  # noqa: E402
from server.domain.workflow import due_at  # noqa: E402
from server.store import files as store  # noqa: E402


def build(db: Path, count: int, seed: int = 1) -> list[str]:
    """``count`` files in ``db``, written through the store in batches; their printed references."""
    from server.app import open_context
    from server.config import ServerSettings
    from server.usecases.catalog import load_catalog
    from server.usecases.files import workflows

    rng = random.Random(seed)
    ctx = open_context(ServerSettings(db=db, ignore_hours=True))
    catalog = load_catalog(ctx)
    flows = workflows(ctx, catalog)
    services = [s for s in catalog.services.values() if s.workflow in flows]
    references: list[str] = []
    now = time.time()
    batch = 5000
    try:
        for start in range(0, count, batch):
            with ctx.db.write() as tx:
                for _ in range(min(batch, count - start)):
                    service = rng.choice(services)
                    flow = flows[service.workflow or ""]
                    reference = new_reference(rng.getrandbits).code
                    opened = now - rng.uniform(0, 90 * 86400)
                    reached = rng.randrange(len(flow.stages))
                    entries = []
                    at = opened
                    for seq, stage in enumerate(flow.stages[: reached + 1], start=1):
                        last = seq == len(flow.stages)
                        entries.append(
                            HistoryEntry(
                                seq=seq,
                                at=store.moment(at),
                                kind="open" if seq == 1 else "forward",
                                from_stage=None if seq == 1 else flow.stages[seq - 2].id,
                                stage=stage.id,
                                status="closed" if last else "open",
                                by="clerk1",
                                role="manager",
                                note="ready" if stage.waits_on == "citizen" else None,
                            )
                        )
                        at += rng.uniform(600, 86400)
                    final = entries[-1]
                    file = CitizenFile(
                        reference=reference,
                        service=service.id,
                        workflow=flow.id,
                        stage=final.stage,
                        status=final.status,
                        stage_entered_at=final.at,
                        opened_at=store.moment(opened),
                        opened_by="clerk1",
                        citizen=Citizen(
                            f"Citizen {start}",
                            f"ID{rng.randrange(10**9)}",
                            f"+961{rng.randrange(10**8):08d}",
                        ),
                    )
                    due = due_at(flow, file.state)
                    store.insert_file(tx, file, None, now)
                    for entry in entries:
                        store.record_move(
                            tx,
                            reference,
                            entry,
                            stage_entered_at=entry.at.timestamp(),
                            due_at=due.timestamp() if due and entry is final else None,
                            missing=None,
                        )
                    references.append(parse_reference(reference).printed)
    finally:
        ctx.db.close()
    return references


def stored_references(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        codes = [row[0] for row in conn.execute("SELECT reference FROM files")]
    finally:
        conn.close()
    return [parse_reference(code).printed for code in codes]


def mistype(reference: str, rng: random.Random) -> str:
    code = list(reference.replace("-", ""))
    position = rng.randrange(len(code))
    code[position] = rng.choice([c for c in ALPHABET if c != code[position]])
    return "".join(code)


def drive(
    clients: int, seconds: float, make_path: Callable[[random.Random], str], url: str, token: str
) -> tuple[int, list[float], dict[int, int]]:
    """(requests done, latencies in s, count per status) from ``clients`` threads."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        mine: list[float] = []
        codes: dict[int, int] = {}
        while time.perf_counter() < stop:
            path = make_path(rng)
            began = time.perf_counter()
            status = session.get(url + path, timeout=10).status_code
            mine.append(time.perf_counter() - began)
            codes[status] = codes.get(status, 0) + 1
        with lock:
            latencies.extend(mine)
            for code, n in codes.items():
                statuses[code] = statuses.get(code, 0) + n

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), latencies, statuses


def report(name: str, done: int, latencies: list[float], seconds: float) -> float:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[int(len(ordered) * 0.99) - 1] * 1000
    rate = done / seconds
    print(f"  {name:<34} {rate:8.0f} req/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms")
    return rate


def in_process(db: Path, references: list[str], seconds: float) -> float:
    """The tracking use case called directly: lookups per second without HTTP."""
    from server.app import open_context
    from server.config import ServerSettings
    from server.usecases import files

    ctx = open_context(ServerSettings(db=db, ignore_hours=True))
    rng = random.Random(3)
    done = 0
    stop = time.perf_counter() + seconds
    try:
        while time.perf_counter() < stop:
            files.track(ctx, rng.choice(references))
            done += 1
    finally:
        ctx.db.close()
    return done / seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--keep", type=Path, help="build the database here once and reuse it on later runs"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="nafitha-track-") as folder:
        db = args.keep or Path(folder) / "nafitha.db"
        began = time.perf_counter()
        if args.keep and db.exists():
            references = stored_references(db)
        else:
            seed_demo(db)
            references = build(db, args.files)
        built = time.perf_counter() - began
        conn = sqlite3.connect(db)
        files_n, history_n = (
            conn.execute("SELECT count(*) FROM files").fetchone()[0],
            conn.execute("SELECT count(*) FROM file_history").fetchone()[0],
        )
        conn.close()
        size = db.stat().st_size / 2**20
        print(
            f"database: {files_n} files, {history_n} history rows, {size:.0f} MiB "
            f"(ready in {built:.0f} s)"
        )

        settings = Path(folder) / "server.toml"
        # a kiosk device's bucket, large enough not to throttle the benchmark
        settings.write_text(
            "track_per_minute = 6000\ntrack_burst = 1000\ntrack_device_factor = 1000\n",
            encoding="utf-8",
        )
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = (Path(folder) / "server.log").open("wb")
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "nafitha.cli",
                "server",
                "--config",
                str(settings),
                "--db",
                str(db),
                "--port",
                str(port),
                "--ignore-hours",
                "--demo",
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_http(url + "/api/v1/health", timeout=60)
            token = KIOSK_TOKENS[0]

            def track_path(rng: random.Random) -> str:
                reference = rng.choice(references)
                if rng.random() < 0.1:
                    reference = mistype(reference, rng)
                return f"/api/v1/track/{reference}"

            drive(args.clients, 1.0, track_path, url, token)  # warm up
            print(f"{args.clients} clients, {args.seconds:.0f} s each, one server process:")
            done, lat, statuses = drive(args.clients, args.seconds, track_path, url, token)
            track_rate = report("GET /api/v1/track/{reference}", done, lat, args.seconds)
            print(f"    answers: {dict(sorted(statuses.items()))}")
            done, lat, _ = drive(
                args.clients, args.seconds, lambda rng: "/api/v1/health", url, token
            )
            health_rate = report("reference: GET /api/v1/health", done, lat, args.seconds)
        finally:
            server.terminate()
            server.wait(timeout=20)
            log.close()
        direct = in_process(db, references, min(args.seconds, 5.0))
        print(f"  reference: track use case in process {direct:8.0f} lookups/s (no HTTP)")
        print(f"tracking runs at {track_rate / health_rate:.0%} of the health endpoint's rate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
