"""The demo center's printer: a virtual ESC/POS printer, so a newcomer sees every printed page.

``nafitha demo`` registers :func:`virtual_printer_part`; the kiosk's and counter's demo parts print
to :func:`demo_printer_url`. Pages land in ``<demo data>/printed/page-NNNN.png`` with a log.
"""

from __future__ import annotations

import socket
import sys
from typing import Any

PORT_OFFSET = 100  # the server's port + 100 (8100 beside 8000) when it is free
_chosen: dict[str, int] = {}


def _free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def demo_printer_port(setup: Any) -> int:
    """The virtual printer's port for this demo run, chosen once (the same for every part)."""
    key = str(setup.data)
    if key not in _chosen:
        host = "127.0.0.1"
        port = setup.port + PORT_OFFSET
        if not (0 < port < 65536 and _free(host, port)):
            with socket.socket() as probe:
                probe.bind((host, 0))
                port = probe.getsockname()[1]
        _chosen[key] = port
    return _chosen[key]


def demo_printer_url(setup: Any, width_mm: int = 80) -> str:
    """The printer setting the demo's kiosks and counters print with."""
    return f"tcp://127.0.0.1:{demo_printer_port(setup)}?width={width_mm}"


def virtual_printer_part(setup: Any) -> Any:
    """The demo part running ``nafitha print virtual`` into ``<data>/printed``."""
    from nafitha.demo_part import Part

    out = setup.data / "printed"
    print(f"  printer      {demo_printer_url(setup)}  (pages in {out})", flush=True)
    return Part(
        "virtual-printer",
        [
            sys.executable,
            "-m",
            "nafitha.cli",
            "print",
            "virtual",
            "--listen",
            f"127.0.0.1:{demo_printer_port(setup)}",
            "--out",
            str(out),
        ],
    )
