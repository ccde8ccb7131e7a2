"""``nafitha kiosk``: run the entrance kiosk.

    nafitha kiosk               # a local demo server, no printer, keyboard scanner
    nafitha kiosk --config /etc/nafitha/kiosk.toml
    nafitha kiosk --server http://10.0.0.2:8000 --token T --printer tcp://10.0.0.9:9100 \\
                  --scanner /dev/ttyACM0 --size 1920x1080 --fullscreen
    nafitha kiosk --mode rating --counter c3   # the rating screen at counter 3 (docs/ratings.md)
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="the kiosk's TOML settings (docs/kiosk.md)")
    parser.add_argument("--server", help="the center's server URL (default http://127.0.0.1:8000)")
    parser.add_argument("--token", help="this kiosk's device token (default demo-kiosk-1)")
    parser.add_argument(
        "--printer", help="printer setting, e.g. tcp://HOST:9100 (docs/printers.md)"
    )
    parser.add_argument("--scanner", help='"wedge", "none", or a serial port such as /dev/ttyACM0')
    parser.add_argument("--size", help="window size WIDTHxHEIGHT, e.g. 1080x1920 or 1920x1080")
    parser.add_argument(
        "--fullscreen", action="store_true", default=None, help="fill the screen (a real kiosk)"
    )
    parser.add_argument("--lang", choices=("ar", "en"), help="the welcome screen's language")
    parser.add_argument(
        "--mode",
        choices=("tickets", "rating"),
        help="tickets (the entrance kiosk) or rating (a counter's rating screen, docs/ratings.md)",
    )
    parser.add_argument("--counter", help="the counter a rating screen stands at, e.g. c3")


FLAGS = ("server", "token", "printer", "scanner", "size", "fullscreen", "lang")


def overrides(args: argparse.Namespace) -> dict[str, Any]:
    return {key: getattr(args, key, None) for key in (*FLAGS, "mode", "counter")}


def run(args: argparse.Namespace) -> int:
    import serial

    from kiosk.config import load_kiosk_settings
    from nafitha.scanner import open_scanner
    from nafitha.settings import ConfigError

    settings = load_kiosk_settings(args.config, overrides(args))
    if settings.mode == "rating":  # a counter's rating screen: no printer, no scanner
        from kiosk.rating_mode import run_rating_screen

        return run_rating_screen(settings, args.config, args.size is not None)
    source = args.config or "<command line>"
    try:  # a port not plugged in yet is waited for (staff get an alert); a bad URL is an error
        scanner = open_scanner(settings.scanner, settings.scanner_baudrate)
    except (serial.SerialException, ValueError) as exc:
        raise ConfigError(source, "scanner", f"cannot use {settings.scanner!r}: {exc}") from None
    from nafitha.gui.window import configure_window

    configure_window(*settings.window_size, settings.fullscreen)

    from kiosk.app import KioskApp
    from nafitha.client import Client
    from printers import Printer

    client = Client(
        settings.server,
        token=settings.token,
        timeout=settings.request_timeout_s,
        verify=settings.verify,
    )
    KioskApp(settings, client, Printer(settings.printer), scanner).run()
    return 0
