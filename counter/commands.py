"""``nafitha counter``: run a clerk's counter terminal.

    nafitha counter [--config FILE] [--server URL] [--counter ID] [--printer SETTING]
                    [--scanner PORT|wedge] [--size WxH] [--fullscreen] [--lang ar|en]
                    [--state-dir DIR]

Flags override the file; with neither, the counter talks to a demo server on http://127.0.0.1:8000.
"""

from __future__ import annotations

import argparse
import os
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    add("--config", metavar="FILE", help="counter settings (TOML), see docs/counter.md")
    add("--server", metavar="URL", help="the center's server, e.g. http://10.0.0.2:8000")
    add("--counter", metavar="ID", help="the counter this terminal sits at, e.g. c1")
    add("--printer", metavar="SETTING", help="receipt printer, e.g. tcp://127.0.0.1:9100")
    add("--scanner", metavar="PORT", help="scanner serial port, or 'wedge' for a keyboard one")
    parser.add_argument("--size", metavar="WxH", help="window size in pixels, e.g. 1280x800")
    parser.add_argument(
        "--fullscreen", action="store_true", default=None, help="fill the screen (a real counter)"
    )
    parser.add_argument("--lang", choices=("ar", "en"), help="language shown at start")
    add("--state-dir", metavar="DIR", help="where a pending silent alarm survives a restart")


def overrides_from(args: argparse.Namespace) -> dict[str, Any]:
    """The flags given on the command line, as settings keys (None when not given)."""
    return {
        "server": args.server,
        "counter": args.counter,
        "printer": args.printer,
        "scanner": args.scanner,
        "size": args.size,
        "fullscreen": args.fullscreen,
        "language": args.lang,
        "state_dir": args.state_dir,
    }


def run(args: argparse.Namespace) -> int:
    from counter.config import load_counter_settings

    settings = load_counter_settings(args.config, overrides_from(args))
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    from counter.launch import run_counter

    return run_counter(settings)
