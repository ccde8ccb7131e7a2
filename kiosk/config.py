"""The kiosk's settings: one TOML file, flags on top, defaults that talk to a local demo server.

    server = "http://192.168.1.10:8000"
    token = "kiosk-entrance-1"
    printer = "tcp://192.168.1.50:9100?profile=TM-T20II"
    scanner = "/dev/ttyACM0"          # or "wedge", or "none"
    fullscreen = true
    size = "1080x1920"
    idle_timeout_s = 60
    lang = "ar"

Every key is documented in ``docs/kiosk.md``; a bad value stops the kiosk at start with the file,
the key and the reason (:class:`nafitha.settings.ConfigError`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from nafitha.settings import Settings, known_lang, load_settings, window_pixels

DEMO_SERVER = "http://127.0.0.1:8000"
DEMO_TOKEN = "demo-kiosk-1"
_SIZE = re.compile(r"^(\d{3,5})x(\d{3,5})$")


class KioskSettings(Settings):
    server: str = DEMO_SERVER
    """Base URL of the center's server."""
    token: str = Field(DEMO_TOKEN, min_length=1, max_length=200)
    """This kiosk's device token (issued by the center's admin)."""
    printer: str = "dummy://"
    """A printer setting string as in ``docs/printers.md`` (usb://, serial://, tcp://, ...)."""
    scanner: str = "wedge"
    """``wedge`` (keyboard), ``none``, or a serial port / pyserial URL (``/dev/ttyACM0``)."""
    scanner_baudrate: int = Field(9600, ge=1200, le=921600)
    fullscreen: bool = False
    size: str = "1080x1920"
    """Window size ``WIDTHxHEIGHT`` (portrait 1080x1920 or landscape 1920x1080 on real kiosks)."""
    idle_timeout_s: float = Field(60.0, ge=5, le=3600)
    """Seconds without a touch before any screen returns to the welcome screen."""
    ticket_screen_s: float = Field(15.0, ge=3, le=600)
    """Seconds the printed ticket stays on screen (three times longer when the print failed)."""
    lang: str = "ar"
    """The language the welcome screen starts in (and returns to): ``ar`` or ``en``."""
    quick_services: list[str] = Field(default_factory=list, max_length=6)
    """Service ids offered on the welcome screen (two taps to a ticket); empty: the first open
    service of each of the first categories."""
    retry_interval_s: float = Field(3.0, ge=0.2, le=120)
    """Seconds between attempts while the server cannot be reached."""
    request_timeout_s: float = Field(5.0, ge=0.5, le=60)
    device_name: str = Field("", max_length=100)
    """How alerts name this kiosk for staff (e.g. "entrance left"); empty: the token's device."""

    @field_validator("server")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// URL with a host")
        return value.rstrip("/")

    @field_validator("printer")
    @classmethod
    def _printer_setting(cls, value: str) -> str:
        from printers.errors import PrinterSettingError
        from printers.setting import parse_setting

        try:
            parse_setting(value)
        except PrinterSettingError as exc:
            raise ValueError(exc.reason) from None
        return value

    @field_validator("scanner")
    @classmethod
    def _scanner(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError('must be "wedge", "none" or a serial port such as /dev/ttyACM0')
        return value

    @field_validator("size")
    @classmethod
    def _size(cls, value: str) -> str:
        match = _SIZE.match(value.strip().lower())
        if not match:
            raise ValueError("must be WIDTHxHEIGHT, e.g. 1080x1920")
        width, height = int(match[1]), int(match[2])
        if not (320 <= width <= 7680 and 320 <= height <= 7680):
            raise ValueError("width and height must be between 320 and 7680 pixels")
        return f"{width}x{height}"

    @field_validator("lang")
    @classmethod
    def _lang(cls, value: str) -> str:
        return known_lang(value)

    @property
    def window_size(self) -> tuple[int, int]:
        return window_pixels(self.size)


def load_kiosk_settings(
    path: Path | str | None, overrides: dict[str, Any] | None = None
) -> KioskSettings:
    """The settings from ``path`` (or defaults) with command-line ``overrides`` on top."""
    return load_settings(KioskSettings, path, overrides)
