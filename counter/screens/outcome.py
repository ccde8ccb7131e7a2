"""Finish a ticket with an outcome, or send the citizen back to an earlier step of the visit.

The choices are the ticket's service's outcomes (from ``GET /api/v1/services``), the first
resolved one preselected so Enter finishes as "served"; each says where it leads (on to the next
step, or the end of the visit). From step 2 on, "send back to step k" choices follow. The note
travels with the ticket to its next step (or is the send-back's reason). Keys: Up/Down, Enter,
Esc (docs/counter.md).
"""

from __future__ import annotations

from typing import Any

from kivy.metrics import dp

from counter.screens.base import CounterScreen, load_kv
from counter.screens.widgets import ChoiceButton
from counter.state import service_id

load_kv(__file__)

DEFAULT_OUTCOMES: tuple[dict[str, Any], ...] = (  # an older server's answer has none
    {"id": "served", "name": {"ar": "تمت الخدمة", "en": "Served"}, "resolved": True},
)


def visit_order(catalog: dict[str, Any], ticket: dict[str, Any]) -> list[str]:
    """The visit's services in order, from the ticket's ``visit_service`` and the catalog."""
    visit = (ticket.get("visit_service") or {}).get("id") or service_id(ticket)
    return [visit, *((catalog.get(visit) or {}).get("steps") or [])]


class OutcomeScreen(CounterScreen):
    def on_kv_post(self, *_: Any) -> None:
        self.app.state.fbind("lang", self._refill)

    def _refill(self, *_: Any) -> None:
        if self.manager and self.manager.current == self.name:
            self._fill()

    def on_pre_enter(self, *_: Any) -> None:
        self.app.state.clear_notice()
        self.ids.note.text = ""
        self.choice: str | None = None
        outcomes = self.outcomes()
        first = next((o for o in outcomes if o.get("resolved")), outcomes[0])
        self.choice = f"outcome_{first['id']}"
        self._fill()

    def on_enter(self, *_: Any) -> None:
        self.ids.note.focus = True  # Up/Down, Enter and Esc still act (counter/shortcuts.py)

    # ------------------------------------------------------------ what the screen offers

    def outcomes(self) -> list[dict[str, Any]]:
        service = self.app.state.catalog.get(service_id(self.app.state.ticket)) or {}
        return list(service.get("outcomes") or DEFAULT_OUTCOMES)

    def title(self, ticket: dict[str, Any], lang: str) -> str:
        return self.app.tr("outcome_title", lang, number=(ticket or {}).get("number", ""))

    def step_hint(self, ticket: dict[str, Any], lang: str) -> str:
        ticket = ticket or {}
        if int(ticket.get("steps") or 1) < 2:
            return ""
        return self.app.tr(
            "step_line",
            lang,
            step=ticket.get("step", 1),
            steps=ticket.get("steps", 1),
            service=self.app.state.service_name(service_id(ticket), lang),
        )

    def _fill(self) -> None:
        state, tr, lang = self.app.state, self.app.tr, self.app.state.lang
        ticket = state.ticket or {}
        box = self.ids.choices
        box.clear_widgets()
        following = (ticket.get("next_service") or {}).get("id")
        for outcome in self.outcomes():
            name = (outcome.get("name") or {}).get(lang) or outcome["id"]
            if outcome.get("resolved") and following:
                where = tr("outcome_goes_on", lang, service=state.service_name(following, lang))
            else:
                where = tr("outcome_ends", lang)
            box.add_widget(self._choice(f"outcome_{outcome['id']}", f"{name}\n{where}"))
        order = visit_order(state.catalog, ticket)
        for step in range(1, int(ticket.get("step") or 1)):
            service = order[step - 1] if step - 1 < len(order) else ""
            text = tr("send_back_to", lang, step=step, service=state.service_name(service, lang))
            box.add_widget(self._choice(f"back_{step}", text))

    def _choice(self, name: str, text: str) -> ChoiceButton:
        button = ChoiceButton(name=name, value=name, logical=text, selected=name == self.choice)
        button.height = dp(86) if "\n" in text else dp(64)  # two lines: name, where it leads
        button.bind(on_release=lambda _b: self.choose(name))
        return button

    def choose(self, name: str) -> None:
        self.choice = name
        for button in self.ids.choices.children:
            button.selected = button.name == name

    def _step(self, by: int) -> None:
        names = [b.name for b in reversed(self.ids.choices.children)]
        if not names:
            return
        here = names.index(self.choice) if self.choice in names else 0
        name = names[(here + by) % len(names)]
        self.choose(name)
        button = next(b for b in self.ids.choices.children if b.name == name)
        self.ids.scroller.scroll_to(button, padding=10, animate=False)  # keep the choice in view

    # ------------------------------------------------------------ keys

    def action_next_choice(self) -> None:
        self._step(1)

    def action_previous_choice(self) -> None:
        self._step(-1)

    def action_confirm(self) -> None:
        choice, note = self.choice or "", self.ids.note.text
        if choice.startswith("back_"):
            step = int(choice.removeprefix("back_"))
            order = visit_order(self.app.state.catalog, self.app.state.ticket)
            service = order[step - 1] if step - 1 < len(order) else ""
            names = {lang: self.app.state.service_name(service, lang) for lang in ("ar", "en")}
            self.app.actions.send_back(step, note, names)
        elif choice.startswith("outcome_"):
            self.app.actions.finish(choice.removeprefix("outcome_"), note)
        else:
            self.app.state.say("choose_outcome", "error")

    def action_cancel(self) -> None:
        self.app.state.clear_notice()
        self.app.state.screen = "serve"
