"""The live stream's source: public events of the log, fanned out to every SSE subscriber.

One background task per process watches the event log (woken at once by this process's commits,
and every ``poll_s`` seconds for the commits of other worker processes), keeps the last ``keep``
public events in memory, each already encoded for the wire, and wakes the subscribers. A client
reconnecting with ``Last-Event-ID`` resumes from memory, so no call is missed across a short loss
of the link or a restart (the feed reloads the last events when it starts).

The replay is bounded on purpose: a resume from further back than what is kept (or from an id the
log never had) gets one ``reset`` event instead of the old events, and the client reloads its
state (the board, the phone page and the counter already do on any event). Replaying the whole
log for anyone who asks ``after=0`` let one anonymous request cost seconds of CPU at 100k events.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from server.store.database import Database
from server.store.event_feed import Row, head_id, latest_public_events, public_events_after
from server.usecases.ticket_view import iso

T = TypeVar("T")

BATCH = 500
KEEPALIVE = b": keepalive\n\n"
# Subscribers are woken at most this often: a hall of a thousand streams costs one round of
# writes per interval however many commits fall in it (a quiet center's event still goes at once).
FANOUT_INTERVAL_S = 0.1


@dataclass(frozen=True)
class PublicEvent:
    id: int
    kind: str
    data: dict[str, Any]
    wire: bytes  # the SSE encoding, made once for all subscribers


def encode(event_id: int, kind: str, data: dict[str, Any]) -> bytes:
    """One SSE message: ``id``, ``event`` (the kind) and one line of JSON ``data``."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event_id}\nevent: {kind}\ndata: {payload}\n\n".encode()


def reset_message(head: int) -> bytes:
    """Tells a client its position cannot be replayed: reload the state, follow on from ``head``."""
    return encode(head, "reset", {"kind": "reset", "last_event_id": head})


