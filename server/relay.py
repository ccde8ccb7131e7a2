"""The relay: a center's committed events, in order, into its leaf nats-server (docs/national.md).

A thread of ``nafitha server`` when the settings have a ``[national]`` table (one per database:
a lock file beside it, the first process wins, the others stand by). It never blocks a request:
SQLite is the truth, the relay follows it. Loop: resume point = the ``Nafitha-Seq`` of the leaf
stream's last message (0 when empty); read events after it; publish them in windows with
``Nats-Msg-Id = <center>:<seq>`` (the leaf drops a resend within its duplicate window, the hub
drops older ones by seq and hash); advance only over a run of acks without a hole; on any error
reconnect with a backoff and resume from the lower of the leaf's last and the last acked run.
Woken after commits (``wake``) and every ``event_poll_s`` seconds for the other writes and
the other worker processes' events.

``nats`` (nats-py) is imported only here, so a server without ``[national]`` never loads it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlite_utils
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from nafitha.national import wire
from nafitha.national.nats import RELAY_USER
from server.config import NationalSettings
from server.process_lock import try_lock
from server.store import relay as store

log = logging.getLogger("nafitha.relay")

POLL_S = 0.25  # look for events written by other worker processes (the server passes event_poll_s)
WINDOW = 1024  # publishes in flight before waiting for their acks (256: 6,300/s, 1024: 7,900/s)
ACK_TIMEOUT_S = 10.0
DUPLICATE_WINDOW_S = 120.0
LOCK_RETRY_S = 5.0
MAX_BACKOFF_S = 10.0

Reader = Callable[[], sqlite_utils.Database]


class RelayFailed(Exception):
    """A window failed; ``acked`` is the last seq of the run acked without a hole."""

    def __init__(self, acked: int, cause: BaseException) -> None:
        super().__init__(f"{type(cause).__name__}: {cause}")
        self.acked = acked


async def _quiet(exc: Exception) -> None:
    """nats-py's own report of a connection error: a line at debug level, never a traceback."""
    log.debug("nats: %s: %s", type(exc).__name__, exc)


async def connect_leaf(national: NationalSettings) -> NatsClient:
    """A connection to the center's leaf as the relay user; fails fast, no reconnect loop."""
    client = NatsClient()
    try:
        await client.connect(
            national.leaf_url,
            user=RELAY_USER,
            password=national.relay_password,
            connect_timeout=2,
            allow_reconnect=False,
            max_reconnect_attempts=1,  # 0 would mean "for ever"
            reconnect_time_wait=0.2,
            error_cb=_quiet,
            name=f"nafitha-relay-{national.center}",
        )
    except BaseException:
        transport = getattr(client, "_transport", None)  # nats-py leaves it open on a refusal
        if transport is not None:
            transport.close()
        raise
    return client


async def ensure_stream(js: JetStreamContext, center: str) -> None:
    """Create the leaf's EVENTS stream if it is missing (its settings: docs/national.md)."""
    try:
        await js.stream_info(wire.STREAM)
    except NotFoundError:
        await js.add_stream(
            StreamConfig(
                name=wire.STREAM,
                subjects=[wire.subject(center)],
                storage=StorageType.FILE,
                duplicate_window=DUPLICATE_WINDOW_S,
                max_msg_size=wire.MAX_MESSAGE_BYTES,
                discard=DiscardPolicy.NEW,
            )
        )


async def leaf_last(js: JetStreamContext) -> tuple[int, str | None]:
    """(seq, hash) of the last event the leaf stream holds; (0, None) when it is empty."""
    info = await js.stream_info(wire.STREAM)
    if not info.state.messages:
        return 0, None
    msg = await js.get_msg(wire.STREAM, seq=info.state.last_seq)
    seq = int((msg.headers or {}).get(wire.SEQ_HEADER, 0))
    try:
        body = json.loads(msg.data or b"{}")
    except ValueError:
        body = {}
    return seq or int(body.get("seq", 0)), body.get("hash")


async def publish_rows(
    js: JetStreamContext,
    center: str,
    rows: list[dict[str, Any]],
    personal: dict[int, dict[str, str]],
    after: int,
) -> tuple[int, int]:
    """Publish ``rows`` (consecutive, after seq ``after``): (last seq acked, duplicates).

    Raises :class:`RelayFailed` with the last seq of the unbroken run of acks.
    """
    subject = wire.subject(center)
    acked, duplicates = after, 0
    futures: list[asyncio.Future] = []
    try:
        for row in rows:
            body = wire.encode(center, row, personal.get(row["id"]))
            headers = {
                "Nats-Msg-Id": wire.msg_id(center, row["id"]),
                wire.SEQ_HEADER: str(row["id"]),
            }
            futures.append(await js.publish_async(subject, body, headers=headers))
        done, _ = await asyncio.wait(futures, timeout=ACK_TIMEOUT_S)
        for row, future in zip(rows, futures, strict=True):
            if future not in done:
                raise TimeoutError(f"no ack for event {row['id']} in {ACK_TIMEOUT_S:.0f}s")
            ack = future.result()  # raises the leaf's refusal
            duplicates += bool(ack.duplicate)
            acked = row["id"]
    except Exception as exc:
        for future in futures:
            if not future.done():
                future.cancel()
            elif not future.cancelled():
                future.exception()  # retrieved: no "exception was never retrieved" noise
        raise RelayFailed(acked, exc) from exc
    return acked, duplicates


