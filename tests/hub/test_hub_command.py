"""``nafitha hub`` as an operator runs it: a real process with its nats-server child, a center's
leaf dialing it, the HTTP API, ``status``, ``verify`` and ``resume``, and a clean SIGTERM."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub.store.database import connect
from hub.usecases.auth import add_person
from nafitha.chain import public_key_text
from nafitha.harness.ports import free_port, wait_for_http
from nafitha.national.nats import wait_for_leaf
from nafitha.paths import ROOT
from tests.hub.chains import chain
from tests.hub.relaying import ensure_stream, publish
from tests.national.support import NatsLeaf, run

KEY = Ed25519PrivateKey.generate()


def get_json(url: str, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as answer:
        return json.loads(answer.read())


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s: {what}")


class Hub:
    def __init__(self, folder: Path, dsn: str) -> None:
        self.folder = folder
        self.ports = {n: free_port() for n in ("client", "leaf", "monitor", "http")}
        self.leaf_passwords = {"c1": secrets.token_urlsafe(12), "c2": secrets.token_urlsafe(12)}
        self.config = folder / "hub.toml"
        centers = "".join(
            f'\n[[centers]]\nid = "{c}"\nname = {{ ar = "مركز {c}", en = "Center {c}" }}\n'
            f'leaf_password = "{p}"\npublic_key = "{public_key_text(KEY.public_key())}"\n'
            for c, p in self.leaf_passwords.items()
        )
        self.config.write_text(
            f'[hub]\ndata = "{folder / "data"}"\n\n'
            f"[nats]\nclient_port = {self.ports['client']}\nleaf_port = {self.ports['leaf']}\n"
            f'monitor_port = {self.ports["monitor"]}\nwriter_password = "writer-secret-1"\n\n'
            f'[postgres]\ndsn = "{dsn}"\n\n[http]\nport = {self.ports["http"]}\n\n'
            "[writer]\nfetch_timeout_s = 0.3\nretry_s = 0.2\nleaf_check_s = 0.5\n" + centers,
            encoding="utf-8",
        )
        self.url = f"http://127.0.0.1:{self.ports['http']}"
        self.dsn = dsn
        self.process: subprocess.Popen[bytes] | None = None
        self._token: str | None = None

    def token(self) -> str:
        """A signed-in operator's session: the intake status is not public."""
        if self._token is None:
            with connect(self.dsn) as conn:
                add_person(conn, "operator", "hub_admin", "an operator's long secret", time.time())
            request = urllib.request.Request(
                self.url + "/api/v1/ministry/auth/login",
                data=json.dumps(
                    {"username": "operator", "password": "an operator's long secret"}
                ).encode(),
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=10) as answer:
                self._token = json.loads(answer.read())["token"]
        return self._token

    def start(self) -> None:
        self.log = open(self.folder / "hub.log", "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "nafitha.cli", "hub", "--config", str(self.config)],
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for_http(self.url + "/api/v1/health", timeout=40)

    def command(self, *action: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "nafitha.cli", "hub", *action, "--config", str(self.config)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def center(self, center: str) -> dict:
        found = get_json(self.url + "/api/v1/status/centers", self.token())["centers"]
        return next(c for c in found if c["id"] == center)

    def stop(self) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.log.close()
        return self.process.returncode


@pytest.fixture
def hub(tmp_path: Path, pg_dsn: str) -> Iterator[Hub]:
    running = Hub(tmp_path, pg_dsn)
    running.start()
    try:
        yield running
    finally:
        running.stop()


def test_the_hub_takes_a_center_in_and_reports_checks_and_resumes_it(
    hub: Hub, tmp_path: Path, pg_cluster
) -> None:
    leaf = NatsLeaf(
        center="c1",
        folder=tmp_path / "leaf-c1",
        client_port=free_port(),
        monitor_port=free_port(),
        hub_url=f"nats-leaf://127.0.0.1:{hub.ports['leaf']}",
        leaf_password=hub.leaf_passwords["c1"],
        relay_password=secrets.token_urlsafe(12),
    ).start()
    try:
        wait_for_leaf(f"http://127.0.0.1:{hub.ports['monitor']}", "c1")
        rows = chain(60, KEY, sign_every=20)

        async def relay(part: list[dict]) -> None:
            client = await leaf.relay()
            try:
                await ensure_stream(client, "c1")
                await publish(client, "c1", part)
            finally:
                await client.close()

        run(relay(rows[:50]))
        wait_until(lambda: hub.center("c1")["head_seq"] == 50, 30, "c1 at 50 in the API")
        wait_until(lambda: hub.center("c1")["lag_events"] == 0, 30, "c1's lag measured")
        listed = hub.center("c1")
        assert listed["status"] == "running" and listed["open_alarms"] == 0
        assert listed["name"] == {"ar": "مركز c1", "en": "Center c1"}
        assert set(listed) == {
            "id", "name", "head_seq", "head_at", "lag_events", "lag_s", "last_contact",
            "status", "open_alarms",
        }  # fmt: skip

        shown = json.loads(hub.command("status", "--json").stdout)
        by_id = {c["id"]: c for c in shown["centers"]}
        assert by_id["c1"]["head_seq"] == 50 and by_id["c1"]["leaf_reachable"]
        assert by_id["c1"]["lag_events"] == 0
        assert not by_id["c2"]["leaf_reachable"] and by_id["c2"]["head_seq"] == 0
        table = hub.command("status").stdout
        assert "c1" in table and "leaf unreachable now" in table

        checked = hub.command("verify")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "c1: ok" in checked.stdout and "matches the hub's" in checked.stdout

        run(relay(rows[51:55]))  # event 51 never reaches the leaf: a gap
        wait_until(lambda: hub.center("c1")["status"] == "stopped", 30, "c1 stopped")
        assert hub.center("c1")["open_alarms"] == 1 and hub.center("c1")["head_seq"] == 50
        assert hub.command("verify").returncode == 0  # what the hub holds is still sound
        alarms = json.loads(hub.command("status", "--json", "--alarms").stdout)["alarms"]
        assert [(a["kind"], a["seq"]) for a in alarms] == [("gap", 52)]

        resumed = hub.command("resume", "c1", "--by", "amal")
        assert resumed.returncode == 0 and "1 alarms" in resumed.stdout
        assert hub.command("resume", "c2").returncode == 1  # c2 was never stopped
        # Nothing is skipped: the gap is still there, so the center stops again.
        wait_until(lambda: hub.center("c1")["status"] == "stopped", 30, "c1 stopped again")
        assert hub.center("c1")["head_seq"] == 50

        with pytest.raises(urllib.error.HTTPError) as anonymous:  # not for the public
            get_json(hub.url + "/api/v1/status/centers")
        assert anonymous.value.code == 401
        anonymous.value.close()

        pg_cluster.stop()  # the API says so, in both languages, and comes back with it
        try:
            token = hub.token()
            with pytest.raises(urllib.error.HTTPError) as down:
                get_json(hub.url + "/api/v1/status/centers", token)
            assert down.value.code == 503
            error = json.loads(down.value.read())["error"]
            down.value.close()
            assert error["code"] == "hub_database_unavailable" and error["message"]["ar"]
            with pytest.raises(urllib.error.HTTPError) as unhealthy:
                get_json(hub.url + "/api/v1/health")
            assert json.loads(unhealthy.value.read())["database"] is False
            unhealthy.value.close()
        finally:
            pg_cluster.start()
        assert get_json(hub.url + "/api/v1/health")["status"] == "ok"
    finally:
        leaf.stop()
    assert hub.stop() == 0
    with pytest.raises((urllib.error.URLError, OSError)):
        get_json(f"http://127.0.0.1:{hub.ports['monitor']}/healthz")  # its nats-server is gone


def test_the_hub_without_postgres_says_so_in_one_line(tmp_path: Path) -> None:
    hub = Hub(tmp_path, f"host=127.0.0.1 port={free_port()} user=nafitha dbname=none")
    hub.config.write_text(
        hub.config.read_text().replace("[http]", "start_wait_s = 1\n\n[http]"), encoding="utf-8"
    )
    done = hub.command("run")
    assert done.returncode == 1
    assert "nafitha hub: PostgreSQL does not answer" in done.stderr
    assert "Traceback" not in done.stderr
