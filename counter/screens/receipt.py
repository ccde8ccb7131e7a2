"""A file receipt shown on screen, when the counter has no printer or the printer failed: the
citizen photographs it or copies the reference."""

from __future__ import annotations

from counter.screens.base import CounterScreen, load_kv

load_kv(__file__)


class ReceiptScreen(CounterScreen):
    def action_confirm(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        self.app.state.screen = "files"
