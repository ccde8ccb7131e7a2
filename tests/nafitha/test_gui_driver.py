"""The driver's calls and answers stay paired: a call that gave up waiting leaves its late answer
behind, and the next call must not take it for its own (under load a kiosk test once read a
``describe`` answer as the next ``texts`` and failed with a TypeError far from the cause)."""

from __future__ import annotations

import sys
import textwrap

import pytest

from nafitha.gui.driver import AppProcess, ControlError

# A stand-in for the app's end of the pipes: answers each command with its name, the first
# "slow" one after a second. Standard library only.
APP = textwrap.dedent(
    """
    import json, os, time
    read_fd, write_fd = (int(p) for p in os.environ["NAFITHA_CONTROL_FDS"].split(","))
    writer = os.fdopen(write_fd, "w", buffering=1)
    slow_done = False
    with os.fdopen(read_fd) as reader:
        for line in reader:
            request = json.loads(line)
            if request["cmd"] == "slow" and not slow_done:
                slow_done = True
                time.sleep(1.0)
            answer = {"ok": True, "value": request["cmd"]}
            if "id" in request:
                answer["id"] = request["id"]
            writer.write(json.dumps(answer) + "\\n")
    """
)


def test_a_late_answer_is_never_taken_for_the_next_calls() -> None:
    app = AppProcess([sys.executable, "-c", APP], start_timeout=20)
    try:
        with pytest.raises(ControlError):
            app.call("slow", timeout=0.2)
        assert app.call("texts", timeout=5) == "texts"
        assert app.call("describe", timeout=5) == "describe"
    finally:
        app.close()
