"""Driving the real counter app in a child process (Kivy allows one window per process), for the
counter's tests and ``bench/counter.py`` (here, so a benchmark never imports the test suite).

``start_counter`` runs ``nafitha counter`` with control pipes (:mod:`nafitha.gui.driver`);
:class:`CounterDriver` wraps the commands the tests use: state, keys, taps, fields, screenshots.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nafitha.gui.driver import AppProcess, ControlError

State = dict[str, Any]


class CounterDriver:
    def __init__(self, app: AppProcess, artifacts: Path) -> None:
        self.app = app
        self.artifacts = artifacts

    def state(self) -> State:
        return self.app.call("state")

    def wait(self, predicate: Callable[[State], bool], what: str, timeout: float = 15.0) -> State:
        """Poll the app's state until ``predicate`` holds; the state then."""
        deadline = time.monotonic() + timeout
        state = self.state()
        while not predicate(state):
            if time.monotonic() > deadline:
                raise ControlError(f"timed out waiting for {what}; state: {state}")
            time.sleep(0.05)
            state = self.state()
        return state

    def idle(self) -> State:
        """Wait until no action is in flight."""
        return self.wait(lambda s: not s["busy"], "the action to finish")

    def press(self, key: str) -> None:
        self.app.call("press", name=key)

    def tap(self, name: str) -> None:
        self.app.call("tap", name=name)

    def fill(self, name: str, text: str) -> None:
        self.app.call("fill", name=name, text=text)

    def type_text(self, text: str) -> None:
        """Characters typed one by one into the focused field, as a keyboard sends them."""
        self.app.call("type", keys=list(text), interval=0)

    def screen(self) -> str:
        return self.state()["screen"]

    def texts(self) -> list[str]:
        return self.app.call("texts")

    def describe(self, name: str) -> dict[str, Any]:
        return self.app.call("describe", name=name)

    def login(self, username: str, password: str) -> State:
        self.fill("username", username)
        self.fill("password", password)
        self.tap("login")
        return self.wait(
            lambda s: s["screen"] == "serve" and bool(s["services"]), "the serve screen"
        )

    def shot(self, name: str) -> Path:
        """Save what the window shows as ``counter-<name>.png`` in the artifacts folder."""
        time.sleep(0.35)  # let a frame draw the last change
        path = self.artifacts / f"counter-{name}.png"
        self.app.call("screenshot", path=str(path))
        return path

    def shots_both(self, name: str) -> None:
        """A screenshot in each language, leaving the language as it was."""
        first = self.state()["lang"]
        self.shot(f"{name}-{first}")
        self.app.call("press", name="f12")
        self.wait(lambda s: s["lang"] != first, "the language switch")
        self.shot(f"{name}-{'en' if first == 'ar' else 'ar'}")
        self.app.call("press", name="f12")
        self.wait(lambda s: s["lang"] == first, "the language switch back")

    def close(self) -> None:
        self.app.close()


def start_counter(
    server_url: str,
    counter: str,
    log_path: Path,
    artifacts: Path,
    printer: str | None = None,
    lang: str = "ar",
    extra: tuple[str, ...] = (),
) -> CounterDriver:
    argv = [
        sys.executable,
        "-m",
        "nafitha.cli",
        "counter",
        "--server",
        server_url,
        "--counter",
        counter,
        "--size",
        "1280x800",
        "--lang",
        lang,
        "--state-dir",  # its own, not the user's: tests run side by side
        str(log_path.parent / f"{log_path.stem}-state"),
        *extra,
    ]
    if printer:
        argv += ["--printer", printer]
    return CounterDriver(AppProcess(argv, log_path=log_path), artifacts)
