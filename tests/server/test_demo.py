"""``nafitha demo --no-gui``: prints its accounts, serves, and keeps numbering across a restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from nafitha.client import Client
from nafitha.paths import ROOT
from tests.support.ports import free_port, wait_for_http

pytestmark = pytest.mark.slow


def start_demo(data: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "nafitha.cli",
                "demo",
                "--no-gui",
                "--data",
                str(data),
                "--port",
                str(port),
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    wait_for_http(f"http://127.0.0.1:{port}/api/v1/health", timeout=60)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def test_demo_prints_accounts_and_keeps_numbering_after_restart(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start_demo(data, port, tmp_path / "one.log")
    try:
        kiosk = Client(url, token="demo-kiosk-2")
        first = kiosk.issue_ticket("passport-new")
        clerk = Client(url)
        assert clerk.login("clerk10", "demo", counter="c10")["role"] == "clerk"
        assert Client(url).login("admin", "demo")["role"] == "admin"
    finally:
        stop(process)
    banner = (tmp_path / "one.log").read_text()
    for text in (
        "admin",
        "manager",
        "clerk1",
        "demo-kiosk-1",
        "demo-kiosk-2",
        "password: demo",
        url,
    ):
        assert text in banner
    process = start_demo(data, port, tmp_path / "two.log")
    try:
        again = Client(url, token="demo-kiosk-1").issue_ticket("passport-new")
        assert first["number"] == "P-001" and again["number"] == "P-002"
    finally:
        stop(process)
