"""The relay thread of a real `nafitha server` into a real leaf: order, resume, no loss, no dup."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from nats.errors import Error as NatsError

from nafitha.national import wire
from nafitha.paths import ROOT
from tests.national.support import NatsHub, NatsLeaf, leaf_count, leaf_stream, run
from tests.support.server import RunningServer, load_service, start_server


def national_toml(folder: Path, leaf: NatsLeaf) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "server.toml"
    path.write_text(
        "[national]\n"
        f'center = "{leaf.center}"\n'
        f'leaf_url = "{leaf.url}"\n'
        f'relay_password = "{leaf.relay_password}"\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def center(tmp_path: Path, nats_leaf) -> Iterator[Callable[..., tuple[RunningServer, NatsLeaf]]]:
    """``center(leaf_running=True)``: a demo server of center c1 relaying to c1's leaf."""
    started: list[RunningServer] = []

    def start(leaf_running: bool = True) -> tuple[RunningServer, NatsLeaf]:
        leaf = nats_leaf("c1")
        if not leaf_running:
            leaf.stop()
        config = national_toml(tmp_path / "center", leaf)
        server = start_server(tmp_path / "center", extra_args=["--config", str(config)])
        started.append(server)
        return server, leaf

    yield start
    for server in started:
        server.stop()


