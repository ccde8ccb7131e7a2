"""The counter's settings: one TOML file, overridden by command-line flags, checked at start.

Every setting has a safe default, so with no file and no flags the counter talks to a demo server on
this machine and shows receipts on screen instead of printing them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, ClassVar

from pydantic import field_validator

from nafitha.app_settings import DEFAULT_SERVER, AppSettings
from nafitha.settings import known_lang, load_settings

__all__ = ["DEFAULT_SERVER", "CounterSettings", "load_counter_settings"]


class CounterSettings(AppSettings):
    """What one counter terminal needs to know about its place in the center."""

    MIN_SIZE: ClassVar[tuple[int, int]] = (640, 480)

    counter: str = ""
    """The counter id this terminal sits at (``c1``); empty: the clerk picks it at log-in."""
    printer: str = ""
    """Receipt printer setting as in ``docs/printers.md`` (``tcp://127.0.0.1:9100?width=80``,
    ``usb://04b8:0e15``, ...); empty: no printer, receipts are shown on screen."""
    scanner: str = ""
    """Barcode scanner: a serial port (``/dev/ttyACM0``) or pyserial URL (``socket://host:port``),
    ``wedge`` for a scanner that types like a keyboard (then only function keys are shortcuts),
    or empty for none (references are typed)."""
    state_dir: str = ""
    """Where the counter keeps what must survive its own restart (a silent alarm not yet
    acknowledged); empty: ``$XDG_STATE_HOME/nafitha`` or ``~/.local/state/nafitha``."""
    language: str = "ar"
    """The language shown at start (``ar`` or ``en``); each clerk may switch."""

    @field_validator("counter")
    @classmethod
    def _counter_is_id(cls, value: str) -> str:
        if value and not re.match(r"^[A-Za-z0-9_.-]{1,40}$", value):
            raise ValueError("must be a counter id such as c1 (letters, digits, - _ .)")
        return value

    @field_validator("scanner")
    @classmethod
    def _scanner_exists(cls, value: str) -> str:
        value = value.strip()
        if value.lower() in ("", "none", "wedge") or "://" in value:
            return value.lower() if value.lower() in ("none", "wedge") else value
        if not Path(value).exists():
            raise ValueError(f"no such serial port {value!r} (is the scanner plugged in?)")
        return value

    @field_validator("language")
    @classmethod
    def _language_known(cls, value: str) -> str:
        return known_lang(value)


def state_folder(settings: CounterSettings) -> Path:
    """The counter's own state folder (made by whoever writes into it)."""
    if settings.state_dir:
        return Path(settings.state_dir).expanduser()
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "nafitha"


def load_counter_settings(
    path: Path | str | None, overrides: dict[str, Any] | None = None
) -> CounterSettings:
    """The settings from ``path`` (defaults when None) with flags on top; bad values raise
    :class:`nafitha.settings.ConfigError` naming the file, key and reason."""
    return load_settings(CounterSettings, path, overrides)
