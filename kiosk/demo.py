"""The demo center's kiosk: the entrance touchscreen, printing to the demo's virtual printer.

``nafitha demo`` registers :func:`kiosk_part`; ``--no-gui`` leaves it out. Portrait at half the size
of a real 1080×1920 kiosk so it fits a laptop screen (the layout scales with the window).
"""

from __future__ import annotations

import sys
from typing import Any

DEMO_SIZE = "540x960"


def kiosk_part(setup: Any) -> Any:
    """``nafitha kiosk`` against the demo server with the first demo kiosk token."""
    from nafitha.demo_part import Part
    from printers.demo import demo_printer_url

    if not setup.gui:
        return None
    printer = demo_printer_url(setup)
    print(
        f"  kiosk        {DEMO_SIZE}, token {setup.kiosk_tokens[0]}, tickets on {printer}",
        flush=True,
    )
    return Part(
        "kiosk",
        [
            sys.executable,
            "-m",
            "nafitha.cli",
            "kiosk",
            "--server",
            setup.url,
            "--token",
            setup.kiosk_tokens[0],
            "--printer",
            printer,
            "--scanner",
            "wedge",
            "--size",
            DEMO_SIZE,
        ],
        gui=True,
    )


RATING_SIZE = "640x384"


def rating_screen_part(setup: Any) -> Any:
    """``nafitha kiosk --mode rating`` at counter c1 (the demo clerk's), with the second demo kiosk
    token: finish a visit at the counter and it asks for a rating (docs/ratings.md)."""
    from nafitha.demo_part import Part

    if not setup.gui:
        return None
    print(f"  rating       {RATING_SIZE}, at counter c1, token {setup.kiosk_tokens[1]}", flush=True)
    argv = [
        sys.executable, "-m", "nafitha.cli", "kiosk", "--mode", "rating", "--counter", "c1",
        "--server", setup.url, "--token", setup.kiosk_tokens[1], "--size", RATING_SIZE,
    ]  # fmt: skip
    return Part("rating", argv, gui=True)
