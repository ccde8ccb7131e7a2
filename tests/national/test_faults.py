"""Three real centers and a real hub on one machine, faults caused for real (issue 14).

Each center is ``nafitha server`` (with its relay) and ``nafitha leaf``; the hub is ``nafitha hub``
(its nats-server and writer) on a real PostgreSQL 15; every leaf reaches the hub through a TCP link
the test can cut. While drivers work the centers, the tests cut a link, SIGKILL a center in the
middle of publishing, SIGKILL the hub, restart PostgreSQL, republish a whole log, and edit events
in a center's SQLite file. After each: the hub holds exactly each center's (center, seq) set, every
chain recomputes and the projections equal the center's tables. Ticket issue times while cut off
are printed beside the connected ones (reported, not asserted).

The tests run in file order on one network; the last one stops two centers' intake on purpose.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hub.store import alarms, centers
from hub.store.database import connect
from nafitha.harness.tcp_proxy import TcpProxy
from nafitha.national.local_network import HUB_DATABASE, Center, NationalNetwork
from nafitha.paths import ROOT
from tests.national.network_checks import (
    CenterDriver,
    center_seqs,
    check_center,
    latency_report,
    wait_converged,
)
from tests.support.chain import rehash

pytestmark = pytest.mark.slow

CENTERS = (
    ("c1", "مركز الاختبار ١", "Test center 1"),
    ("c2", "مركز الاختبار ٢", "Test center 2"),
    ("c3", "مركز الاختبار ٣", "Test center 3"),
)


@dataclass
class Network:
    net: NationalNetwork
    links: dict[str, TcpProxy]

    @property
    def dsn(self) -> str:
        assert self.net.pg is not None
        return self.net.pg.dsn(HUB_DATABASE)

    def center(self, center_id: str) -> Center:
        return self.net.centers[center_id]

    def all(self) -> list[Center]:
        return list(self.net.centers.values())


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Network]:
    folder = tmp_path_factory.mktemp("national")
    pg_folder = Path(tempfile.mkdtemp(prefix="nafitha-pg-"))  # reachable by PostgreSQL's user
    links: dict[str, TcpProxy] = {}

    def through_link(center: str, hub_leaf_port: int) -> str:
        links[center] = TcpProxy(hub_leaf_port).start()
        return f"nats-leaf://127.0.0.1:{links[center].port}"

    net = NationalNetwork(
        folder=folder, centers_wanted=CENTERS, leaf_hub_url=through_link, pg_folder=pg_folder
    )
    try:
        net.prepare()
        net.start()
        yield Network(net, links)
    finally:
        net.stop()
        for link in links.values():
            link.stop()
        shutil.rmtree(pg_folder, ignore_errors=True)


@pytest.fixture
def drivers(network: Network) -> Iterator[dict[str, CenterDriver]]:
    running = {c.id: CenterDriver(c) for c in network.all() if c.server.running}
    for driver in running.values():
        driver.start()
    try:
        yield running
    finally:
        for driver in running.values():
            driver.stop()


def _settle_and_check(network: Network, wanted: list[Center]) -> None:
    took = wait_converged(network.dsn, wanted)
    counts = {c.id: check_center(network.dsn, c) for c in wanted}
    print(f"\ncaught up in {took} s; events per center {counts}")


def test_a_cut_link_heals_and_the_hub_catches_up_in_order(
    network: Network, drivers: dict[str, CenterDriver]
) -> None:
    time.sleep(3)
    network.links["c1"].cut()
    drivers["c1"].phase = "cut off"
    time.sleep(8)
    cut_issues = len(drivers["c1"].issue_s["cut off"])
    network.links["c1"].restore()
    drivers["c1"].phase = "connected"
    time.sleep(2)
    for driver in drivers.values():
        driver.stop()
    print("\n" + latency_report(list(drivers.values())))
    assert cut_issues > 0, "the cut-off center stopped issuing tickets"
    _settle_and_check(network, network.all())


def test_a_center_killed_mid_publish_restarts_without_gap_or_duplicate(network: Network) -> None:
    center = network.center("c2")
    before = len(center_seqs(center.db))
    burst = CenterDriver(center, pause_s=0.0)
    burst.start()
    deadline = time.monotonic() + 30
    while len(center_seqs(center.db)) < before + 150 and time.monotonic() < deadline:
        time.sleep(0.05)
    center.server.kill()  # SIGKILL while the relay is shipping the burst
    burst.stop()
    center.start_server()
    with_restart = CenterDriver(center)
    with_restart.start()
    time.sleep(2)
    with_restart.stop()
    _settle_and_check(network, network.all())


def test_the_hub_killed_mid_batch_and_postgres_restarted(
    network: Network, drivers: dict[str, CenterDriver]
) -> None:
    assert network.net.hub is not None and network.net.pg is not None
    time.sleep(2)
    network.net.hub.kill()  # the writer and the hub's nats-server, SIGKILL
    time.sleep(3)
    network.net.start_hub()
    time.sleep(2)
    network.net.pg.restart()  # every writer connection cut mid-work
    time.sleep(3)
    for driver in drivers.values():
        driver.stop()
    _settle_and_check(network, network.all())


def test_everything_published_again_from_seq_one_is_taken_once(network: Network) -> None:
    center = network.center("c3")
    done = subprocess.run(
        [sys.executable, "-m", "nafitha.cli", "relay", "--config", str(center.config),
         "--from", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    _settle_and_check(network, network.all())
    with connect(network.dsn) as conn:
        assert alarms.open_alarms(conn) == []


def _edit_event(db: Path, seq: int) -> None:
    conn = sqlite3.connect(db, timeout=30)
    data = json.loads(conn.execute("SELECT data FROM events WHERE id = ?", [seq]).fetchone()[0])
    data["edited"] = True
    conn.execute(
        "UPDATE events SET data = ? WHERE id = ?",
        [json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")), seq],
    )
    conn.commit()
    conn.close()


def _wait_stopped(dsn: str, center: str, timeout: float = 60.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    with connect(dsn) as conn:
        while time.monotonic() < deadline:
            if centers.status_of(conn, center) == "stopped":
                return alarms.open_alarms(conn, center)
            time.sleep(0.25)
    raise AssertionError(f"the hub did not stop {center}'s intake within {timeout:.0f} s")


def test_an_edited_event_stops_that_center_and_the_others_go_on(network: Network) -> None:
    c1, c2, c3 = (network.center(c) for c in ("c1", "c2", "c3"))
    # c1: an event edited before its relay ships it (its leaf is down meanwhile)
    c1.leaf.kill()
    kiosk = CenterDriver(c1)
    clients = kiosk._clients()
    for _ in range(3):
        clients[0].issue_ticket("civil-extract")
    edited = center_seqs(c1.db)[-2]
    _edit_event(c1.db, edited)
    c1.start_leaf()
    # c2: an old, already shipped event edited and every later hash recomputed (a forger's
    # rewrite); the next new event no longer links to what the hub holds
    wait_converged(network.dsn, [c2])
    c2_head = center_seqs(c2.db)[-1]
    c2.server.kill()
    _edit_event(c2.db, 5)
    rehash(c2.db)
    c2.start_server()
    CenterDriver(c2)._clients()[0].issue_ticket("civil-extract")
    # c3 goes on as usual meanwhile
    driver = CenterDriver(c3)
    driver.start()
    found_c1 = _wait_stopped(network.dsn, "c1")
    found_c2 = _wait_stopped(network.dsn, "c2")
    time.sleep(2)
    driver.stop()
    assert any(a["seq"] == edited for a in found_c1), found_c1
    assert any(a["seq"] == c2_head + 1 for a in found_c2), found_c2
    with connect(network.dsn) as conn:
        assert centers.one(conn, "c1")["head_seq"] == edited - 1  # nothing after it applied
        assert centers.one(conn, "c2")["head_seq"] == c2_head
    _settle_and_check(network, [c3])
