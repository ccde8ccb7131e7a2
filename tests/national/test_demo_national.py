"""``nafitha demo --national``: a hub and three centers come up, say where they are, ship every
event to the hub, stop cleanly, and come back on the same folder; a taken port is named."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from nafitha.client import Client
from nafitha.paths import ROOT
from tests.national.network_checks import center_seqs
from tests.support.ports import free_port

pytestmark = pytest.mark.slow
READY = "Ctrl+C stops the demo."


@pytest.fixture
def data() -> Iterator[Path]:
    """A folder PostgreSQL's own user can reach (pytest's tmp folders are closed to others)."""
    folder = Path(tempfile.mkdtemp(prefix="nafitha-national-demo-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _free_block(size: int = 4) -> int:
    """A port P with P..P+size-1 all free right now (the hub, then the three centers)."""
    return free_port(span=size)


def start(data: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "nafitha.cli", "demo", "--national", "--no-gui",
             "--history", "1", "--data", str(data), "--port", str(port)],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    deadline = time.monotonic() + 180
    while READY not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            raise AssertionError(f"the demo did not come up:\n{log.read_text()[-3000:]}")
        time.sleep(0.3)
    return process


def stop(process: subprocess.Popen[bytes]) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        raise AssertionError("the demo did not stop within 60 s of SIGTERM") from None


def _processes_using(folder: Path) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if str(folder) in line:
                found.append(f"{entry.name}: {line[:160]}")
    return found


def _signed_in(hub: str) -> dict[str, str]:
    """The demo ministry account's session header (the intake status is not public)."""
    answer = requests.post(
        f"{hub}/api/v1/ministry/auth/login",
        json={"username": "ministry", "password": "demo-hub"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text  # the demo's ministry account
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def _wait_hub_holds(hub: str, data: Path, timeout: float = 90.0) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    headers = _signed_in(hub)
    while True:
        status = requests.get(f"{hub}/api/v1/status/centers", headers=headers, timeout=10).json()
        heads = {c["id"]: c["head_seq"] for c in status["centers"]}
        local = {c: center_seqs(data / "centers" / c / "nafitha.db")[-1] for c in heads}
        if heads == local:
            return heads
        if time.monotonic() > deadline:
            raise AssertionError(f"hub heads {heads} != centers' {local}")
        time.sleep(0.5)


def test_the_national_demo_comes_up_ships_everything_and_restarts(data: Path) -> None:
    port = _free_block()
    hub = f"http://127.0.0.1:{port}"
    log = data / "one.log"
    process = start(data, port, log)
    try:
        banner = log.read_text()
        assert f"the hub at {hub}" in banner
        urls = dict(re.findall(r"center (\w+)\s+(http://\S+)", banner))
        assert urls == {
            "beirut": f"http://127.0.0.1:{port + 1}",
            "tripoli": f"http://127.0.0.1:{port + 2}",
            "saida": f"http://127.0.0.1:{port + 3}",
        }
        assert len(re.findall(r"file\s+[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]", banner)) == 9
        ticket = Client(urls["tripoli"], token="demo-kiosk-1").issue_ticket("passport-new")
        heads = _wait_hub_holds(hub, data)
        assert heads["tripoli"] > 30  # accounts, sample files (and a past day, unless a Sunday)
        anonymous = requests.get(f"{hub}/api/v1/status/centers", timeout=10)
        assert anonymous.status_code == 401  # the intake status is the ministry's, not public
        escalated = requests.get(
            f"{hub}/api/v1/ministry/complaints", headers=_signed_in(hub), timeout=10
        ).json()  # each center's demo complaint, left unanswered, reached the ministry
        assert sorted(c["center"] for c in escalated["complaints"] if c["open"]) == [
            "beirut", "saida", "tripoli"
        ]  # fmt: skip
        verify = subprocess.run(
            [sys.executable, "-m", "nafitha.cli", "hub", "verify", "--config",
             str(data / "hub.toml")],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert verify.returncode == 0, verify.stdout + verify.stderr
    finally:
        assert stop(process) == 0
    assert _processes_using(data) == []  # PostgreSQL, nats-servers, hub, centers: all gone

    process = start(data, port, data / "two.log")
    try:
        again = Client(urls["tripoli"], token="demo-kiosk-1").issue_ticket("passport-new")
        assert again["number"] != ticket["number"] and again["number"].startswith("P-")
        after = _wait_hub_holds(hub, data)
        assert after["tripoli"] > heads["tripoli"]
    finally:
        stop(process)


def test_a_taken_port_is_named(data: Path) -> None:
    port = _free_block()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port + 2))
        taken.listen(1)
        done = subprocess.run(
            [sys.executable, "-m", "nafitha.cli", "demo", "--national", "--no-gui",
             "--data", str(data), "--port", str(port)],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert done.returncode != 0
    assert f"port {port + 2} is taken" in done.stdout + done.stderr
