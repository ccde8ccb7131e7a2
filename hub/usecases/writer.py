"""The hub writer: one asyncio task per center, pulling its events into PostgreSQL.

Each task owns a NATS connection (the center's inbox prefix), a durable pull consumer on the
center's leaf, and its own PostgreSQL connection, so a stopped, unreachable or slow center never
holds up another. Per round: fetch up to ``batch`` messages, hand them to
:func:`hub.usecases.intake.take_batch` (one transaction, in a worker thread so the other
centers' tasks run meanwhile), then acknowledge what it says, after the commit. The batch's
transaction also records the leaf stream position of its last message dealt with; whenever the
task (re)opens a center's feed, the consumer is made anew from just after that position, so
nothing the transport half-delivered before a failure can arrive out of order.

Failures are expected and survived: the leaf or the link away (the fetch fails or times out;
retried), the hub's nats-server restarted (nats-py reconnects), PostgreSQL restarted (the
connection is made again; nothing was acknowledged, so everything comes back). The truth is
always the hub's own head, never the transport's counters.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

import psycopg
from nats.aio.client import Client as NATS
from nats.errors import Error as NatsError

from hub.store import centers
from hub.store.database import connect as connect_db
from hub.usecases.intake import BatchResult, Message, take_batch
from hub.usecases.leaf import LeafFeed, connect, stream_seq

log = logging.getLogger("nafitha.hub")


@dataclass(frozen=True)
class WriterOptions:
    nats_url: str
    writer_password: str
    dsn: str
    batch: int = 500
    fetch_timeout_s: float = 1.0
    retry_s: float = 1.0
    leaf_check_s: float = 5.0


@dataclass
class CenterProgress:
    """What one center's task has done since it started (for logs, tests and benchmarks)."""

    batches: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    failures: int = 0
    last_error: str = ""  # the failure being waited out ("" once intake goes again)
    stopped: bool = False


@dataclass
class Writer:
    """The writer for ``centers``; :meth:`run` until ``stop`` is set."""

    options: WriterOptions
    center_ids: Sequence[str]
    clock: Callable[[], float] = time.time
    progress: dict[str, CenterProgress] = field(default_factory=dict)
    _checked: dict[str, float] = field(default_factory=dict)  # when each leaf was last asked

    async def run(self, stop: asyncio.Event) -> None:
        tasks = [
            asyncio.create_task(self.run_center(c, stop), name=f"hub-writer-{c}")
            for c in self.center_ids
        ]
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def run_center(self, center: str, stop: asyncio.Event) -> None:
        """One center, until ``stop``: every failure is logged, waited out and retried."""
        progress = self.progress.setdefault(center, CenterProgress())
        db: psycopg.Connection | None = None
        nc: NATS | None = None
        feed: LeafFeed | None = None
        confirming = False  # the last batch met a gap: read again before believing it
        while not stop.is_set():
            try:
                if db is None or db.closed:
                    db = await asyncio.to_thread(connect_db, self.options.dsn)
                if nc is None or nc.is_closed:
                    nc = await connect(self.options.nats_url, self.options.writer_password, center)
                status = await asyncio.to_thread(centers.status_of, db, center)
                if status == "stopped":
                    # Idle until ``nafitha hub resume`` (which also sets the stream position
                    # back to the start: the consumer is then made anew from there).
                    progress.stopped = True
                    if feed is not None:
                        await feed.close()
                        feed = None
                    await _wait(stop, self.options.retry_s)
                    continue
                progress.stopped = False
                if feed is None:
                    position = await asyncio.to_thread(centers.stream_position, db, center)
                    feed = LeafFeed(nc, center)
                    await feed.open(start_after=position)
                    await self._check_leaf(db, feed, center)
                result = await self._round(db, nc, feed, center, progress, confirming)
                if progress.last_error:
                    log.warning("hub writer %s: intake going again", center)
                    progress.last_error = ""
                if result is not None:
                    confirming = result.gap_to_confirm is not None
                    if confirming:
                        log.warning(
                            "hub writer %s: %s; reading again", center, result.gap_to_confirm.detail
                        )
                        await feed.close()
                        feed = None
            except (NatsError, TimeoutError, OSError, psycopg.Error) as exc:
                progress.failures += 1
                error = f"{type(exc).__name__}: {exc}"
                # One line when a failure starts (or changes), not one per retry while a leaf
                # stays away for hours.
                level = logging.DEBUG if error == progress.last_error else logging.WARNING
                log.log(level, "hub writer %s: %s; retrying", center, error)
                progress.last_error = error
                if feed is not None:
                    await feed.close()
                feed = None
                if db is not None and (db.closed or isinstance(exc, psycopg.OperationalError)):
                    db.close()
                    db = None
                await _wait(stop, self.options.retry_s)
            except Exception as exc:  # a bug must not end this center's intake for good
                progress.failures += 1
                progress.last_error = f"{type(exc).__name__}: {exc}"
                log.exception("hub writer %s: unexpected failure; retrying", center)
                if feed is not None:
                    await feed.close()
                feed = None
                await _wait(stop, self.options.retry_s * 5)
        if feed is not None:
            await feed.close()
        if nc is not None and not nc.is_closed:
            await nc.close()
        if db is not None:
            db.close()

    async def _round(
        self,
        db: psycopg.Connection,
        nc: NATS,
        feed: LeafFeed,
        center: str,
        progress: CenterProgress,
        confirming: bool,
    ) -> BatchResult | None:
        """One fetch and its batch; the batch's result (None: nothing came)."""
        msgs = await feed.fetch(self.options.batch, self.options.fetch_timeout_s)
        now = self.clock()
        if now - self._checked.get(center, 0.0) >= self.options.leaf_check_s:
            await self._check_leaf(db, feed, center)
        if not msgs:
            return None
        batch = [Message(m.data, stream_seq(m)) for m in msgs]
        result: BatchResult = await asyncio.to_thread(
            partial(take_batch, gap_is_final=confirming), db, center, batch, now
        )
        if result.acked:
            await msgs[result.acked - 1].ack()  # AckPolicy.ALL: the batch's prefix at once
        # The rest (a stop or a gap to read again) is never nak'ed: the feed is closed and the
        # consumer made anew from the hub's recorded position before anything more is read.
        await nc.flush(timeout=5)
        progress.batches += 1
        progress.accepted += result.accepted
        progress.duplicates += result.duplicates
        progress.rejected += result.rejected
        if result.rejected:
            log.warning(
                "hub writer %s: %d malformed or foreign messages kept in 'rejected' (alarmed)",
                center,
                result.rejected,
            )
        if result.stopped is not None:
            progress.stopped = True
            log.error(
                "hub writer %s: intake stopped (%s): %s",
                center,
                result.stopped.outcome,
                result.stopped.detail,
            )
        return result

    async def _check_leaf(self, db: psycopg.Connection, feed: LeafFeed, center: str) -> None:
        """Record the leaf's newest relayed event (the lag figures) and the contact it proves."""
        now = self.clock()
        last = await feed.last_relayed()
        self._checked[center] = now
        await asyncio.to_thread(centers.record_leaf, db, center, last.seq, last.at, now)


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
