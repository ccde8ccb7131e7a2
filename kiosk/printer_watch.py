"""Asking the printer how it is before anyone commits, so the welcome screen can say "paper out".

A citizen who learns that the paper is out only after confirming has already given up their place
in the flow. While the welcome screen shows, the printer is asked (DLE EOT) every ``interval_s``;
the answer goes to ``state.printer``, which the welcome banner reads. The print itself checks
again, and a failed print marks the printer at once (``kiosk/issuing.py``).
"""

from __future__ import annotations

import logging
from typing import Any

from kiosk.state import KioskState
from nafitha.gui.background import Background

log = logging.getLogger("nafitha.kiosk")

PRINTER_CHECK_S = 20.0


class PrinterWatch:
    def __init__(self, state: KioskState, background: Background, printer: Any) -> None:
        self.state = state
        self.background = background
        self.printer = printer
        self.interval_s = PRINTER_CHECK_S
        self._checked = float("-inf")
        self._asking = False

    def tick(self, now: float, calm: bool) -> None:
        """Ask again when the screen is calm (welcome) and the last answer is old enough."""
        if self._asking or not hasattr(self.printer, "status"):
            return
        if not calm or now - self._checked < self.interval_s:
            return
        self._asking = True
        self._checked = now
        self.background.run(self.printer.status, self._answered, self._unknown)

    def _answered(self, status: Any) -> None:
        self._asking = False
        self.state.printer = {
            "state": str(getattr(status, "state", "")),
            "can_print": bool(getattr(status, "can_print", True)),
            "message": dict(getattr(status, "message", {}) or {}),
        }

    def _unknown(self, error: Exception) -> None:
        self._asking = False
        log.warning("printer status not read: %r", error)
