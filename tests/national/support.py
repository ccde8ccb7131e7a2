"""A hub nats-server and center leaf nats-servers on free loopback ports, for the national tests.

The fixtures in ``tests/national/conftest.py`` build these; a test may also build its own (a leaf
pointed at a proxy, a hub restarted on the same ports). Nothing here mocks NATS: real servers.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from nats.aio.client import Client as NatsClient

from nafitha.national.nats import (
    RELAY_USER,
    WRITER_USER,
    NatsProcess,
    hub_conf,
    leaf_conf,
    wait_for_leaf,
    writer_inbox,
)

T = TypeVar("T")


def run(coro: Awaitable[T]) -> T:
    """Run one coroutine to its end (the tests are plain functions)."""
    return asyncio.run(coro)  # type: ignore[arg-type]


async def _quiet(exc: Exception) -> None:
    """nats-py reports every reconnect attempt; the tests look at outcomes, not at that noise."""


async def connect(url: str, user: str, password: str, **options: Any) -> NatsClient:
    """A client connection that gives up fast instead of retrying for minutes."""
    options.setdefault("connect_timeout", 2)
    options.setdefault("max_reconnect_attempts", 1)  # 0 would mean "for ever"
    options.setdefault("reconnect_time_wait", 0.2)
    options.setdefault("allow_reconnect", False)
    options.setdefault("error_cb", _quiet)
    client = NatsClient()
    try:
        await client.connect(url, user=user, password=password, **options)
    except BaseException:
        await _drop(client)
        raise
    return client


async def _drop(client: NatsClient) -> None:
    """Close what a failed connect left open (nats-py keeps the socket of a refused login)."""
    transport = getattr(client, "_transport", None)
    if transport is not None:
        transport.close()
        await transport.wait_closed()


@dataclass
class NatsHub:
    """The hub nats-server: client, leaf and monitor ports, the writer's password, the centers."""

    folder: Path
    client_port: int
    leaf_port: int
    monitor_port: int
    writer_password: str
    centers: dict[str, str] = field(default_factory=dict)  # center id -> leaf password
    host: str = "127.0.0.1"
    leaf_tls: tuple[Path, Path] | None = None  # (certificate, key): the leaf port speaks TLS
    process: NatsProcess | None = None

    @property
    def url(self) -> str:
        return f"nats://{self.host}:{self.client_port}"

    @property
    def leaf_url(self) -> str:
        return f"nats-leaf://{self.host}:{self.leaf_port}"

    @property
    def monitor_url(self) -> str:
        return f"http://{self.host}:{self.monitor_port}"

    def conf(self) -> str:
        return hub_conf(
            store_dir=self.folder / "js",
            host=self.host,
            client_port=self.client_port,
            leaf_port=self.leaf_port,
            monitor_port=self.monitor_port,
            writer_password=self.writer_password,
            centers=self.centers,
            leaf_tls=self.leaf_tls,
        )

    def start(self) -> NatsHub:
        self.process = NatsProcess(self.conf(), self.folder, "hub").start()
        return self

    def stop(self) -> None:
        if self.process:
            self.process.stop()

    def kill(self) -> None:
        if self.process:
            self.process.kill()

    def add_center(self, center: str, password: str | None = None) -> str:
        """Register ``center`` (its leaf password returned); a running hub reloads its config."""
        self.centers[center] = password or secrets.token_urlsafe(18)
        if self.process and self.process.running():
            self.process.reload(self.conf())
        return self.centers[center]

    async def writer(self, center: str, **options: Any) -> NatsClient:
        """The hub writer's connection for ``center`` (its own inbox prefix)."""
        return await connect(
            self.url,
            WRITER_USER,
            self.writer_password,
            inbox_prefix=writer_inbox(center),
            **options,
        )


@dataclass
class NatsLeaf:
    """One center's leaf nats-server (domain ``center-<id>``) dialing the hub's leaf port."""

    center: str
    folder: Path
    client_port: int
    monitor_port: int
    hub_url: str
    leaf_password: str
    relay_password: str
    hub_ca: Path | None = None  # the CA the leaf trusts for the hub's TLS leaf port
    process: NatsProcess | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.client_port}"

    @property
    def monitor_url(self) -> str:
        return f"http://127.0.0.1:{self.monitor_port}"

    def conf(self) -> str:
        return leaf_conf(
            center=self.center,
            store_dir=self.folder / "js",
            host="127.0.0.1",
            client_port=self.client_port,
            monitor_port=self.monitor_port,
            hub_url=self.hub_url,
            leaf_password=self.leaf_password,
            relay_password=self.relay_password,
            hub_ca=self.hub_ca,
        )

    def start(self) -> NatsLeaf:
        self.process = NatsProcess(self.conf(), self.folder, f"leaf-{self.center}").start()
        return self

    def stop(self) -> None:
        if self.process:
            self.process.stop()

    def kill(self) -> None:
        if self.process:
            self.process.kill()

    async def relay(self, **options: Any) -> NatsClient:
        """A connection as the center's relay user."""
        return await connect(self.url, RELAY_USER, self.relay_password, **options)


def wait_linked(hub: NatsHub, leaf: NatsLeaf, timeout: float = 20.0) -> None:
    wait_for_leaf(hub.monitor_url, leaf.center, timeout)


async def closing(client: NatsClient, body: Callable[[NatsClient], Awaitable[T]]) -> T:
    """``body(client)``, then the connection closed whatever happened."""
    try:
        return await body(client)
    finally:
        await client.close()


async def leaf_stream(hub: NatsHub, center: str) -> list[tuple[int, dict[str, str], bytes]]:
    """Every message of ``center``'s leaf stream, read through the hub: (stream seq, headers,
    body), in stream order."""
    from nafitha.national import wire

    writer = await hub.writer(center)
    try:
        js = writer.jetstream(domain=wire.domain(center), timeout=5)
        info = await js.stream_info(wire.STREAM)
        found = []
        for seq in range(info.state.first_seq, info.state.last_seq + 1):
            msg = await js.get_msg(wire.STREAM, seq=seq)
            found.append((seq, dict(msg.headers or {}), msg.data or b""))
        return found
    finally:
        await writer.close()


async def leaf_count(hub: NatsHub, center: str) -> int:
    """How many messages ``center``'s leaf stream holds (0 if it has no stream yet)."""
    from nats.js.errors import NotFoundError

    from nafitha.national import wire

    writer = await hub.writer(center)
    try:
        js = writer.jetstream(domain=wire.domain(center), timeout=5)
        try:
            return (await js.stream_info(wire.STREAM)).state.messages
        except NotFoundError:
            return 0
    finally:
        await writer.close()
