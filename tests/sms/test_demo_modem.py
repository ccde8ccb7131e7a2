"""``nafitha demo`` (on a port of its own) names its simulated modem's folder; its server sends
messages, so the kiosk and the counter offer them; a file opened with the citizen's consent texts
"ready" into ``sent/``; a reference dropped in its inbox comes back in ``sent/`` with the file's
stage, as a citizen's basic phone would get it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nafitha.client import Client
from nafitha.paths import ROOT
from tests.support.ports import free_port, wait_for_http

pytestmark = pytest.mark.slow


def test_the_demo_answers_a_texted_reference_through_its_folder_modem(tmp_path: Path) -> None:
    data, port, log = tmp_path / "demo", free_port(), tmp_path / "demo.log"
    argv = [sys.executable, "-m", "nafitha.cli", "demo", "--no-gui", "--history", "0",
            "--data", str(data), "--port", str(port)]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_http(url + "/api/v1/health", timeout=60)
        assert Client(url).health()["sms"]["state"] in ("starting", "connected")  # the counter
        assert Client(url).services()["sms"]["available"] is True  # the kiosk and phone page
        clerk = Client(url)
        clerk.login("clerk1", "demo", counter="c1")
        reference = clerk.open_file("passport-new", {"name": "Rana"}, [0])["reference"]
        told = clerk.open_file(
            "civil-extract", {"name": "Rana", "phone": "03 765 432"}, [0, 1], notify=True, lang="en"
        )["reference"]
        manager = Client(url)
        manager.login("manager", "demo")
        for stage in ("document-check", "registry", "signature", "ready"):
            manager.move_file(told, stage)
        sent, inbox = data / "sms" / "sent", data / "sms" / "inbox"
        deadline = time.monotonic() + 20
        while f"{inbox}" not in log.read_text(errors="replace"):
            assert time.monotonic() < deadline, "the demo did not name its modem's folder"
            time.sleep(0.1)
        (inbox / "+9613123456.txt").write_text(reference, encoding="utf-8")
        deadline = time.monotonic() + 20
        while not list(sent.glob("*_+9613123456.txt")):
            assert time.monotonic() < deadline, "no answer in the sent folder"
            time.sleep(0.1)
        [answer] = sent.glob("*_+9613123456.txt")
        text = answer.read_text(encoding="utf-8")
        assert f"المعاملة {reference}: " in text
        assert "Encoding: ucs2" in text and "Rana" not in text
        [ready] = sent.glob("*_+9613765432.txt")  # sent long before the reply was asked for
        text = ready.read_text(encoding="utf-8")
        assert "Encoding: gsm7" in text and told in text and "ready" in text
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
