"""Transfer the ticket being served to another service or another counter, with a note.

Each target shows whether it can call the ticket now: a counter's state (open, paused, closed) and
how many wait for it; a service's waiting count and how many open counters serve it. Sending a
ticket where nobody can call it now asks a second Confirm; the confirmation says where it went.
"""

from __future__ import annotations

from typing import Any

from kivy.metrics import dp

from counter.screens.base import CounterScreen, load_kv
from counter.screens.widgets import ChoiceButton
from counter.state import service_id

load_kv(__file__)


class TransferScreen(CounterScreen):
    def on_kv_post(self, *_: Any) -> None:
        for prop in ("lang", "queue"):
            self.app.state.fbind(prop, self._refill)

    def _refill(self, *_: Any) -> None:
        """Only while this screen is shown: rebuilding its buttons costs a frame or two, and the
        queue changes at every event of the center."""
        if self.manager and self.manager.current == self.name:
            self._fill()

    def on_pre_enter(self, *_: Any) -> None:
        self.app.state.clear_notice()
        self.target: tuple[str, str] | None = None
        self.warned: tuple[str, str] | None = None
        self.app.actions.refresh_queue()  # the targets' states as they are now
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
            if service == current or state.catalog[service].get("kiosk") is False:
                continue  # a step-only service is reached through its visit's steps only
            services.add_widget(self._choice("service", service, self._service_text(service)))
        for counter in state.counters:
            if counter["id"] == state.counter_id:
                continue
            counters.add_widget(self._choice("counter", counter["id"], self._counter_text(counter)))

    # ------------------------------------------------------------ what each target is now

    def _status(self, counter_id: str) -> str:
        rows = (self.app.state.queue or {}).get("counters") or []
        row = next((r for r in rows if r.get("id") == counter_id), None)
        return str((row or {}).get("status") or "closed")

    def _waiting(self, service: str) -> int:
        rows = (self.app.state.queue or {}).get("services") or []
        row = next((r for r in rows if r.get("id") == service), None)
        return int((row or {}).get("waiting") or 0)

    def _open_counters(self, service: str) -> int:
        state = self.app.state
        return sum(
            1
            for counter in state.counters
            if service in (counter.get("services") or []) and self._status(counter["id"]) == "open"
        )

    def _service_text(self, service: str) -> str:
        tr, lang = self.app.tr, self.app.state.lang
        opened = self._open_counters(service)
        where = (
            tr("service_open_counters", lang, count=opened)
            if opened
            else tr("service_no_open_counter", lang)
        )
        waiting = tr("waiting_count", lang, count=self._waiting(service))
        return f"{self.app.state.service_name(service)}\n{waiting}  ·  {where}"

    def _counter_text(self, counter: dict[str, Any]) -> str:
        tr, lang = self.app.tr, self.app.state.lang
        status = tr(f"counter_{self._status(counter['id'])}", lang)
        waiting = sum(self._waiting(s) for s in counter.get("services") or [])
        count = tr("waiting_count", lang, count=waiting)
        return f"{self.app.state.counter_name(counter)}\n{status}  ·  {count}"

    def _target_name(self, kind: str, value: str) -> dict[str, str]:
        state = self.app.state
        if kind == "service":
            return {lang: state.service_name(value, lang) for lang in ("ar", "en")}
        counter = next((c for c in state.counters if c["id"] == value), {"id": value})
        return {lang: state.counter_name(counter, lang) for lang in ("ar", "en")}

    def _nobody_calls(self, kind: str, value: str) -> bool:
        if kind == "counter":
            return self._status(value) != "open"
        return self._open_counters(value) == 0

    def _choice(self, kind: str, value: str, text: str) -> ChoiceButton:
        target = getattr(self, "target", None)
        button = ChoiceButton(
            name=f"to_{kind}_{value}",
            value=value,
            logical=text,
            selected=target == (kind, value),
        )
        button.height = dp(86)  # two lines: the name, then what the target can do now
        button.bind(on_release=lambda _b: self.choose(kind, value))
        return button

    def choose(self, kind: str, value: str) -> None:
        if getattr(self, "warned", None) not in (None, (kind, value)):
            self.app.state.clear_notice()  # the warning was about the other target
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
        state = self.app.state
        if not self.target:
            state.say("choose_target", "error")
            return
        kind, value = self.target
        name = self._target_name(kind, value)
        number = state.ticket.get("number", "")
        if self._nobody_calls(kind, value) and self.warned != self.target:
            self.warned = self.target  # a second Confirm sends it anyway
            key = "transfer_closed_warning" if kind == "counter" else "transfer_no_counter_warning"
            state.notice = {
                lang: self.app.tr(key, lang, target=name[lang], number=number)
                for lang in ("ar", "en")
            }
            state.notice_kind = "error"
            return
        self.app.actions.transfer(
            service=value if kind == "service" else None,
            counter=value if kind == "counter" else None,
            note=self.ids.note.text,
            target=name,
        )

    def action_cancel(self) -> None:
        self.app.state.clear_notice()
        self.app.state.screen = "serve"
