"""Pause the counter with a reason (a common one in one tap, or typed)."""

from __future__ import annotations

from typing import Any

from counter.screens.base import CounterScreen, load_kv

load_kv(__file__)

REASONS = ("reason_break", "reason_prayer", "reason_meeting", "reason_system")


class PauseScreen(CounterScreen):
    def on_pre_enter(self, *_: Any) -> None:
        self.ids.reason.text = ""
        self.app.state.clear_notice()
        self._mark("")

    def on_enter(self, *_: Any) -> None:
        self.ids.reason.focus = True

    def choose(self, key: str) -> None:
        self.ids.reason.text = self.app.tr(key, self.app.state.lang)
        self._mark(key)

    def _mark(self, key: str) -> None:
        for name in REASONS:
            self.ids[name].selected = name == key

    def _step(self, by: int) -> None:
        texts = [self.app.tr(key, self.app.state.lang) for key in REASONS]
        here = texts.index(self.ids.reason.text) if self.ids.reason.text in texts else -1
        if here < 0 and by < 0:
            here = 0
        self.choose(REASONS[(here + by) % len(REASONS)])

    def action_next_choice(self) -> None:
        self._step(1)

    def action_previous_choice(self) -> None:
        self._step(-1)

    def action_confirm(self) -> None:
        self.app.actions.pause(self.ids.reason.text)

    def action_cancel(self) -> None:
        self.app.state.clear_notice()
        self.app.state.screen = "serve"
