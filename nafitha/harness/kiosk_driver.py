"""Starting the real kiosk in a child process and tapping through it, for the kiosk's tests and
``bench/kiosk.py`` (here, so a benchmark never imports the test suite)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nafitha.gui.driver import AppProcess, ControlError
from nafitha.harness.server import RunningServer
from printers.virtual import VirtualPrinter


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)  # a JSON string or list is valid TOML here


def write_kiosk_toml(path: Path, settings: Mapping[str, Any]) -> Path:
    path.write_text(
        "".join(f"{key} = {toml_value(value)}\n" for key, value in settings.items()), "utf-8"
    )
    return path


class Kiosk:
    """The kiosk app, driven by names as a finger would drive it."""

    def __init__(self, app: AppProcess, artifacts: Path) -> None:
        self.app = app
        self.artifacts = artifacts

    def tap(self, name: str) -> None:
        self.app.call("tap", name=name)

    def state(self) -> dict[str, Any]:
        return self.app.call("state")

    def screen(self) -> str:
        return self.app.call("screen")

    def names(self) -> list[str]:
        return self.app.call("names")

    def texts(self, name: str | None = None) -> list[str]:
        if name is None:
            return self.app.call("texts")
        return self.app.call("describe", name=name)["texts"]

    def wait_screen(self, name: str, timeout: float = 20.0) -> None:
        self.app.wait_for(lambda: self.screen() == name, timeout, f"screen {name!r}")

    def wait_state(
        self, predicate: Callable[[dict[str, Any]], bool], what: str, timeout: float = 20.0
    ) -> dict[str, Any]:
        seen: dict[str, Any] = {}

        def check() -> bool:
            seen.update(self.state())
            return predicate(seen)

        self.app.wait_for(check, timeout, what)
        return seen

    def tap_to(self, name: str, screen: str) -> None:
        self.wait_for_name(name)
        self.tap(name)
        try:
            self.wait_screen(screen)
        except ControlError as exc:
            state = self.state()
            raise ControlError(
                f"{exc}; tapped {name!r} on {state['history'][-3:]}, now {state['screen']}; "
                f"visible: {self.names()}"
            ) from None

    def wait_for_name(self, name: str, timeout: float = 20.0) -> None:
        self.app.wait_for(lambda: name in self.names(), timeout, f"a widget named {name!r}")

    def shot(self, name: str) -> Path:
        path = self.artifacts / f"kiosk_{name}.png"
        self.app.call("screenshot", path=str(path))
        return path

    def home(self) -> None:
        self.app.call("home")
        self.wait_screen("welcome")

    def close(self) -> None:
        self.app.close()


@dataclass
class Portrait:
    """The portrait kiosk and the real parts around it."""

    kiosk: Kiosk
    server: RunningServer
    paper: VirtualPrinter
    scanner_fd: int  # write here what the serial scanner sends (the pty's master end)

    def scan(self, code: str) -> None:
        os.write(self.scanner_fd, code.encode("utf-8") + b"\r\n")


def start_kiosk(
    workdir: Path,
    artifacts: Path,
    server_url: str,
    printer_url: str,
    *,
    size: str = "1080x1920",
    scanner: str = "none",
    settings: Mapping[str, Any] | None = None,
) -> Kiosk:
    """``nafitha kiosk`` with these settings, its window on the test display, its log in workdir."""
    workdir.mkdir(parents=True, exist_ok=True)
    argv = [
        sys.executable, "-m", "nafitha.cli", "kiosk",
        "--server", server_url, "--printer", printer_url, "--size", size, "--scanner", scanner,
    ]  # fmt: skip
    if settings:
        argv += ["--config", str(write_kiosk_toml(workdir / "kiosk.toml", settings))]
    env = dict(os.environ)
    env.update(KIVY_HOME=str(workdir / "kivy"), KIVY_NO_ARGS="1", KIVY_NO_FILELOG="1")
    app = AppProcess(argv, env=env, log_path=workdir / "kiosk.log")
    kiosk = Kiosk(app, artifacts)
    kiosk.wait_state(lambda s: s["catalog_loaded"], "the catalog to load")
    return kiosk


def arabic_ocr(image: Path) -> str:
    """What Arabic OCR reads on a screenshot (as a reader would: shaped, right-to-left)."""
    return subprocess.run(
        ["tesseract", str(image), "-", "-l", "ara"], capture_output=True, text=True, check=True
    ).stdout


def english_ocr(image: Path, block: bool = False) -> str:
    """English OCR; ``block`` reads a printed page as one block of text (tesseract's automatic
    page layout drops a line printed right under a dashed rule)."""
    layout = ["--psm", "6"] if block else []
    return subprocess.run(
        ["tesseract", str(image), "-", "-l", "eng", *layout],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