def last_seq(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
    finally:
        conn.close()


def rows(db: Path) -> dict[int, dict]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return {r["id"]: dict(r) for r in conn.execute("SELECT * FROM events ORDER BY id")}
    finally:
        conn.close()


def wait_relayed(hub: NatsHub, db: Path, timeout: float = 60.0, center: str = "c1") -> int:
    """Wait until the leaf stream holds as many messages as the database has events."""
    deadline = time.monotonic() + timeout
    want = count = -1
    while time.monotonic() < deadline:
        want = last_seq(db)
        try:
            count = run(leaf_count(hub, center))
        except NatsError:  # the leaf's link to the hub not (yet, again) up
            count = -1
        if count >= want > 0:
            return count
        time.sleep(0.1)
    raise TimeoutError(f"the leaf holds {count} of {want} events after {timeout}s")


def check_stream(hub: NatsHub, db: Path, center: str = "c1") -> None:
    """The leaf stream is the database's log: seq 1..N once each, in order, byte-exact rows."""
    stored = rows(db)
    messages = run(leaf_stream(hub, center))
    seqs = [int(headers[wire.SEQ_HEADER]) for _, headers, _ in messages]
    assert seqs == list(range(1, len(stored) + 1)), "gap, duplicate or disorder"
    for _, headers, body in messages:
        event = wire.decode(center, body)
        assert headers["Nats-Msg-Id"] == wire.msg_id(center, event.seq)
        assert event.row() == stored[event.seq]


def _files(db: Path) -> list[dict]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM files")]
    finally:
        conn.close()


def _decode(message: tuple[int, dict[str, str], bytes]) -> wire.WireEvent:
    return wire.decode("c1", message[2])


def issue(server: RunningServer, count: int) -> list[float]:
    kiosk = server.client(server.kiosk_token)
    took = []
    for i in range(count):
        began = time.perf_counter()
        kiosk.issue_ticket(load_service(i))
        took.append(time.perf_counter() - began)
    return took


def national_health(server: RunningServer) -> dict:
    return server.client().health()["national"]


def test_every_event_reaches_the_leaf_once_in_order_with_the_files_personal_part(
    center, nats_hub: NatsHub
) -> None:
    server, _ = center()
    issue(server, 20)
    clerk = server.login("clerk1", counter="c1")
    clerk.open_file(
        "passport-new",
        {"name": "سارة الخطيب", "national_id": "0101234567", "phone": "+963944000111"},
    )
    wait_relayed(nats_hub, server.db)
    check_stream(nats_hub, server.db)
    opened = [
        wire.decode("c1", body)
        for _, _, body in run(leaf_stream(nats_hub, "c1"))
        if b'"file_opened"' in body
    ]
    [reference] = [r["reference"] for r in _files(server.db)]
    assert [(e.personal, json.loads(e.data)["reference"]) for e in opened] == [
        ({"name": "سارة الخطيب", "national_id": "0101234567", "phone": "+963944000111"}, reference)
    ]
    assert all(
        e.personal is None
        for e in map(_decode, run(leaf_stream(nats_hub, "c1")))
        if e.kind != "file_opened"
    )
    health = national_health(server)
    assert health["state"] == "connected" and health["relayed"] == last_seq(server.db)


def test_a_center_keeps_issuing_while_its_leaf_is_down_and_catches_up_after(
    center, nats_hub: NatsHub
) -> None:
    server, leaf = center(leaf_running=False)
    took_down = issue(server, 40)
    deadline = time.monotonic() + 20
    while national_health(server)["state"] != "disconnected":
        assert time.monotonic() < deadline, national_health(server)
        time.sleep(0.1)
    down = national_health(server)
    assert down["error"] and down["relayed"] is None
    leaf.start()
    wait_relayed(nats_hub, server.db)
    took_up = issue(server, 40)
    wait_relayed(nats_hub, server.db)
    check_stream(nats_hub, server.db)
    # a leaf that dies under a connected relay (SIGKILL), then comes back with its files
    leaf.kill()
    issue(server, 20)
    leaf.start()
    wait_relayed(nats_hub, server.db)
    check_stream(nats_hub, server.db)
    deadline = time.monotonic() + 20
    while (health := national_health(server))["relayed"] != last_seq(server.db):
        assert time.monotonic() < deadline, health
        time.sleep(0.1)
    assert health["state"] == "connected" and health["pending"] == 0 and health["error"] is None
    took_down.sort()
    took_up.sort()
    print(
        f"issue p50 with the leaf down {took_down[20] * 1000:.1f} ms,"
        f" up {took_up[20] * 1000:.1f} ms"
    )


def test_a_server_killed_mid_publish_resumes_without_gap_or_duplicate(
    center, nats_hub: NatsHub
) -> None:
    server, leaf = center()
    issue(server, 20)
    before = wait_relayed(nats_hub, server.db)
    assert leaf.process and leaf.process.pid
    # The leaf frozen (SIGSTOP): the relay's next window goes out and waits for acks that cannot
    # come; the server is killed right then, and the frozen leaf wakes to a window from a dead
    # client: stored, never acknowledged to the relay.
    os.kill(leaf.process.pid, signal.SIGSTOP)
    try:
        issue(server, 300)
        server.kill()
    finally:
        os.kill(leaf.process.pid, signal.SIGCONT)
    total = last_seq(server.db)
    deadline = time.monotonic() + 30
    while (count := run(leaf_count(nats_hub, "c1"))) <= before:
        assert time.monotonic() < deadline, "the window sent before the kill never reached the leaf"
        time.sleep(0.05)
    assert count < total, f"the whole backlog ({total}) was acked before the kill"
    server = server.restart()
    try:
        wait_relayed(nats_hub, server.db)
        check_stream(nats_hub, server.db)
    finally:
        server.stop()


def test_nafitha_relay_from_1_publishes_again_and_the_leaf_drops_the_duplicates(
    center, nats_hub: NatsHub, tmp_path: Path
) -> None:
    server, _ = center()
    issue(server, 10)
    relayed = wait_relayed(nats_hub, server.db)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "nafitha.cli",
            "relay",
            "--config",
            str(tmp_path / "center" / "server.toml"),
            "--db",
            str(server.db),
            "--from",
            "1",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    found = re.search(r"published (\d+) events from seq 1 .* \((\d+) already there", done.stdout)
    assert found, done.stdout
    sent, duplicates = int(found.group(1)), int(found.group(2))
    assert sent == last_seq(server.db) and duplicates >= relayed  # (+ a head signed meanwhile)
    assert run(leaf_count(nats_hub, "c1")) == last_seq(server.db)
    check_stream(nats_hub, server.db)


def test_a_server_whose_leaf_is_down_stops_at_once(center) -> None:
    server, _ = center(leaf_running=False)
    deadline = time.monotonic() + 20
    while national_health(server)["state"] != "disconnected":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    time.sleep(4)  # let the relay back off for seconds (this waits; it asserts nothing)
    began = time.monotonic()
    server.stop()
    took = time.monotonic() - began
    # uvicorn re-raises the SIGTERM it handled once its shutdown is done: -15; SIGKILL is -9
    assert server.process.returncode in (0, -signal.SIGTERM), "killed, not stopped"
    assert took < 2, f"stopping took {took:.1f}s"


_IMPORTS = """
import sys
from pathlib import Path
from server.app import create_app
from server.config import load_server_settings
create_app(load_server_settings(sys.argv[1] or None, {"db": Path(sys.argv[2])}))
print("nats" in sys.modules, "server.relay" in sys.modules)
"""


def test_without_a_national_table_the_server_never_loads_nats(tmp_path: Path) -> None:
    def loaded(config: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", _IMPORTS, config, str(tmp_path / "x.db")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert loaded("") == "False False"
    config = tmp_path / "server.toml"
    config.write_text('[national]\ncenter = "c1"\nrelay_password = "relay-password"\n')
    assert loaded(str(config)) == "True True"


def test_a_leaf_that_lost_its_stream_gets_every_event_again_from_sqlite(
    center, nats_hub: NatsHub
) -> None:
    server, leaf = center()
    issue(server, 30)
    wait_relayed(nats_hub, server.db)
    leaf.stop()
    shutil.rmtree(leaf.folder / "js")  # a new disk, or the stream deleted by hand
    leaf.start()
    issue(server, 5)
    wait_relayed(nats_hub, server.db)
    check_stream(nats_hub, server.db)  # 1..N again, in order, once each
