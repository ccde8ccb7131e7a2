"""The counter is paused: the reason, and one big resume."""

from __future__ import annotations

from counter.screens.base import CounterScreen, load_kv

load_kv(__file__)


class PausedScreen(CounterScreen):
    def action_resume(self) -> None:
        self.app.actions.resume()

    def action_logout(self) -> None:
        self.app.actions.logout()