async def republish(read: Reader, national: NationalSettings, first: int) -> tuple[int, int]:
    """Publish every event from seq ``first`` to the newest: (published, of which duplicates)."""
    client = await connect_leaf(national)
    try:
        js = client.jetstream(timeout=5)
        await ensure_stream(js, national.center)
        point, sent, duplicates = max(0, first - 1), 0, 0
        while rows := store.events_after(read(), point, WINDOW):
            parts = store.personal_parts(read(), rows)
            point, dup = await publish_rows(js, national.center, rows, parts, point)
            sent, duplicates = sent + len(rows), duplicates + dup
        return sent, duplicates
    finally:
        await client.close()


class Relay:
    """The relay thread of one server process (started by the app's lifespan)."""

    def __init__(
        self, read: Reader, national: NationalSettings, lock_path: Path, poll_s: float = POLL_S
    ) -> None:
        self.read = read
        self.national = national
        self.lock_path = lock_path
        self.poll_s = poll_s
        self._stop = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._stopping: asyncio.Event | None = None
        self._lock_fd: int | None = None
        self._acked: int | None = None  # last seq acked by the leaf without a hole, this run
        self._state_lock = threading.Lock()
        self._state: dict[str, Any] = {
            "center": national.center,
            "state": "starting",
            "relayed": None,
            "pending": None,
            "error": None,
            "error_at": None,
        }
        self._thread = threading.Thread(target=self._run, name="national-relay", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self.wake()
        self._signal(self._stopping)
        if self._thread.is_alive():
            self._thread.join(timeout)
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None
        self._set(state="stopped")

    def wake(self) -> None:
        """Look for new events now (called after a commit; any thread)."""
        self._signal(self._wake)

    def _signal(self, event: asyncio.Event | None) -> None:
        loop = self._loop
        if loop is not None and event is not None:
            with contextlib.suppress(RuntimeError):  # the loop just closed
                loop.call_soon_threadsafe(event.set)

    def status(self) -> dict[str, Any]:
        """For health: state, last relayed seq, events still to relay, the last error."""
        with self._state_lock:
            return dict(self._state)

    def _set(self, **values: Any) -> None:
        with self._state_lock:
            self._state.update(values)

    def _failed(self, why: str, exc: BaseException) -> None:
        text = f"{why}: {type(exc).__name__}: {exc}".strip()
        if self.status()["error"] != text:  # once per distinct error, not once per retry
            log.warning("national relay: %s", text)
        pending = None
        if self._acked is not None:
            with contextlib.suppress(Exception):
                pending = store.count_after(self.read(), self._acked)
        self._set(state="disconnected", error=text, error_at=time.time(), pending=pending)

    def _take_lock(self) -> bool:
        self._lock_fd = try_lock(self.lock_path)
        return self._lock_fd is not None

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except Exception as exc:
            log.exception("the national relay stopped")
            self._set(state="failed", error=f"{type(exc).__name__}: {exc}", error_at=time.time())

    async def _pause(self, seconds: float) -> None:
        """Sleep ``seconds``, or less if woken or stopped."""
        assert self._wake is not None
        if self._stop.is_set():
            return
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()

    async def _main(self) -> None:
        self._wake, self._stopping = asyncio.Event(), asyncio.Event()
        self._loop = asyncio.get_running_loop()
        if self._stop.is_set():
            return
        while not self._stop.is_set() and not self._take_lock():
            self._set(state="standby")  # another process of this database relays
            await self._pause(LOCK_RETRY_S)
        backoff = 0.5
        while not self._stop.is_set():
            try:
                await self._session()
                backoff = 0.5
            except RelayFailed as failed:
                self._acked = failed.acked
                self._failed("publishing", failed.__cause__ or failed)
            except Exception as exc:
                self._failed("leaf", exc)
            if not self._stop.is_set():  # not woken by commits: only a stop ends the wait
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_S)

    async def _resume_point(self, js: JetStreamContext) -> int:
        seq, leaf_hash = await leaf_last(js)
        mine = store.last_event(self.read())
        if mine is None or mine[0] < seq:
            log.error(
                "national relay: the leaf holds events up to %d, this database up to %d"
                " (a restored backup?); relaying from %d, the hub will see the fork",
                seq,
                mine[0] if mine else 0,
                mine[0] if mine else 0,
            )
            seq = mine[0] if mine else 0
        elif seq and leaf_hash and store.hash_at(self.read(), seq) != leaf_hash:
            log.error("national relay: event %d differs from the leaf's copy", seq)
        if self._acked is not None:
            seq = min(seq, self._acked)
        return seq

    async def _session(self) -> None:
        client = await connect_leaf(self.national)
        try:
            js = client.jetstream(timeout=5)
            await ensure_stream(js, self.national.center)
            point = await self._resume_point(js)
            self._acked = point
            if self.status()["error"]:
                log.warning("national relay: connected again, relaying after seq %d", point)
            self._set(state="connected", relayed=point, error=None, error_at=None)
            while not self._stop.is_set():
                rows = store.events_after(self.read(), point, WINDOW)
                if not rows:
                    self._set(pending=0)
                    await self._pause(self.poll_s)
                    if not client.is_connected:
                        raise ConnectionError("the leaf closed the connection")
                    continue
                parts = store.personal_parts(self.read(), rows)
                point, _ = await publish_rows(js, self.national.center, rows, parts, point)
                self._acked = point
                self._set(relayed=point, pending=store.count_after(self.read(), point))
        finally:
            with contextlib.suppress(Exception):
                await client.close()


def relay_lock_path(db: Path) -> Path:
    """The lock file that makes one process per database the relay."""
    return db.with_name(db.name + ".relay.lock")


__all__ = ["Relay", "RelayFailed", "relay_lock_path", "republish"]
