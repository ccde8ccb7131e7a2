"""The shared rate-limit buckets: a burst then a refill, bounded, and shared by worker processes."""

from __future__ import annotations

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
