"""The hub's side of one center's leaf: a connection, the durable pull consumer, the last event.

The writer pulls each center's events straight from the stream on that center's leaf, through
the leaf link (option B, docs/national.md): the JetStream API of a center is reached as the
domain ``center-<id>`` on the hub's own nats-server. The durable consumer ``hub-writer`` lives on
the leaf's disk, so it survives the hub and the link going away. Each center gets its own
connection with its own inbox prefix (the hub's nats-server lets only that center's leaf answer
into it: :func:`nafitha.national.nats.writer_inbox`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass

import nats
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from nafitha.national.nats import WRITER_USER, writer_inbox
from nafitha.national.wire import HUB_CONSUMER, SEQ_HEADER, STREAM, domain, subject

log = logging.getLogger("nafitha.hub")

ACK_WAIT_S = 30.0
MAX_ACK_PENDING = 20_000


@dataclass(frozen=True)
class LastRelayed:
    """The newest event in a center's leaf stream: its seq (0: empty stream), time and hash."""

    seq: int
    at: float | None
    hash: str | None = None


async def _quiet(exc: Exception) -> None:
    """nats-py reports every failed reconnect; the writer logs its own, shorter, lines."""
    log.debug("nats: %s", exc)


async def connect(
    url: str, password: str, center: str, timeout: float = 2.0, *, reconnect: bool = True
) -> NATS:
    """A connection to the hub's nats-server for ``center``'s intake (its own inbox prefix).

    ``reconnect=False`` for a one-off question (``hub status``, ``hub verify``): it fails at once
    when the server is away, where the writer's connection keeps trying for ever.
    """
    return await nats.connect(
        url,
        user=WRITER_USER,
        password=password,
        inbox_prefix=writer_inbox(center).encode(),
        connect_timeout=timeout,
        reconnect_time_wait=0.5,
        max_reconnect_attempts=-1 if reconnect else 1,  # 0 would mean "for ever"
        allow_reconnect=reconnect,
        error_cb=_quiet,
        name=f"hub-writer-{center}",
    )


class LeafFeed:
    """The stream of one center's leaf, read through the durable consumer ``hub-writer``."""

    def __init__(self, nc: NATS, center: str) -> None:
        self.center = center
        self.js = nc.jetstream(domain=domain(center))
        self._sub: object | None = None
        self._ahead: asyncio.Task[list[Msg]] | None = None  # the next batch, on its way

    async def open(self, start_after: int) -> None:
        """(Re)create the durable consumer to deliver from just after stream seq ``start_after``
        (the hub's own record of where it is: :func:`hub.store.centers.stream_position`).

        The consumer is made anew each time rather than trusted: after a crash its acks may be
        lost (docs/national.md, fact 6), and messages fetched by a batch that failed stay pending
        until ``ack_wait``, so a reused consumer would hand out later messages first and the hub
        would see a false gap. If the stream now ends before ``start_after``, it was recreated:
        it is read from its start and the hub's seq check skips what it holds.
        """
        with contextlib.suppress(NotFoundError):
            await self.js.delete_consumer(STREAM, HUB_CONSUMER)
        policy, start = DeliverPolicy.ALL, None
        if start_after > 0:
            info = await self.js.stream_info(STREAM)
            if start_after <= (info.state.last_seq or 0):
                policy, start = DeliverPolicy.BY_START_SEQUENCE, start_after + 1
        config = ConsumerConfig(
            durable_name=HUB_CONSUMER,
            deliver_policy=policy,
            opt_start_seq=start,
            # one ack per batch (its last message acknowledges all before it): acking each of
            # hundreds of messages one by one cost about as much as storing them
            ack_policy=AckPolicy.ALL,
            ack_wait=ACK_WAIT_S,
            max_ack_pending=MAX_ACK_PENDING,
            max_deliver=-1,
        )
        self._sub = await self.js.pull_subscribe(
            subject(self.center), durable=HUB_CONSUMER, stream=STREAM, config=config
        )

    async def fetch(self, batch: int, timeout: float) -> list[Msg]:
        """Up to ``batch`` messages, in stream order; empty when none came within ``timeout``.

        While messages flow, the next batch is asked for at once (read ahead), so it crosses the
        link while the writer stores this one; it follows this batch in the stream, and is
        dropped with the feed if this batch fails (the consumer is then made anew).
        """
        assert self._sub is not None, "open() first"
        ahead, self._ahead = self._ahead, None
        msgs = await (ahead if ahead is not None else self._pull(batch, timeout))
        if msgs:
            self._ahead = asyncio.create_task(self._pull(batch, timeout))
        return msgs

    async def _pull(self, batch: int, timeout: float) -> list[Msg]:
        assert self._sub is not None
        try:
            return await self._sub.fetch(batch, timeout=timeout)  # type: ignore[attr-defined]
        except TimeoutError:
            return []

    async def close(self) -> None:
        if self._ahead is not None:
            self._ahead.cancel()
            with contextlib.suppress(BaseException):
                await self._ahead
            self._ahead = None
        if self._sub is not None:
            try:
                await self._sub.unsubscribe()  # type: ignore[attr-defined]
            except Exception as exc:
                log.debug("unsubscribe %s: %s", self.center, exc)
            self._sub = None

    async def last_relayed(self) -> LastRelayed:
        """What the center's relay has put in its leaf stream so far."""
        return await last_relayed(self.js, self.center)


async def last_relayed(js: object, center: str) -> LastRelayed:
    """The newest message of ``center``'s leaf stream (``js`` in that center's domain)."""
    try:
        raw = await js.get_last_msg(STREAM, subject(center))  # type: ignore[attr-defined]
    except NotFoundError:
        return LastRelayed(0, None)
    headers = raw.headers or {}
    seq = int(headers.get(SEQ_HEADER, 0) or 0)
    at = digest = None
    try:
        body = json.loads(raw.data or b"{}")
        if isinstance(body, dict):
            at = float(body["at"]) if "at" in body else None
            digest = str(body["hash"]) if "hash" in body else None
            seq = seq or int(body.get("seq", 0))
    except (ValueError, TypeError):
        pass
    return LastRelayed(seq, at, digest)


def stream_seq(msg: Msg) -> int | None:
    """Where ``msg`` sits in the leaf's stream (kept with a rejected message), when it says."""
    try:
        return msg.metadata.sequence.stream
    except (ValueError, IndexError, AttributeError):
        return None
