"""The hub's one NATS connection to the centers' portal responders, kept open between requests.

A portal request is forwarded as a NATS request on ``nafitha.<center>.portal`` as the
``hub-portal`` user (hub/api/portal_forward.py). Opening a connection per request cost a TCP
and NATS handshake each time and, under a burst of citizens, one socket per request in flight;
one connection per hub process carries every request (NATS multiplexes them by inbox).

The connection is opened on first use and opened again after it dropped (the hub's nats-server
restarted): the request that finds it dropped is answered ``Unreachable`` like any cut link and the
next one reconnects. It belongs to the event loop that opened it; a request on another loop (a
test's second client) opens its own. :meth:`CenterLink.close` runs at the app's shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass
from typing import Any

CONNECT_TIMEOUT_S = 2


@dataclass(frozen=True)
class ForwardLink:
    """How this hub process reaches the centers: its nats-server and the forwarder's secret."""

    nats_url: str
    password: str
    timeout_s: float = 5.0


class Unreachable(Exception):
    """The center did not answer in time (or the hub's nats-server is not there)."""


async def _quiet(_exc: Exception) -> None:
    """NATS reports a dropped connection through this callback too: the request sees it."""


class CenterLink:
    """One lazily opened NATS connection for a hub process's forwarded requests."""

    def __init__(self, link: ForwardLink) -> None:
        self.link = link
        self.connects = 0  # how many connections were opened (tests, docs/benchmarks.md)
        self._client: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock: asyncio.Lock | None = None

    def _usable(self, loop: asyncio.AbstractEventLoop) -> bool:
        client = self._client
        return client is not None and self._loop is loop and client.is_connected

    async def _connected(self) -> Any:
        import nats
        from nats.errors import Error as NatsError

        from nafitha.national.nats import HUB_PORTAL_USER

        loop = asyncio.get_running_loop()
        if self._usable(loop):
            return self._client
        if self._lock is None or self._loop is not loop:
            self._lock, self._loop, self._client = asyncio.Lock(), loop, None
        async with self._lock:
            if self._usable(loop):
                return self._client
            await self._drop()
            try:
                self._client = await nats.connect(
                    self.link.nats_url,
                    user=HUB_PORTAL_USER,
                    password=self.link.password,
                    connect_timeout=CONNECT_TIMEOUT_S,
                    allow_reconnect=False,  # a dropped link is noticed by the next request
                    max_reconnect_attempts=1,
                    reconnect_time_wait=0.1,
                    error_cb=_quiet,
                    name="nafitha-hub-portal",
                )
            except (OSError, NatsError, TimeoutError) as exc:
                raise Unreachable(str(exc)) from None
            self.connects += 1
            return self._client

    async def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None and not client.is_closed:
            with contextlib.suppress(Exception):
                await client.close()

    async def ask(self, subject: str, body: dict[str, Any]) -> dict[str, Any]:
        """One request on ``subject`` and its decoded answer; :class:`Unreachable` otherwise."""
        from nats.errors import Error as NatsError

        client = await self._connected()
        data = json.dumps(body, ensure_ascii=False).encode()
        try:
            reply = await client.request(subject, data, timeout=self.link.timeout_s)
        except (NatsError, TimeoutError) as exc:  # no responders, timeout, connection closed
            raise Unreachable(type(exc).__name__) from None  # a dropped one: the next reconnects
        try:
            answer = json.loads(reply.data)
        except ValueError:
            raise Unreachable("not JSON") from None
        if not isinstance(answer, dict) or "ok" not in answer:
            raise Unreachable("not an answer")
        return answer

    async def close(self) -> None:
        """Close the connection (the app's shutdown); a later request would open one again."""
        if self._loop is asyncio.get_running_loop():
            await self._drop()
        else:
            self._client = None
