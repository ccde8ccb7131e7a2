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

from pathlib import Path
from typing import Any, ClassVar

from pydantic import Field, field_validator

from nafitha.app_settings import DEFAULT_SERVER, AppSettings
from nafitha.settings import known_lang, load_settings

DEMO_SERVER = DEFAULT_SERVER
DEMO_TOKEN = "demo-kiosk-1"


class KioskSettings(AppSettings):
    """The entrance kiosk: the server, printer and window of :class:`AppSettings`, and its own."""

    PRINTER_OPTIONAL: ClassVar[bool] = False  # a kiosk prints every ticket

    token: str = Field(DEMO_TOKEN, min_length=1, max_length=200)
    """This kiosk's device token (issued by the center's admin)."""
    printer: str = "dummy://"
    """A printer setting string as in ``docs/printers.md`` (usb://, serial://, tcp://, ...)."""
    scanner: str = "wedge"
    """``wedge`` (keyboard), ``none``, or a serial port / pyserial URL (``/dev/ttyACM0``)."""
    scanner_baudrate: int = Field(9600, ge=1200, le=921600)
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
    mode: str = "tickets"
    """``tickets`` (the entrance kiosk) or ``rating`` (a small screen at one counter where the
    citizen rates the visit just finished there: docs/ratings.md)."""
    counter: str = Field("", max_length=64)
    """The counter a ``rating`` screen stands at (its id, e.g. ``c3``)."""
    rating_poll_s: float = Field(3.0, ge=0.2, le=60)
    """Seconds between the rating screen's checks for a finished visit (the live events also
    wake it at once)."""
    rating_thanks_s: float = Field(6.0, ge=1, le=120)
    """Seconds the rating screen says thank you before it goes back to waiting."""

    @field_validator("scanner")
    @classmethod
    def _scanner(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError('must be "wedge", "none" or a serial port such as /dev/ttyACM0')
        return value

    @field_validator("mode")
    @classmethod
    def _mode(cls, value: str) -> str:
        if value not in ("tickets", "rating"):
            raise ValueError('must be "tickets" or "rating"')
        return value

    @field_validator("lang")
    @classmethod
    def _lang(cls, value: str) -> str:
        return known_lang(value)


def load_kiosk_settings(
    path: Path | str | None, overrides: dict[str, Any] | None = None
) -> KioskSettings:
    """The settings from ``path`` (or defaults) with command-line ``overrides`` on top."""
    return load_settings(KioskSettings, path, overrides)
