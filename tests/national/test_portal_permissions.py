"""The portal's request subjects on real nats-servers: the hub forwards a request to one center's
leaf only, a center hears only its own requests and may publish nothing but replies, and the
hub's forwarder may publish only portal requests (docs/national.md, "Portal requests").
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from nats.aio.client import Client as NatsClient
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout

from nafitha.national.nats import HUB_PORTAL_USER, PORTAL_USER, portal_subject
from tests.national.support import NatsHub, NatsLeaf, connect, run


async def _collecting(url: str, user: str, password: str, errors: list[str]) -> NatsClient:
    async def note(exc: Exception) -> None:
        errors.append(str(exc))

    return await connect(url, user, password, error_cb=note)


async def _responder(leaf: NatsLeaf, tag: str) -> NatsClient:
    """A center's responder: answers its own portal subject with ``tag:<request>``."""
    client = await connect(leaf.url, PORTAL_USER, leaf.relay_password)

    async def answer(msg) -> None:
        await msg.respond(f"{tag}:".encode() + msg.data)

    await client.subscribe(portal_subject(leaf.center), cb=answer)
    await client.flush()
    return client


async def _eventually(check: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def _ask(hub: NatsHub, center: str, data: bytes, timeout: float = 5.0) -> bytes:
    client = await connect(hub.url, HUB_PORTAL_USER, hub.writer_password)
    try:
        deadline = asyncio.get_running_loop().time() + 20
        while True:  # the leaf's interest reaches the hub a moment after the subscription
            try:
                return (await client.request(portal_subject(center), data, timeout)).data
            except NoRespondersError:
                if asyncio.get_running_loop().time() > deadline:
                    raise
                await asyncio.sleep(0.1)
    finally:
        await client.close()


def test_the_hub_reaches_each_center_s_responder_and_only_it(nats_hub: NatsHub, nats_leaf) -> None:
    c1, c2 = nats_leaf("c1"), nats_leaf("c2")

    async def body() -> None:
        r1, r2 = await _responder(c1, "c1"), await _responder(c2, "c2")
        try:
            assert await _ask(nats_hub, "c1", b"hello") == b"c1:hello"
            assert await _ask(nats_hub, "c2", b"hello") == b"c2:hello"
        finally:
            await r1.close()
            await r2.close()

    run(body())


def test_center_c2_cannot_read_c1_s_requests_nor_publish_anything_but_replies(
    nats_hub: NatsHub, nats_leaf
) -> None:
    c1, c2 = nats_leaf("c1"), nats_leaf("c2")

    async def body() -> None:
        errors: list[str] = []
        spy = await _collecting(c2.url, PORTAL_USER, c2.relay_password, errors)
        heard: list[bytes] = []

        async def keep(msg) -> None:
            heard.append(msg.data)

        try:
            await spy.subscribe(portal_subject("c1"), cb=keep)
            await spy.subscribe("nafitha.>", cb=keep)
            await spy.publish(portal_subject("c1"), b"forged request")
            await spy.publish("_INBOX.anything", b"forged answer")
            await spy.flush()
            await _eventually(lambda: len(errors) >= 4, "four permission violations")
            assert all("permissions violation" in e.lower() for e in errors), errors
            # c1 has no responder yet: its requests find none, although c2's spy is there
            portal = await connect(nats_hub.url, HUB_PORTAL_USER, nats_hub.writer_password)
            try:
                with pytest.raises((NoRespondersError, NatsTimeout)):
                    await portal.request(portal_subject("c1"), b"for c1 only", timeout=1.0)
            finally:
                await portal.close()
            r1 = await _responder(c1, "c1")
            try:
                assert await _ask(nats_hub, "c1", b"secret") == b"c1:secret"
            finally:
                await r1.close()
            assert heard == []
        finally:
            await spy.close()

    run(body())


def test_the_hub_s_forwarder_may_only_send_portal_requests(nats_hub: NatsHub, nats_leaf) -> None:
    nats_leaf("c1")

    async def body() -> None:
        errors: list[str] = []
        portal = await _collecting(nats_hub.url, HUB_PORTAL_USER, nats_hub.writer_password, errors)
        try:
            await portal.publish("$JS.center-c1.API.STREAM.INFO.EVENTS", b"")
            await portal.publish("nafitha.c1.events", b"{}")
            await portal.subscribe("nafitha.>")
            await portal.flush()
            await _eventually(lambda: len(errors) >= 3, "three permission violations")
            assert all("permissions violation" in e.lower() for e in errors), errors
        finally:
            await portal.close()

    run(body())
