"""The live feed's poller stops even when a commit's wake lands with the stop (Python 3.11's
``asyncio.wait_for`` swallows a cancel that arrives as its wait completes)."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

from server import events as events_module
from server.events import EventFeed
from tests.server.conftest import AppEnv


def test_the_feed_stops_when_a_wake_and_the_stop_arrive_together(app_env: AppEnv) -> None:
    async def start_then_stop() -> bool:
        feed = EventFeed(app_env.ctx.db, "Asia/Beirut", poll_s=30.0)
        await feed.start()
        await asyncio.sleep(0.05)  # the poller is now inside wait_for(wake.wait(), poll_s)
        assert feed._wake is not None and feed._task is not None
        feed._wake.set()  # a commit's notify in the same loop step as the stop's cancel
        stopping = asyncio.create_task(feed.stop())
        done, _ = await asyncio.wait({stopping}, timeout=5)  # asyncio.wait cancels nothing
        if not done:  # the poller ran on: end it so the test itself can finish
            feed._task.cancel()
            await asyncio.wait({stopping}, timeout=5)
        return bool(done)

    assert asyncio.run(start_then_stop())


def test_stop_returns_only_once_a_read_running_in_its_thread_is_done(
    app_env: AppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancelling the poller does not stop a read already running in its worker thread; the
    server closes the database right after ``stop``, so ``stop`` must wait for that read."""
    reading, finished = threading.Event(), threading.Event()
    query = events_module.public_events_after

    def slow_query(*args: Any) -> Any:  # the real query, taking a while in the poller's thread
        reading.set()
        time.sleep(0.5)
        rows = query(*args)
        finished.set()
        return rows

    monkeypatch.setattr(events_module, "public_events_after", slow_query)

    async def stop_during_a_read() -> bool:
        feed = EventFeed(app_env.ctx.db, "Asia/Beirut", poll_s=30.0)
        await feed.start()
        feed.notify()
        assert await asyncio.to_thread(reading.wait, 5), "the poller never read"
        await feed.stop()
        return finished.is_set()

    assert asyncio.run(stop_during_a_read())


def test_stop_waits_for_the_dashboards_alert_read_and_none_starts_after(
    app_env: AppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dashboard's alert wait reads the database in its own worker thread: guarded by the feed,
    ``stop`` waits for that read, and a wait that goes on after ``stop`` reads nothing more."""
    from server.store import reprints as alert_reads
    from server.usecases import silent_alarm

    reading, finished = threading.Event(), threading.Event()
    reads_after_stop: list[float] = []
    newest = alert_reads.newest_alert_id
    stopped_at: list[float] = []

    def slow_newest(db: Any) -> int:
        if stopped_at:
            reads_after_stop.append(time.monotonic())
        reading.set()
        time.sleep(0.5)
        value = newest(db)
        finished.set()
        return value

    monkeypatch.setattr(alert_reads, "newest_alert_id", slow_newest)

    async def stop_during_a_wait() -> tuple[bool, str]:
        feed = EventFeed(app_env.ctx.db, "Asia/Beirut", poll_s=30.0)
        await feed.start()
        waiting = asyncio.create_task(
            silent_alarm.wait_for_alerts(
                app_env.ctx, 10**9, lambda: feed.closed or feed.stopping, feed.read_guarded
            )
        )
        assert await asyncio.to_thread(reading.wait, 5), "the wait never read"
        await feed.stop()
        done = finished.is_set()
        stopped_at.append(time.monotonic())
        try:
            await asyncio.wait_for(waiting, 5)
            outcome = "answered"
        except Exception as exc:  # the stopping server answers 503, not an empty list
            outcome = getattr(exc, "code", type(exc).__name__)
        return done, outcome

    done, outcome = asyncio.run(stop_during_a_wait())
    assert done, "stop returned while the alert read still ran"
    assert outcome == "storage_unavailable"
    assert reads_after_stop == []
