"""The reprinted ticket on screen (number, service, queue, QR) while the copy prints; back to the
welcome screen after ``ticket_screen_s`` untouched (three times that after a failed print)."""

from __future__ import annotations

import time
from typing import Any

from kivy.clock import Clock

from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)


class ReprintResultScreen(KioskScreen):
    screen_name = "reprint_result"
    _watch: Any = None
    _since = 0.0

    def on_enter(self, *_: object) -> None:
        self._since = time.monotonic()
        self._watch = Clock.schedule_interval(self._check, 0.5)

    def on_leave(self, *_: object) -> None:
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None

    def _check(self, _dt: float) -> None:
        app = self.app
        if app.reprint.timed_out(self._since, app._last_touch, app.ticket_screen_s):
            app.home()
