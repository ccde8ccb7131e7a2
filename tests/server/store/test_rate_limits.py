"""The shared rate-limit buckets: a burst then a refill, bounded, and shared by worker processes."""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from server.store.rate_limits import SharedBuckets


def test_rate_limiter_refuses_past_the_burst_and_refills(tmp_path: Path) -> None:
    limiter = SharedBuckets(tmp_path / "limits.db")

    def allow(key: str, now: float) -> int:
        return limiter.allow(key, now, per_minute=6, burst=3)

    assert [allow("a", 100.0) for _ in range(3)] == [0, 0, 0]
    assert allow("a", 100.0) == 10  # one token every 10 s
    assert allow("b", 100.0) == 0  # another client has its own bucket
    assert allow("a", 104.0) == 6
    assert allow("a", 110.5) == 0
    assert allow("a", 110.5) > 0
    limiter.close()


def test_rate_limiter_table_stays_bounded(tmp_path: Path) -> None:
    limiter = SharedBuckets(tmp_path / "limits.db", max_keys=100)
    for i in range(1000):
        limiter.allow(f"10.0.{i // 256}.{i % 256}", float(i), per_minute=60, burst=2)
    assert len(limiter) <= 100
    limiter.allow("busy", 2000.0, per_minute=60, burst=2)
    limiter.allow("busy", 2000.0, per_minute=60, burst=2)
    assert limiter.allow("busy", 2000.0, per_minute=60, burst=2) > 0
    limiter.close()


def _take_tokens(path: str, count: int, out) -> None:  # in another process
    limiter = SharedBuckets(Path(path))
    out.put([limiter.allow("one-address", 1000.0, per_minute=1, burst=20) for _ in range(count)])
    limiter.close()


def test_worker_processes_share_one_bucket(tmp_path: Path) -> None:
    """Four processes taking 10 lookups each from one address: 20 allowed in all, not 20 each."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    workers = [
        context.Process(target=_take_tokens, args=(str(tmp_path / "limits.db"), 10, out))
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    waits = [wait for _ in workers for wait in out.get(timeout=60)]
    for worker in workers:
        worker.join(timeout=30)
    assert len(waits) == 40 and waits.count(0) == 20


def test_a_new_file_opened_by_many_workers_at_once_answers_every_request(tmp_path: Path) -> None:
    """The first requests of a new server come at once: each worker and thread opens the file and
    turns it to WAL at the same moment; none may fail ("database is locked" was a 500)."""
    for round_ in range(5):
        path = tmp_path / f"round-{round_}" / "nafitha-rate-limits.db"
        workers = [SharedBuckets(path) for _ in range(4)]  # as four processes: no shared lock
        start = threading.Barrier(32)

        def take(index: int, workers: list[SharedBuckets] = workers, start=start) -> int:
            start.wait()
            return workers[index % 4].allow("login:127.0.0.2", 1000.0, per_minute=1.0, burst=5)

        with ThreadPoolExecutor(32) as pool:
            waits = list(pool.map(take, range(32)))
        assert waits.count(0) == 5 and len(waits) == 32, waits  # the burst, then waits
        for worker in workers:
            worker.close()


def test_a_file_another_worker_is_setting_up_is_waited_for_not_refused(tmp_path: Path) -> None:
    """Turning a file to WAL while another connection holds a lock on it fails at once, without
    SQLite's busy wait: the set-up is retried until the other worker is done."""
    path = tmp_path / "limits.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE setting_up (x)")  # a new file, still in rollback-journal mode
    other.execute("BEGIN IMMEDIATE")  # another worker in the middle of its own set-up
    done = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    done.start()
    buckets = SharedBuckets(path)
    try:
        assert buckets.allow("login:127.0.0.2", 1000.0, per_minute=1.0, burst=5) == 0
        fresh = sqlite3.connect(path)
        assert fresh.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        fresh.close()
    finally:
        done.join()
        buckets.close()
        other.close()
