"""Center credentials: a center's leaf may speak only for itself at the hub (issue 14).

Two kinds of adversary with center c2's credentials: a stock nats-server configured to pose as
c1 (the hub tells a leaf its permissions and a stock leaf obeys), and a raw socket speaking the
leafnode protocol, which obeys nothing: the hub itself must refuse it.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time

import pytest
from nats.errors import Error as NatsError
from nats.errors import NoServersError
from nats.js.api import StorageType, StreamConfig
from nats.js.errors import APIError

from nafitha.national import wire
from nafitha.national.nats import NatsProcess, leaves
from tests.national.support import NatsHub, NatsLeaf, closing, connect, run


class RawLeaf:
    """A leafnode connection spoken by hand: whatever a tampered leaf could send."""

    def __init__(self, hub: NatsHub, user: str, password: str) -> None:
        self.sock = socket.create_connection(("127.0.0.1", hub.leaf_port), timeout=10)
        self.lines = self.sock.makefile("rb")
        assert self.lines.readline().startswith(b"INFO ")
        connect_info = {"user": user, "pass": password, "name": f"raw-{user}", "headers": True}
        self.send(f"CONNECT {json.dumps(connect_info)}\r\nPING\r\n".encode())

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def read_until(self, marker: bytes, timeout: float = 10.0) -> list[bytes]:
        """Lines up to and including the first holding ``marker`` (or up to EOF)."""
        seen: list[bytes] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.lines.readline()
            if not line:
                return [*seen, b"EOF"]
            if line.startswith(b"PING"):
                self.send(b"PONG\r\n")
            seen.append(line)
            if marker in line:
                return seen
        raise TimeoutError(f"no {marker!r} in {seen[-5:]}")

    def close(self) -> None:
        self.lines.close()
        self.sock.close()


@pytest.fixture
def raw_leaf(nats_hub: NatsHub):
    opened: list[RawLeaf] = []

    def open_(user: str, password: str) -> RawLeaf:
        opened.append(RawLeaf(nats_hub, user, password))
        return opened[-1]

    yield open_
    for raw in opened:
        raw.close()


def test_a_wrong_password_or_a_leaf_user_on_the_client_port_is_refused(
    nats_hub: NatsHub, raw_leaf
) -> None:
    raw = raw_leaf("c1", "not-the-password")
    assert any(b"Authorization Violation" in line for line in raw.read_until(b"EOF"))
    assert leaves(nats_hub.monitor_url) == []
    with pytest.raises((NatsError, NoServersError, OSError)):
        run(connect(nats_hub.url, "c1", nats_hub.centers["c1"]))
    with pytest.raises((NatsError, NoServersError, OSError)):
        run(connect(nats_hub.url, "hub-writer", "not-the-password"))


def test_a_center_answers_its_own_writer_but_cannot_publish_into_another_centers_inbox(
    nats_hub: NatsHub, raw_leaf
) -> None:
    got: list[bytes] = []

    async def scenario() -> None:
        c1, c2 = await nats_hub.writer("c1"), await nats_hub.writer("c2")
        try:

            async def keep(msg) -> None:
                got.append(msg.data)

            await c1.subscribe(f"{c1._inbox_prefix.decode()}.>", cb=keep)
            await c1.flush()
            raw = raw_leaf("c2", nats_hub.centers["c2"])
            raw.send(b"LS+ $JS.center-c2.API.>\r\nPING\r\n")
            raw.read_until(b"PONG")
            # the path that must work: c2's writer asks, c2's leaf answers
            asking = asyncio.ensure_future(c2.request("$JS.center-c2.API.INFO", b"", timeout=10))
            heard = await asyncio.to_thread(raw.read_until, b"$JS.center-c2.API.INFO")
            [request] = [x for x in heard if b"MSG $JS.center-c2.API.INFO" in x]  # (H)LMSG
            reply = request.split()[2]
            raw.send(b"LMSG " + reply + b" 6\r\nanswer\r\nPING\r\n")
            assert (await asking).data == b"answer"
            # c2 slipping a message into c1's writer inbox: refused, the link dropped
            raw.send(b"LMSG _HUB_INBOX.center-c1.probe 4\r\nfake\r\nPING\r\n")
            lines = raw.read_until(b"EOF")
            assert any(b"Permissions Violation for Publish" in line for line in lines), lines
            await c1.flush()
        finally:
            await c1.close()
            await c2.close()

    run(scenario())
    assert got == []


def test_a_center_cannot_ack_another_centers_messages(
    nats_hub: NatsHub, nats_leaf, raw_leaf
) -> None:
    """nats-server lets a leaf publish $JS.ACK.> whatever its permissions; the accounts keep
    c2's forged acks away from c1's consumer. Checked by order: the forged acks are processed
    at the hub (PONG) before c1's writer acks one message and reads the consumer's state."""
    leaf = nats_leaf("c1")
    run(_publish(leaf, [b"one", b"two", b"three"]))

    async def scenario():
        writer = await nats_hub.writer("c1")
        try:
            js = writer.jetstream(domain=wire.domain("c1"))
            sub = await js.pull_subscribe(
                wire.subject("c1"), durable=wire.HUB_CONSUMER, stream=wire.STREAM
            )
            msgs = await sub.fetch(3, timeout=5)
            raw = raw_leaf("c2", nats_hub.centers["c2"])
            raw.read_until(b"PONG")
            for msg in msgs:  # the strongest forger: it knows the exact ack subjects
                raw.send(f"LMSG {msg.reply} 4\r\n+ACK\r\n".encode())
            raw.send(b"PING\r\n")
            raw.read_until(b"PONG")
            await msgs[0].ack_sync()
            return await js.consumer_info(wire.STREAM, wire.HUB_CONSUMER)
        finally:
            await writer.close()

    info = run(scenario())
    assert (info.ack_floor.stream_seq, info.num_ack_pending) == (1, 2)


def test_a_center_hears_no_request_meant_for_another_center(nats_hub: NatsHub, raw_leaf) -> None:
    raw = raw_leaf("c2", nats_hub.centers["c2"])
    raw.read_until(b"PONG")
    raw.send(b"LS+ $JS.center-c1.API.>\r\nLS+ _HUB_INBOX.>\r\nLS+ $JS.center-c2.API.>\r\nPING\r\n")
    raw.read_until(b"PONG")

    async def scenario() -> None:
        c1, c2 = await nats_hub.writer("c1"), await nats_hub.writer("c2")
        try:
            # Keep asking c2 until its subscription is in place at the hub (no fixed sleep) ...
            deadline = time.monotonic() + 10
            heard: list[bytes] = []
            while time.monotonic() < deadline:
                await c2.publish("$JS.center-c2.API.INFO", b"mark-0")
                await c2.flush()
                try:
                    heard = raw.read_until(b"mark-0", timeout=0.5)
                    break
                except (TimeoutError, OSError):
                    continue
            assert any(b"mark-0" in line for line in heard)
            # ... then c1's request, c1's inbox traffic, then c2's marker, all on one ordered path
            await c1.publish("$JS.center-c1.API.INFO", b"secret-request")
            await c1.publish("$JS.ACK.center-c1.x.EVENTS.hub-writer.1.1.1.1.0", b"+ACK")
            await c1.flush()
            await c2.publish("$JS.center-c2.API.INFO", b"mark-1")
            await c2.flush()
            lines = raw.read_until(b"mark-1")
            assert not any(b"center-c1" in line or b"secret" in line for line in lines), lines
            # a literal subscription to c1's API is a violation: the hub drops the connection
            raw.send(b"LS+ $JS.center-c1.API.INFO\r\nPING\r\n")
            closed = raw.read_until(b"EOF")
            assert any(b"Permissions Violation for Subscription" in line for line in closed)
        finally:
            await c1.close()
            await c2.close()

    run(scenario())


def test_a_leaf_posing_as_another_center_gets_nothing_through(
    nats_hub: NatsHub, nats_leaf, free_port
) -> None:
    real = nats_leaf("c1")
    # center c2's leaf, configured by c2 to be "center-c1", with a stream of forged c1 events
    impostor = NatsLeaf(
        "c1",
        real.folder.parent / "impostor",
        free_port(),
        free_port(),
        nats_hub.leaf_url,
        nats_hub.centers["c2"],
        "impostor-relay",
    )
    conf = impostor.conf().replace("server_name: center-c1", "server_name: impostor")
    conf = conf.replace("nats-leaf://c1:", "nats-leaf://c2:")
    process = NatsProcess(conf, impostor.folder, "impostor").start()
    try:
        deadline = time.monotonic() + 20
        while not any(x["name"] == "impostor" for x in leaves(nats_hub.monitor_url)):
            assert time.monotonic() < deadline, "the impostor never linked"
            time.sleep(0.05)
        run(_publish(real, [b"real-1", b"real-2", b"real-3"]))
        run(_publish(impostor, [b"forged-%d" % i for i in range(1, 50)]))

        async def pull(writer):
            js = writer.jetstream(domain=wire.domain("c1"))
            counts = [(await js.stream_info(wire.STREAM)).state.messages for _ in range(10)]
            sub = await js.pull_subscribe(
                wire.subject("c1"), durable=wire.HUB_CONSUMER, stream=wire.STREAM
            )
            msgs = await sub.fetch(3, timeout=5)
            for msg in msgs:
                await msg.ack_sync()
            return counts, [m.data for m in msgs]

        counts, data = run(_with(nats_hub.writer("c1"), pull))
        assert counts == [3] * 10  # every request answered by the real leaf, never the impostor
        assert data == [b"real-1", b"real-2", b"real-3"]
    finally:
        process.stop()


def test_the_relay_may_publish_only_its_own_centers_subject(nats_leaf) -> None:
    leaf = nats_leaf("c1")

    async def scenario() -> None:
        errors: asyncio.Queue[Exception] = asyncio.Queue()

        async def on_error(exc: Exception) -> None:
            errors.put_nowait(exc)

        relay = await leaf.relay(error_cb=on_error)
        try:
            js = relay.jetstream(timeout=2)
            await js.add_stream(
                StreamConfig(
                    name=wire.STREAM, subjects=[wire.subject("c1")], storage=StorageType.FILE
                )
            )
            await relay.publish(wire.subject("c2"), b"forged")
            exc = await asyncio.wait_for(errors.get(), 10)
            assert 'permissions violation for publish to "nafitha.c2.events"' in str(exc).lower()
            with pytest.raises((APIError, NatsError)):  # refused, or dropped: no answer
                await js.add_stream(StreamConfig(name="C2", subjects=[wire.subject("c2")]))
            exc = await asyncio.wait_for(errors.get(), 10)
            assert "permissions violation" in str(exc).lower()
            ack = await js.publish(wire.subject("c1"), b"own", headers={"Nats-Msg-Id": "c1:1"})
            assert ack.seq == 1
            for forbidden in (js.purge_stream, js.delete_stream):
                with pytest.raises((APIError, NatsError)):
                    await forbidden(wire.STREAM)
            assert (await js.stream_info(wire.STREAM)).state.messages == 1
        finally:
            await relay.close()

    run(scenario())


async def _publish(leaf: NatsLeaf, bodies: list[bytes]) -> None:
    async def body(relay) -> None:
        js = relay.jetstream()
        await js.add_stream(
            StreamConfig(name=wire.STREAM, subjects=[wire.subject("c1")], storage=StorageType.FILE)
        )
        for seq, data in enumerate(bodies, 1):
            await js.publish(wire.subject("c1"), data, headers={"Nats-Msg-Id": f"c1:{seq}"})

    await closing(await leaf.relay(), body)


async def _with(connecting, body):
    return await closing(await connecting, body)
