"""The demo center's counter: one clerk's terminal at counter 1, printing to the demo's virtual
printer. ``nafitha demo`` registers :func:`counter_part`; ``--no-gui`` leaves it out."""

from __future__ import annotations

import sys
from typing import Any


def counter_part(setup: Any) -> Any:
    """``nafitha counter`` at c1 against the demo server (log in as clerk1, password demo)."""
    from nafitha.demo_part import Part
    from printers.demo import demo_printer_url

    if not setup.gui:
        return None
    printer = demo_printer_url(setup)
    print(f"  counter      c1 (clerk1 / demo), receipts on {printer}", flush=True)
    hint = "D reprints the called ticket; Ctrl+Shift+F12 is the silent alarm (on /dashboard)"
    print(f"               {hint}", flush=True)
    return Part(
        "counter",
        [
            sys.executable,
            "-m",
            "nafitha.cli",
            "counter",
            "--server",
            setup.url,
            "--counter",
            "c1",
            "--printer",
            printer,
        ],
        gui=True,
    )
