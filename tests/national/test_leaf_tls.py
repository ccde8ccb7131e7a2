"""TLS on the leaf link (docs/national.md, "TLS on the leaf link"), on real nats-servers with the
link through a TCP relay that records every byte, as someone on the WAN would see it:

- a leaf trusting the hub's CA links, and its events reach the hub while the wire shows neither
  its password nor the events' words (the same link without TLS shows both: the check can fail);
- a leaf that speaks plain NATS, or trusts another CA, is refused at the handshake.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from nats.aio.client import Client as NatsClient

from nafitha.harness.tcp_proxy import TcpProxy
from server.tls import TlsFiles, issue_server, make_ca
from tests.hub.chains import chain
from tests.hub.relaying import ensure_stream, publish
from tests.national.support import (
    NatsHub,
    NatsLeaf,
    closing,
    leaf_stream,
    run,
    wait_linked,
)

pytestmark = pytest.mark.slow
MARKER = "leaf-tls-marker-7QX2-event-words"  # ASCII: the wire may escape other text


def _visible(wire: bytes, text: str) -> bool:
    """Whether ``text`` can be read on the wire: as it is, or base64-encoded at any alignment
    (JetStream's API answers carry a message's body in base64)."""
    raw = text.encode()
    if raw in wire:
        return True
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + raw)
        start = 4 if shift else 0  # the first group mixes in the padding bytes
        middle = encoded[start : len(encoded) - 4]  # the last group depends on what follows
        if len(middle) >= 8 and middle in wire:
            return True
    return False


def _hub(folder: Path, free_port: Callable[[], int], tls: TlsFiles | None) -> NatsHub:
    return NatsHub(
        folder=folder,
        client_port=free_port(),
        leaf_port=free_port(),
        monitor_port=free_port(),
        writer_password=secrets.token_urlsafe(18),
        centers={"c1": secrets.token_urlsafe(18)},
        leaf_tls=(tls.cert, tls.key) if tls else None,
    ).start()


def _leaf(folder: Path, free_port: Callable[[], int], hub: NatsHub, port: int,
          ca: Path | None) -> NatsLeaf:  # fmt: skip
    return NatsLeaf(
        center="c1",
        folder=folder,
        client_port=free_port(),
        monitor_port=free_port(),
        hub_url=f"nats-leaf://127.0.0.1:{port}",
        leaf_password=hub.centers["c1"],
        relay_password=secrets.token_urlsafe(18),
        hub_ca=ca,
    ).start()


def _ship(hub: NatsHub, leaf: NatsLeaf) -> list[bytes]:
    """Three events with a recognisable word published at the leaf, read back through the hub."""
    rows = chain(3)
    for row in rows:
        row["data"] = f'{{"note": "{MARKER}"}}'

    async def fill(relay: NatsClient) -> None:
        await ensure_stream(relay, "c1")
        await publish(relay, "c1", rows)

    async def go() -> list[bytes]:
        await closing(await leaf.relay(), fill)
        return [body for _, _, body in await leaf_stream(hub, "c1")]

    return run(go())


@pytest.fixture
def authorities(tmp_path: Path) -> Iterator[tuple[TlsFiles, TlsFiles]]:
    """The hub's CA with its certificate for 127.0.0.1, and an unrelated CA."""
    now = dt.datetime.now(dt.UTC)
    hub, other = TlsFiles(tmp_path / "hub-tls"), TlsFiles(tmp_path / "other-tls")
    make_ca(hub, "Ministry hub", now)
    issue_server(hub, ["127.0.0.1"], [], now)
    make_ca(other, "Someone else", now)
    yield hub, other


def test_a_leaf_that_trusts_the_hub_links_and_the_wire_shows_nothing_readable(
    tmp_path: Path, free_port: Callable[[], int], authorities: tuple[TlsFiles, TlsFiles]
) -> None:
    tls, _ = authorities
    for secure in (True, False):  # the plain link first shows what TLS hides
        hub = _hub(tmp_path / f"hub-{secure}", free_port, tls if secure else None)
        link = TcpProxy(hub.leaf_port).start()
        leaf = _leaf(tmp_path / f"leaf-{secure}", free_port, hub, link.port,
                     tls.ca_cert if secure else None)  # fmt: skip
        try:
            wait_linked(hub, leaf)
            bodies = _ship(hub, leaf)
            assert len(bodies) == 3 and all(MARKER.encode() in b for b in bodies)
            wire = bytes(link.seen)
            readable = [_visible(wire, MARKER), _visible(wire, hub.centers["c1"])]
            assert readable == ([False, False] if secure else [True, True]), secure
        finally:
            leaf.stop()
            link.stop()
            hub.stop()


@pytest.mark.parametrize("trusts", ["nothing", "another CA"])
def test_a_leaf_that_does_not_speak_tls_or_trusts_another_ca_is_refused(
    tmp_path: Path,
    free_port: Callable[[], int],
    authorities: tuple[TlsFiles, TlsFiles],
    trusts: str,
) -> None:
    tls, other = authorities
    hub = _hub(tmp_path / "hub", free_port, tls)
    leaf = _leaf(tmp_path / "leaf", free_port, hub, hub.leaf_port,
                 None if trusts == "nothing" else other.ca_cert)  # fmt: skip
    try:
        with pytest.raises(TimeoutError):
            wait_linked(hub, leaf, timeout=4)
        assert hub.process is not None
        assert "TLS Handshake Failure" in hub.process.log_tail(20_000)
    finally:
        leaf.stop()
        hub.stop()
