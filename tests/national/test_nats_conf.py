"""The hub's and a leaf's nats-server configs work together: link, JetStream domains, pull."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

from nats.js.api import StorageType, StreamConfig

from nafitha.national import wire
from nafitha.national.nats import leaves, writer_inbox
from nafitha.paths import ROOT
from tests.national.support import NatsHub, closing, run


def _varz(url: str) -> dict:
    with urllib.request.urlopen(url + "/varz", timeout=5) as response:
        return json.loads(response.read())


def test_leaf_links_to_the_hub_and_the_hub_pulls_from_the_leafs_domain(
    nats_hub: NatsHub, nats_leaf
) -> None:
    leaf = nats_leaf("c1")
    [link] = leaves(nats_hub.monitor_url)
    assert link["name"] == "center-c1"
    assert _varz(leaf.monitor_url)["host"] == "127.0.0.1"

    async def publish(relay):
        js = relay.jetstream()
        await js.add_stream(
            StreamConfig(
                name=wire.STREAM,
                subjects=[wire.subject("c1")],
                storage=StorageType.FILE,
                duplicate_window=120.0,
            )
        )
        acks = []
        for seq in (1, 2, 3):
            headers = {"Nats-Msg-Id": wire.msg_id("c1", seq), wire.SEQ_HEADER: str(seq)}
            acks.append(await js.publish(wire.subject("c1"), b"event %d" % seq, headers=headers))
        again = await js.publish(
            wire.subject("c1"), b"event 3", headers={"Nats-Msg-Id": wire.msg_id("c1", 3)}
        )
        return acks, again

    acks, again = run(_with(leaf.relay(), publish))
    assert [a.seq for a in acks] == [1, 2, 3]
    assert {a.domain for a in acks} == {"center-c1"}
    assert again.duplicate and again.seq == 3

    async def pull(writer):
        js = writer.jetstream(domain=wire.domain("c1"))
        sub = await js.pull_subscribe(
            wire.subject("c1"), durable=wire.HUB_CONSUMER, stream=wire.STREAM
        )
        msgs = await sub.fetch(10, timeout=5)
        for msg in msgs:
            await msg.ack_sync()
        info = await js.consumer_info(wire.STREAM, wire.HUB_CONSUMER)
        return msgs, info

    msgs, info = run(_with(nats_hub.writer("c1"), pull))
    assert [m.data for m in msgs] == [b"event 1", b"event 2", b"event 3"]
    assert [m.headers[wire.SEQ_HEADER] for m in msgs] == ["1", "2", "3"]
    # acks carry the leaf's domain, so the hub can route each center's acks to its leaf only
    assert all(m.reply.startswith("$JS.ACK.center-c1.") for m in msgs)
    assert info.ack_floor.stream_seq == 3 and info.num_ack_pending == 0
    assert writer_inbox("c1") == "_HUB_INBOX.center-c1"


async def _with(connecting, body):
    return await closing(await connecting, body)


_PARENT = """
import sys, time
from pathlib import Path
from nafitha.national.nats import NatsProcess
conf = "listen: 127.0.0.1:%d\\nhttp: 127.0.0.1:%d\\n"
process = NatsProcess(conf, Path(sys.argv[1]), "child", die_with_parent=True).start()
print(process.pid, flush=True)
time.sleep(120)
"""


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] in ("Z", "X")  # exited, waiting for its reaper
    except FileNotFoundError:
        return True


def test_a_nats_server_started_with_die_with_parent_ends_when_its_parent_is_killed(
    tmp_path, free_port
) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", _PARENT % (free_port(), free_port()), str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        pid = int(parent.stdout.readline())
    finally:
        parent.kill()
        parent.wait(10)
        parent.stdout.close()
    deadline = time.monotonic() + 15
    while not _gone(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            raise AssertionError("nats-server outlived its SIGKILLed parent")
        time.sleep(0.05)


def test_a_center_added_to_a_running_hub_links_after_a_reload(nats_hub: NatsHub, nats_leaf) -> None:
    assert "c9" not in nats_hub.centers
    leaf = nats_leaf("c9")  # registers c9 (config rewritten, SIGHUP), then waits on /leafz
    assert [x["account"] for x in leaves(nats_hub.monitor_url)] == ["C-c9"]

    async def ask(writer):
        return await writer.jetstream(domain=wire.domain("c9")).account_info()

    assert run(_with(nats_hub.writer("c9"), ask)).domain == "center-c9"
    assert leaf.process and leaf.process.running()
