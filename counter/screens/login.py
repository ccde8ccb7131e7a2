"""Log in: username, password and the counter this terminal sits at."""

from __future__ import annotations

from counter.screens.base import CounterScreen, load_kv

load_kv(__file__)


class LoginScreen(CounterScreen):
    def on_pre_enter(self, *_: object) -> None:
        if not self.ids.counter.text:
            self.ids.counter.text = self.app.state.counter_id
        self.ids.password.text = ""

    def on_enter(self, *_: object) -> None:
        target = self.ids.password if self.ids.username.text else self.ids.username
        target.focus = True

    def action_login(self) -> None:
        self.app.actions.login(
            self.ids.username.text, self.ids.password.text, self.ids.counter.text
        )
