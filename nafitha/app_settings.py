"""What the kiosk's and the counter's settings share: the server, the printer, the window.

Each app's settings model subclasses :class:`AppSettings` and adds its own keys (the kiosk's token
and timings, the counter's counter id); both are read by :func:`nafitha.settings.load_settings`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

from pydantic import field_validator

from nafitha.settings import Settings, window_pixels

DEFAULT_SERVER = "http://127.0.0.1:8000"
MAX_SIDE = 7680
_SIZE = re.compile(r"^(\d{3,5})x(\d{3,5})$")


class AppSettings(Settings):
    """Settings of a Kivy app that talks to the center's server and may print."""

    MIN_SIZE: ClassVar[tuple[int, int]] = (320, 320)
    """The smallest window the app's layout still fits."""
    PRINTER_OPTIONAL: ClassVar[bool] = True
    """Whether an empty ``printer`` (no printer) is allowed."""

    server: str = DEFAULT_SERVER
    """Base URL of the center's server."""
    printer: str = ""
    """A printer setting as in ``docs/printers.md`` (usb://, serial://, tcp://, ...)."""
    size: str = "1280x800"
    """Window size in pixels, ``WIDTHxHEIGHT``."""
    fullscreen: bool = False
    ca_file: str = ""
    """The center's CA certificate (PEM) for an ``https://`` server; empty: the system's CAs."""

    @property
    def verify(self) -> bool | str:
        """What :class:`nafitha.client.Client` checks the server's certificate against."""
        return self.ca_file or True

    @field_validator("server")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                "must be an http:// or https:// URL with a host, e.g. http://127.0.0.1:8000"
            )
        return value.rstrip("/")

    @field_validator("ca_file")
    @classmethod
    def _ca_file(cls, value: str) -> str:
        if value and not Path(value).is_file():
            raise ValueError(f"no such file {value!r} (the center's CA, from nafitha tls init)")
        return value

    @field_validator("printer")
    @classmethod
    def _printer_setting(cls, value: str) -> str:
        if not value and cls.PRINTER_OPTIONAL:
            return value
        from printers.errors import PrinterSettingError
        from printers.setting import parse_setting

        try:
            parse_setting(value)
        except PrinterSettingError as exc:
            raise ValueError(exc.reason) from None
        return value

    @field_validator("size")
    @classmethod
    def _size(cls, value: str) -> str:
        match = _SIZE.match(value.strip().lower())
        if not match:
            raise ValueError("must be WIDTHxHEIGHT in pixels, e.g. 1280x800")
        width, height = int(match[1]), int(match[2])
        least_width, least_height = cls.MIN_SIZE
        if not (least_width <= width <= MAX_SIDE and least_height <= height <= MAX_SIDE):
            raise ValueError(
                f"must be at least {least_width}x{least_height} and at most {MAX_SIDE}x{MAX_SIDE}"
            )
        return f"{width}x{height}"

    @property
    def window_size(self) -> tuple[int, int]:
        return window_pixels(self.size)
