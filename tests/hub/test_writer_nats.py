"""The hub writer end to end on real servers: leaf nats-servers → hub nats-server → writer →
PostgreSQL, with a stopped center beside a running one and a leaf killed and restarted."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub.store import alarms, centers
from hub.store import events as event_rows
from hub.store.database import connect
from hub.usecases.writer import Writer, WriterOptions
from nafitha.chain import public_key_text
from tests.hub.chains import chain, rehash
from tests.hub.relaying import ensure_stream, publish
from tests.national.support import NatsHub, run, wait_linked

KEY = Ed25519PrivateKey.generate()


def head(dsn: str, center: str) -> dict:
    with connect(dsn) as conn:
        return centers.one(conn, center)


async def until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await asyncio.to_thread(check):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"not within {timeout} s: {what}")


def test_events_flow_from_leaves_to_postgres_and_a_stop_holds_only_its_center(
    nats_hub: NatsHub, nats_leaf, pg_dsn: str
) -> None:
    with connect(pg_dsn) as conn:
        key = public_key_text(KEY.public_key())
        centers.register(
            conn, [("c1", {"ar": "١", "en": "1"}, key), ("c2", {"ar": "٢", "en": "2"}, key)]
        )
    leaf1, leaf2 = nats_leaf("c1"), nats_leaf("c2")
    rows1 = chain(600, KEY, sign_every=100)
    rows2 = chain(60)
    options = WriterOptions(
        nats_url=nats_hub.url,
        writer_password=nats_hub.writer_password,
        dsn=pg_dsn,
        batch=100,
        fetch_timeout_s=0.3,
        retry_s=0.2,
        leaf_check_s=0.5,
    )

    async def scenario() -> Writer:
        writer = Writer(options, ["c1", "c2"])
        stop = asyncio.Event()
        task = asyncio.create_task(writer.run(stop))
        relay1, relay2 = await leaf1.relay(), await leaf2.relay()
        try:
            await ensure_stream(relay1, "c1")
            await ensure_stream(relay2, "c2")
            await publish(relay1, "c1", rows1[:300])
            await publish(relay2, "c2", rows2[:40])
            await until(lambda: head(pg_dsn, "c1")["head_seq"] == 300, 30, "c1 at 300")
            await until(lambda: head(pg_dsn, "c2")["head_seq"] == 40, 30, "c2 at 40")

            # c2's event 39 edited and its log re-chained: 41 links to a 40 the hub never had:
            # a fork at 41; c2 stops, c1 goes on.
            forged = [dict(r) for r in rows2]
            forged[38]["data"] = '{"n":"edited"}'
            rehash(forged, 38)
            await publish(relay2, "c2", forged[40:])
            await publish(relay1, "c1", rows1[300:400])
            await until(lambda: head(pg_dsn, "c2")["status"] == "stopped", 30, "c2 stopped")
            await until(lambda: head(pg_dsn, "c1")["head_seq"] == 400, 30, "c1 at 400")
            assert head(pg_dsn, "c2")["head_seq"] == 40

            # c1's leaf dies like a power cut and comes back; what it kept and what comes after
            # both arrive.
            await relay1.close()
            leaf1.kill()
            leaf1.start()
            wait_linked(nats_hub, leaf1)
            relay1 = await leaf1.relay()
            await publish(relay1, "c1", rows1[400:])
            await until(lambda: head(pg_dsn, "c1")["head_seq"] == 600, 60, "c1 at 600")
            await until(lambda: head(pg_dsn, "c1")["leaf_seq"] == 600, 30, "c1's leaf checked")
        finally:
            await relay1.close()
            await relay2.close()
            stop.set()
            await asyncio.wait_for(task, 30)
        return writer

    writer = run(scenario())
    with connect(pg_dsn) as conn:
        assert event_rows.seqs(conn, "c1") == list(range(1, 601))
        assert event_rows.seqs(conn, "c2") == list(range(1, 41))
        state = centers.one(conn, "c1")
        assert state["head_hash"] == rows1[-1]["hash"] and state["signed_seq"] == 599
        [alarm] = alarms.open_alarms(conn, "c2")
        assert (alarm["kind"], alarm["seq"]) == ("fork", 41)
        assert alarms.open_alarms(conn, "c1") == []
    assert writer.progress["c1"].accepted == 600
    assert writer.progress["c2"].stopped


def test_messages_half_delivered_before_a_crash_make_no_false_gap(
    nats_hub: NatsHub, nats_leaf, pg_dsn: str
) -> None:
    """A writer killed after fetching leaves its messages pending on the leaf's durable consumer
    for ``ack_wait`` (30 s); a consumer reused as it is would hand out the later ones first. The
    writer makes its consumer anew from the position the hub recorded, so all arrive in order."""
    with connect(pg_dsn) as conn:
        centers.register(conn, [("c1", {"ar": "١", "en": "1"}, None)])
    leaf = nats_leaf("c1")
    rows = chain(120)
    options = WriterOptions(
        nats_url=nats_hub.url,
        writer_password=nats_hub.writer_password,
        dsn=pg_dsn,
        batch=50,
        fetch_timeout_s=0.3,
        retry_s=0.2,
    )

    async def scenario() -> None:
        relay = await leaf.relay()
        try:
            await ensure_stream(relay, "c1")
            await publish(relay, "c1", rows)
        finally:
            await relay.close()
        crashed = await nats_hub.writer("c1")  # the writer that died holding 1..30
        try:
            js = crashed.jetstream(domain="center-c1")
            sub = await js.pull_subscribe(
                "nafitha.c1.events", durable="hub-writer", stream="EVENTS"
            )
            assert len(await sub.fetch(30, timeout=5)) == 30  # fetched, never acked
        finally:
            await crashed.close()
        writer = Writer(options, ["c1"])
        stop = asyncio.Event()
        task = asyncio.create_task(writer.run(stop))
        try:
            await until(lambda: head(pg_dsn, "c1")["head_seq"] == 120, 20, "c1 at 120")
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)
        assert not writer.progress["c1"].stopped

    run(scenario())
    with connect(pg_dsn) as conn:
        assert alarms.open_alarms(conn, "c1") == []
        assert centers.one(conn, "c1")["status"] == "running"


def test_the_writer_rides_out_a_postgres_restart_and_a_killed_hub_nats_server(
    nats_hub: NatsHub, nats_leaf, pg_dsn: str, pg_cluster
) -> None:
    with connect(pg_dsn) as conn:
        centers.register(conn, [("c1", {"ar": "١", "en": "1"}, None)])
    leaf = nats_leaf("c1")
    rows = chain(900)
    options = WriterOptions(
        nats_url=nats_hub.url,
        writer_password=nats_hub.writer_password,
        dsn=pg_dsn,
        batch=100,
        fetch_timeout_s=0.3,
        retry_s=0.2,
    )

    async def relay_rows(part: list[dict]) -> None:
        relay = await leaf.relay()
        try:
            await ensure_stream(relay, "c1")
            await publish(relay, "c1", part)
        finally:
            await relay.close()

    async def scenario() -> Writer:
        writer = Writer(options, ["c1"])
        stop = asyncio.Event()
        task = asyncio.create_task(writer.run(stop))
        try:
            await relay_rows(rows[:300])
            await asyncio.to_thread(pg_cluster.restart)  # while batches may be in flight
            await relay_rows(rows[300:600])
            await until(lambda: head(pg_dsn, "c1")["head_seq"] == 600, 30, "c1 at 600")
            nats_hub.kill()  # the hub's nats-server dies like a power cut...
            await relay_rows(rows[600:])  # ...the leaf keeps what the center relays
            nats_hub.start()
            wait_linked(nats_hub, leaf)
            await until(lambda: head(pg_dsn, "c1")["head_seq"] == 900, 60, "c1 at 900")
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)
        return writer

    writer = run(scenario())
    with connect(pg_dsn) as conn:
        assert event_rows.seqs(conn, "c1") == list(range(1, 901))
        assert alarms.open_alarms(conn, "c1") == []
    assert writer.progress["c1"].accepted == 900
    # PostgreSQL's restart cut the writer's connection (one failure, then a new connection);
    # the nats-server's death is absorbed by the client's reconnect (fetches just come back empty).
    assert writer.progress["c1"].failures >= 1


def test_a_malformed_message_on_a_center_subject_is_kept_alarmed_and_passed(
    nats_hub: NatsHub, nats_leaf, pg_dsn: str
) -> None:
    with connect(pg_dsn) as conn:
        centers.register(conn, [("c1", {"ar": "١", "en": "1"}, None)])
    leaf = nats_leaf("c1")
    rows = chain(10)
    options = WriterOptions(
        nats_url=nats_hub.url, writer_password=nats_hub.writer_password, dsn=pg_dsn,
        fetch_timeout_s=0.3, retry_s=0.2,
    )  # fmt: skip

    async def scenario() -> None:
        relay = await leaf.relay()
        try:
            await ensure_stream(relay, "c1")
            await publish(relay, "c1", rows[:5])
            await relay.jetstream().publish("nafitha.c1.events", b"\x00 not an event")
            await publish(relay, "c1", rows[5:])
        finally:
            await relay.close()
        writer = Writer(options, ["c1"])
        stop = asyncio.Event()
        task = asyncio.create_task(writer.run(stop))
        try:
            await until(lambda: head(pg_dsn, "c1")["head_seq"] == 10, 30, "c1 at 10")
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)

    run(scenario())
    with connect(pg_dsn) as conn:
        [kept] = alarms.rejected(conn, "c1")
        assert bytes(kept["raw"]) == b"\x00 not an event" and kept["stream_seq"] == 6
        assert [a["kind"] for a in alarms.open_alarms(conn, "c1")] == ["rejected"]
        assert centers.one(conn, "c1")["status"] == "running"
        assert centers.stream_position(conn, "c1") == 11
