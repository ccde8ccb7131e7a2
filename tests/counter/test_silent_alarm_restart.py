"""A silent alarm pressed while the server is away survives a restart of the counter app: it was
written down before it was sent, and the next start sends it, without the keys pressed again."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from nafitha.harness.server import start_server
from tests.counter.driver import CounterDriver


def test_an_alarm_not_yet_acknowledged_is_sent_by_the_next_start_of_the_counter(
    counters: Callable[..., CounterDriver], tmp_path: Path
) -> None:
    server = start_server(tmp_path / "center")
    try:
        state = tmp_path / "counter-state"
        counter = counters(server.url, "c1", extra=("--state-dir", str(state)))
        counter.login("clerk1", "demo")
        server.stop()  # the server is away (a power cut in the server room)
        counter.app.call("press", name="f12", modifiers=["ctrl", "shift"])
        pending = state / "pending-alarm-c1.json"
        deadline = time.monotonic() + 10
        while not pending.exists():
            assert time.monotonic() < deadline, "the alarm was not written down"
            time.sleep(0.05)
        assert pending.stat().st_mode & 0o777 == 0o600  # it holds the session's token
        assert json.loads(pending.read_text())["counter"] == "c1"
        counter.app.process.kill()  # the counter PC loses power too
        counter.app.process.wait(10)

        server = server.restart()
        manager = server.login("manager")
        assert not [a for a in manager.alerts() if a["kind"] == "silent_alarm"]
        again = counters(server.url, "c1", extra=("--state-dir", str(state)))
        again.wait(lambda s: s["screen"] == "login", "the sign-in screen")  # nobody signed in
        deadline = time.monotonic() + 20
        while not (raised := [a for a in manager.alerts() if a["kind"] == "silent_alarm"]):
            assert time.monotonic() < deadline, "the kept alarm did not reach the managers"
            time.sleep(0.2)
        assert "1" in raised[0]["message"] and raised[0]["actor"] == "clerk1"
        deadline = time.monotonic() + 10
        while pending.exists():  # acknowledged: not sent a third time by a later start
            assert time.monotonic() < deadline, "the acknowledged alarm was kept"
            time.sleep(0.05)
    finally:
        server.stop()
