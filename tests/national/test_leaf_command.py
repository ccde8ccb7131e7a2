"""`nafitha leaf` runs the center's leaf from `[national]`; one relay per database, many workers."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from nafitha.national.nats import wait_for_leaf
from nafitha.paths import ROOT
from tests.national.support import NatsHub
from tests.national.test_relay import check_stream, issue, wait_relayed
from tests.support.server import start_server


def _connz(monitor_port: int) -> list[dict]:
    url = f"http://127.0.0.1:{monitor_port}/connz"
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read()).get("connections") or []


def test_nafitha_leaf_runs_the_leaf_from_the_server_settings_and_a_two_worker_server_relays_once(
    tmp_path: Path, nats_hub: NatsHub, free_port
) -> None:
    client_port, monitor_port = free_port(), free_port()
    config = tmp_path / "center" / "server.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        "[national]\n"
        'center = "c2"\n'
        f'leaf_url = "nats://127.0.0.1:{client_port}"\n'
        'relay_password = "relay-password-c2"\n'
        f'hub_url = "{nats_hub.leaf_url}"\n'
        f'leaf_password = "{nats_hub.centers["c2"]}"\n'
        f"leaf_client_port = {client_port}\n"
        f"leaf_monitor_port = {monitor_port}\n"
        f'leaf_store = "{tmp_path / "leaf"}"\n',
        encoding="utf-8",
    )
    leaf = subprocess.Popen(
        [sys.executable, "-m", "nafitha.cli", "leaf", "--config", str(config)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = None
    try:
        wait_for_leaf(nats_hub.monitor_url, "c2")
        assert (tmp_path / "leaf" / "leaf.conf").stat().st_mode & 0o777 == 0o600
        server = start_server(tmp_path / "center", workers=2, extra_args=["--config", str(config)])
        issue(server, 30)
        wait_relayed(nats_hub, server.db, center="c2")
        check_stream(nats_hub, server.db, center="c2")
        relays = [c for c in _connz(monitor_port) if c.get("name") == "nafitha-relay-c2"]
        assert len(relays) == 1, relays  # two workers, one relay: the lock file
        lock = os.open(server.db.with_name(server.db.name + ".relay.lock"), os.O_RDWR)
        try:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held = False
            except OSError:
                held = True
            assert held, "no process holds the relay lock"
        finally:
            os.close(lock)
    finally:
        if server is not None:
            server.stop()
        leaf.send_signal(signal.SIGTERM)
        try:
            code = leaf.wait(15)
        except subprocess.TimeoutExpired:
            leaf.kill()
            leaf.wait(10)
            raise
    assert code == 0  # the signal reached nats-server itself (exec), which stopped cleanly
    deadline = time.monotonic() + 20
    while nats_hub.process and any(x["name"] == "center-c2" for x in _leafz(nats_hub.monitor_port)):
        assert time.monotonic() < deadline


def _leafz(port: int) -> list[dict]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/leafz", timeout=5) as response:
        return json.loads(response.read()).get("leafs") or []


def test_the_hub_ca_goes_into_the_leafs_remote_and_a_missing_one_is_named(tmp_path: Path) -> None:
    """``--print`` shows the link's TLS (the CA the leaf trusts); a CA file that is not there is
    refused with its key and path, before any nats-server starts."""
    ca = tmp_path / "hub-ca.crt"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    config = tmp_path / "server.toml"

    def leaf(hub_ca: Path) -> subprocess.CompletedProcess[str]:
        config.write_text(
            '[national]\ncenter = "c9"\nrelay_password = "relay-password-c9"\n'
            'hub_url = "nats-leaf://hub.example.gov:7422"\nleaf_password = "leaf-password-c9"\n'
            f'hub_ca = "{hub_ca}"\n',
            encoding="utf-8",
        )
        return subprocess.run(
            [sys.executable, "-m", "nafitha.cli", "leaf", "--config", str(config), "--print"],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip

    shown = leaf(ca)
    assert shown.returncode == 0, shown.stderr
    assert f'tls {{ ca_file: "{ca}" }}' in shown.stdout
    missing = leaf(tmp_path / "gone.crt")
    assert missing.returncode == 2
    assert "hub_ca" in missing.stderr and "gone.crt" in missing.stderr
