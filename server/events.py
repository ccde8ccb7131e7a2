"""The live stream's source: public events of the log, fanned out to every SSE subscriber.

One background task per process watches the event log (woken at once by this process's commits,
and every ``poll_s`` seconds for the commits of other worker processes), keeps the recent public
events in memory, and wakes the subscribers. A client reconnecting with ``Last-Event-ID`` resumes
from the log itself, so no call is missed even across a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from server.store.database import Database
from server.usecases.ticket_view import iso

BATCH = 500


@dataclass(frozen=True)
class PublicEvent:
    id: int
    kind: str
    data: dict[str, Any]


class EventFeed:
    def __init__(self, db: Database, timezone: str, poll_s: float = 0.25, keep: int = 2000):
        self.db = db
        self.timezone = timezone
        self.poll_s = poll_s
        self.recent: deque[PublicEvent] = deque(maxlen=keep)
        self.last_id = 0
        self._wake: asyncio.Event | None = None
        self._changed: asyncio.Condition | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self._closing: asyncio.Future[None] | None = None

    def fetch_after(self, after: int, limit: int = BATCH) -> list[PublicEvent]:
        rows = self.db.read().execute(
            "SELECT id, kind, at, public FROM events WHERE id > ? AND public IS NOT NULL"
            " ORDER BY id LIMIT ?",
            [after, limit],
        )
        return [
            PublicEvent(
                r[0], r[1], {"kind": r[1], "at": iso(r[2], self.timezone), **json.loads(r[3])}
            )
            for r in rows
        ]

    def head(self) -> int:
        row = self.db.read().execute("SELECT max(id) FROM events").fetchone()
        return row[0] or 0

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._changed = asyncio.Condition()
        self.last_id = await asyncio.to_thread(self.head)
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def close(self) -> None:
        """The server is stopping: end every live stream now (safe from a signal handler).

        A stream never ends by itself, and the server's graceful stop waits for open answers to
        finish: without this, a board left open would keep a stopping server alive for ever.
        """
        if self._loop is not None:
            with contextlib.suppress(RuntimeError):  # loop closed at shutdown
                self._loop.call_soon_threadsafe(self._end_streams)

    def _end_streams(self) -> None:
        self._closed = True
        self._closing = asyncio.ensure_future(self._wake_subscribers())

    async def _wake_subscribers(self) -> None:
        if self._changed is not None:
            async with self._changed:
                self._changed.notify_all()

    def notify(self) -> None:
        """Thread-safe: something was committed; look now rather than at the next poll."""
        if self._loop is not None and self._wake is not None:
            with contextlib.suppress(RuntimeError):  # loop closed at shutdown
                self._loop.call_soon_threadsafe(self._wake.set)

    async def _run(self) -> None:
        assert self._wake is not None and self._changed is not None
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_s)
            self._wake.clear()
            while True:
                events = await asyncio.to_thread(self.fetch_after, self.last_id)
                if not events:
                    break
                self.recent.extend(events)
                self.last_id = events[-1].id
                async with self._changed:
                    self._changed.notify_all()

    async def subscribe(self, after: int | None) -> AsyncIterator[PublicEvent]:
        """Public events after id ``after`` (from now when None), until the server stops."""
        assert self._changed is not None
        position = self.last_id if after is None else after
        while not self._closed:
            if self.recent and position >= self.recent[0].id - 1:
                pending = [e for e in self.recent if e.id > position]
            else:
                pending = await asyncio.to_thread(self.fetch_after, position)
            if pending:
                for event in pending:
                    yield event
                position = pending[-1].id
                continue
            async with self._changed:
                # re-checked under the lock: an event or the stop may have come meanwhile
                if not self._closed and (not self.recent or self.recent[-1].id <= position):
                    await self._changed.wait()