class EventFeed:
    def __init__(
        self,
        db: Database,
        timezone: str,
        poll_s: float = 0.25,
        keep: int = 2000,
        keepalive_s: float = 15.0,
    ):
        self.db = db
        self.timezone = timezone
        self.poll_s = poll_s
        self.keepalive_s = keepalive_s
        self.recent: deque[PublicEvent] = deque(maxlen=keep)
        # Every public event with an id above ``floor`` is in ``recent``.
        self.floor = 0
        self.last_id = 0
        self._wake: asyncio.Event | None = None
        # One future per waiting subscriber, resolved when new events are kept, at a keep-alive
        # tick, or when the server stops: a wake costs no lock and no timer per subscriber.
        self._waiters: set[asyncio.Future[None]] = set()
        self._announced = 0.0  # loop time of the last wake
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self._stopping = False
        # Held by each read of the log in a worker thread. Cancelling the poller does not stop a
        # read already running in its thread: ``stop`` waits for it, or the database would be
        # closed under a query (a crash in SQLite's C code, seen at an in-process shutdown).
        self._reading = threading.Lock()

    def _event(self, row: Row) -> PublicEvent:
        event_id, kind, at, public = row
        data = {"kind": kind, "at": iso(at, self.timezone), **json.loads(public)}
        return PublicEvent(event_id, kind, data, encode(event_id, kind, data))

    def fetch_after(self, after: int, limit: int = BATCH) -> list[PublicEvent]:
        with self._reading:
            if self._stopping:
                return []
            return [self._event(r) for r in public_events_after(self.db.read(), after, limit)]

    def head(self) -> int:
        with self._reading:
            if self._stopping:
                return self.last_id
            return head_id(self.db.read())

    def _load(self) -> None:
        """The last ``keep`` public events and the log's head, read once at start."""
        rows = latest_public_events(self.db.read(), self.recent.maxlen or 0)
        self.recent.extend(self._event(r) for r in rows)
        if len(self.recent) == self.recent.maxlen:
            self.floor = self.recent[0].id - 1
        self.last_id = self.head()

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        await asyncio.to_thread(self._load)
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """End the poller. Cancelling alone is not enough on Python 3.11: ``asyncio.wait_for``
        swallows a cancel that lands as its wait completes (a commit's wake at shutdown), and the
        loop would run on for ever; the flag ends it at its next turn whatever happens to the
        cancel."""
        self._stopping = True
        if self._task is not None:
            if self._wake is not None:
                self._wake.set()
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await asyncio.to_thread(self._wait_for_reads)

    def read_guarded(self, read: Callable[[], T], stopped: T) -> T:
        """``read()`` (a read of the database, in a worker thread) guarded as the feed's own reads
        are: ``stop`` waits for it, and once stopping none starts (``stopped`` is returned).

        For other long waits on the log's database (the dashboard's alert wait)."""
        with self._reading:
            if self._stopping:
                return stopped
            return read()

    @property
    def stopping(self) -> bool:
        """Whether ``stop`` has begun (the database is about to close)."""
        return self._stopping

    def _wait_for_reads(self) -> None:
        """Return once no read of the log runs (none starts after ``_stopping``)."""
        with self._reading:
            pass

    @property
    def closed(self) -> bool:
        """Whether the server is stopping (long waits, e.g. the dashboard's, end early)."""
        return self._closed

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
        self._announce()

    def _announce(self) -> None:
        """Wake every waiting subscriber (on the event loop's thread)."""
        waiters, self._waiters = self._waiters, set()
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)
        if self._loop is not None:
            self._announced = self._loop.time()

    def notify(self) -> None:
        """Thread-safe: something was committed; look now rather than at the next poll."""
        if self._loop is not None and self._wake is not None:
            with contextlib.suppress(RuntimeError):  # loop closed at shutdown
                self._loop.call_soon_threadsafe(self._wake.set)

    async def _run(self) -> None:
        assert self._wake is not None and self._loop is not None
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_s)
            since = self._loop.time() - self._announced
            if since < FANOUT_INTERVAL_S:  # gather what else comes before waking everyone
                await asyncio.sleep(FANOUT_INTERVAL_S - since)
            self._wake.clear()
            if since >= self.keepalive_s:
                self._announce()  # a tick: subscribers with nothing new send a keep-alive
            while True:
                events = await asyncio.to_thread(self.fetch_after, self.last_id)
                if not events:
                    break
                self.recent.extend(events)
                if len(self.recent) == self.recent.maxlen:
                    self.floor = self.recent[0].id - 1
                self.last_id = max(self.last_id, events[-1].id)
                self._announce()

    def _since(self, position: int) -> list[PublicEvent]:
        """The kept events after ``position``, found from the newest end (cost: what is new)."""
        pending: list[PublicEvent] = []
        for event in reversed(self.recent):
            if event.id <= position:
                break
            pending.append(event)
        pending.reverse()
        return pending

    async def _replayable(self, after: int) -> bool:
        """Can a client that saw event ``after`` be brought up to date from memory?"""
        if after < self.floor:
            return False
        if after > self.last_id:  # maybe written by another worker a moment ago; else unknown
            return after <= await asyncio.to_thread(self.head)
        return True

    async def subscribe(self, after: int | None) -> AsyncIterator[bytes]:
        """SSE bytes: events after id ``after`` (from now when None) until the server stops.

        A position that cannot be replayed (too old, unknown to the log, or left behind by a
        client reading slower than events come) gets a ``reset`` message and goes on from the
        head. A comment line every ``keepalive_s`` seconds keeps proxies and dead links honest.
        """
        assert self._loop is not None
        position = self.last_id if after is None else after
        if after is not None and not await self._replayable(after):
            yield reset_message(self.last_id)
            position = self.last_id
        while not self._closed:
            if position < self.floor:
                yield reset_message(self.last_id)
                position = self.last_id
                continue
            pending = self._since(position)
            if pending:
                yield b"".join(e.wire for e in pending)
                position = pending[-1].id
                continue
            # nothing new since the check above: it and this wait share one loop step
            waiter = self._loop.create_future()
            self._waiters.add(waiter)
            try:
                await waiter
            finally:
                self._waiters.discard(waiter)
            if not self._closed and (not self.recent or self.recent[-1].id <= position):
                yield KEEPALIVE  # woken by the tick
