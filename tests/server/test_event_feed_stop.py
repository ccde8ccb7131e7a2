"""The live feed's poller stops even when a commit's wake lands with the stop (Python 3.11's
``asyncio.wait_for`` swallows a cancel that arrives as its wait completes)."""

from __future__ import annotations

import asyncio

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
