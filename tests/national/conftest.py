"""Fixtures of the national tests: free ports, a running hub nats-server, center leaves.

    def test_x(nats_hub, nats_leaf):
        leaf = nats_leaf("c1")              # started, linked to the hub (waited on /leafz)
        writer = await nats_hub.writer("c1")
        js = writer.jetstream(domain="center-c1")

Every process started here is stopped at teardown (SIGKILL if SIGTERM does not end it).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.national.support import NatsHub, NatsLeaf, wait_linked
from tests.support.ports import free_port as _free_port

HUB_CENTERS = ("c1", "c2", "c3")


@pytest.fixture
def free_port() -> Callable[[], int]:
    """A callable giving a free 127.0.0.1 port, never the same twice in one test."""
    given: set[int] = set()

    def take() -> int:
        while True:
            port = _free_port()
            if port not in given:
                given.add(port)
                return port

    return take


@pytest.fixture
def nats_hub(tmp_path: Path, free_port: Callable[[], int]) -> Iterator[NatsHub]:
    """A running hub nats-server that knows centers c1, c2, c3 (``add_center`` for more)."""
    hub = NatsHub(
        folder=tmp_path / "hub",
        client_port=free_port(),
        leaf_port=free_port(),
        monitor_port=free_port(),
        writer_password=secrets.token_urlsafe(18),
        centers={c: secrets.token_urlsafe(18) for c in HUB_CENTERS},
    )
    hub.start()
    try:
        yield hub
    finally:
        hub.stop()


@pytest.fixture
def nats_leaf(
    tmp_path: Path, free_port: Callable[[], int], nats_hub: NatsHub
) -> Iterator[Callable[..., NatsLeaf]]:
    """Start a center's leaf linked to ``nats_hub``: ``nats_leaf(center, *, hub_url=None,
    wait=True)``. ``hub_url`` points the leaf elsewhere (a proxy); ``wait`` waits for the link."""
    started: list[NatsLeaf] = []

    def start(center: str, *, hub_url: str | None = None, wait: bool = True) -> NatsLeaf:
        password = nats_hub.centers.get(center) or nats_hub.add_center(center)
        leaf = NatsLeaf(
            center=center,
            folder=tmp_path / f"leaf-{center}",
            client_port=free_port(),
            monitor_port=free_port(),
            hub_url=hub_url or nats_hub.leaf_url,
            leaf_password=password,
            relay_password=secrets.token_urlsafe(18),
        )
        started.append(leaf)
        leaf.start()
        if wait:
            wait_linked(nats_hub, leaf)
        return leaf

    try:
        yield start
    finally:
        for leaf in started:
            leaf.stop()
