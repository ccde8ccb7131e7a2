"""Transfer the ticket being served to another service or another counter, with a note."""

from __future__ import annotations

from typing import Any

from counter.screens.base import CounterScreen, load_kv
from counter.screens.widgets import ChoiceButton
from counter.state import service_id

load_kv(__file__)


class TransferScreen(CounterScreen):
    def on_kv_post(self, *_: Any) -> None:
        self.app.state.fbind("lang", lambda *_a: self._fill() if self.manager else None)

    def on_pre_enter(self, *_: Any) -> None:
        self.app.state.clear_notice()
        self.target: tuple[str, str] | None = None
        self.ids.note.text = ""
        self._fill()

    def on_enter(self, *_: Any) -> None:
        self.ids.note.focus = True

    def title(self, ticket: dict[str, Any], lang: str) -> str:
        return self.app.tr("transfer_title", lang, number=(ticket or {}).get("number", ""))

    def _fill(self) -> None:
        state = self.app.state
        current = service_id(state.ticket)
        services, counters = self.ids.services, self.ids.counters
        services.clear_widgets()
        counters.clear_widgets()
        for service in sorted(state.catalog):
            if service == current:
                continue
            services.add_widget(self._choice("service", service, state.service_name(service)))
        for counter in state.counters:
            if counter["id"] == state.counter_id:
                continue
            counters.add_widget(self._choice("counter", counter["id"], state.counter_name(counter)))

    def _choice(self, kind: str, value: str, text: str) -> ChoiceButton:
        target = getattr(self, "target", None)
        button = ChoiceButton(
            name=f"to_{kind}_{value}",
            value=value,
            logical=text,
            selected=target == (kind, value),
        )
        button.bind(on_release=lambda _b: self.choose(kind, value))
        return button

    def choose(self, kind: str, value: str) -> None:
        self.target = (kind, value)
        for box in (self.ids.services, self.ids.counters):
            for button in box.children:
                button.selected = button.name == f"to_{kind}_{value}"

    def _choices(self) -> list[ChoiceButton]:
        # children are kept last-first; the screen shows services, then counters, top down
        return [*reversed(self.ids.services.children), *reversed(self.ids.counters.children)]

    def _step(self, by: int) -> None:
        choices = self._choices()
        if not choices:
            return
        names = [button.name for button in choices]
        here = next((i for i, b in enumerate(choices) if b.selected), -1 if by > 0 else 0)
        button = choices[(here + by) % len(names)]
        kind, _, value = button.name.removeprefix("to_").partition("_")
        self.choose(kind, value)
        scroller = button.parent.parent
        scroller.scroll_to(button, padding=10, animate=False)

    def action_next_choice(self) -> None:
        self._step(1)

    def action_previous_choice(self) -> None:
        self._step(-1)

    def action_confirm(self) -> None:
        if not self.target:
            self.app.state.say("choose_target", "error")
            return
        kind, value = self.target
        self.app.actions.transfer(
            service=value if kind == "service" else None,
            counter=value if kind == "counter" else None,
            note=self.ids.note.text,
        )

    def action_cancel(self) -> None:
        self.app.state.clear_notice()
        self.app.state.screen = "serve"
