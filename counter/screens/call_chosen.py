"""Call a chosen waiting ticket out of order, with a reason picked from the center's list.

The clerk types the number on the citizen's paper (or picks it from the list of tickets this
counter may call, oldest first), picks a reason (``center.out_of_order_reasons``), and may add a
note. The server gets ``<reason id>`` or ``<reason id>: <note>``: the published integrity report
shows the reason by name and never the note, which stays in the audit log (a note may name
someone). "Other" needs a note.
"""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.metrics import dp

from counter.screens.base import CounterScreen, load_kv
from counter.screens.widgets import ChoiceButton

load_kv(__file__)

OTHER = "other"
MAX_SHOWN = 40  # buttons built at once; typing the number narrows the list


def reason_text(reason: str, note: str) -> str:
    """What the server records: the reason's id, and the clerk's note after a colon."""
    note = " ".join(note.split())
    return f"{reason}: {note}" if note else reason


def matches(number: str, typed: str) -> bool:
    """Whether a ticket number fits what the clerk typed (``A-012``, ``a12``, ``12``)."""
    typed = typed.strip().upper().replace("-", "").replace(" ", "")
    if not typed:
        return True
    plain = number.upper().replace("-", "")
    letters = "".join(c for c in plain if c.isalpha())
    digits = "".join(c for c in plain if c.isdigit()).lstrip("0")
    typed_letters = "".join(c for c in typed if c.isalpha())
    typed_digits = "".join(c for c in typed if c.isdigit()).lstrip("0")
    if typed_letters and not letters.startswith(typed_letters):
        return False
    return not typed_digits or digits == typed_digits or digits.startswith(typed_digits)


class CallChosenScreen(CounterScreen):
    def on_kv_post(self, *_: Any) -> None:
        self.app.state.fbind("lang", self._refill)
        self.choices: dict[str, Any] = {"tickets": [], "reasons": []}
        self.ticket_id: int | None = None
        self.reason: str | None = None

    def _refill(self, *_: Any) -> None:
        if self.manager and self.manager.current == self.name:
            self._fill()

    def on_pre_enter(self, *_: Any) -> None:
        self.app.state.clear_notice()
        self.choices = {"tickets": [], "reasons": []}
        self.ticket_id = None
        self.reason = None
        self.ids.number.text = ""
        self.ids.note.text = ""
        self._fill()
        state = self.app.state
        self.app.actions._do(
            lambda: self.app.actions.client.callable_tickets(state.counter_id), self._loaded
        )

    def on_enter(self, *_: Any) -> None:
        self.ids.number.focus = True

    def _loaded(self, answer: dict[str, Any]) -> None:
        self.choices = {
            "tickets": list(answer.get("tickets") or []),
            "reasons": list(answer.get("reasons") or []),
        }
        if not self.choices["tickets"]:
            self.app.state.say("call_chosen_none", "error")
        self._fill()

    # ------------------------------------------------------------ the two lists

    def shown_tickets(self) -> list[dict[str, Any]]:
        typed = self.ids.number.text
        return [t for t in self.choices["tickets"] if matches(t["number"], typed)][:MAX_SHOWN]

    def on_number_typed(self) -> None:
        """Typing narrows the list; one ticket left is chosen."""
        shown = self.shown_tickets()
        if len(shown) == 1:
            self.ticket_id = shown[0]["id"]
        elif self.ticket_id not in {t["id"] for t in shown}:
            self.ticket_id = None
        Clock.schedule_once(lambda _dt: self._fill(), 0)

    def _fill(self) -> None:
        tr, lang = self.app.tr, self.app.state.lang
        tickets, reasons = self.ids.tickets, self.ids.reasons
        tickets.clear_widgets()
        reasons.clear_widgets()
        for ticket in self.shown_tickets():
            service = self.app.state.service_name(ticket["service"])
            mark = f"  ·  {tr('call_chosen_priority', lang)}" if ticket.get("priority") else ""
            button = ChoiceButton(
                name=f"ticket_{ticket['id']}",
                value=str(ticket["id"]),
                logical=f"{ticket['number']}  ·  {service}{mark}",
                selected=ticket["id"] == self.ticket_id,
            )
            button.height = dp(56)
            button.bind(on_release=lambda _b, i=ticket["id"]: self.choose_ticket(i))
            tickets.add_widget(button)
        for reason in self.choices["reasons"]:
            name = reason.get("name") or {}
            button = ChoiceButton(
                name=f"reason_{reason['id']}",
                value=reason["id"],
                logical=name.get(lang) or reason["id"],
                selected=reason["id"] == self.reason,
            )
            button.height = dp(56)
            button.bind(on_release=lambda _b, r=reason["id"]: self.choose_reason(r))
            reasons.add_widget(button)

    def _select(self, box: Any, name: str) -> None:
        for button in box.children:
            button.selected = button.name == name

    def choose_ticket(self, ticket_id: int) -> None:
        self.app.state.clear_notice()
        self.ticket_id = ticket_id
        self._select(self.ids.tickets, f"ticket_{ticket_id}")

    def choose_reason(self, reason: str) -> None:
        self.app.state.clear_notice()
        self.reason = reason
        self._select(self.ids.reasons, f"reason_{reason}")

    def _step(self, by: int) -> None:
        ids = [r["id"] for r in self.choices["reasons"]]
        if not ids:
            return
        here = ids.index(self.reason) if self.reason in ids else (-1 if by > 0 else 0)
        self.choose_reason(ids[(here + by) % len(ids)])

    def action_next_choice(self) -> None:
        self._step(1)

    def action_previous_choice(self) -> None:
        self._step(-1)

    # ------------------------------------------------------------ confirm

    def action_confirm(self) -> None:
        state = self.app.state
        ticket = next((t for t in self.choices["tickets"] if t["id"] == self.ticket_id), None)
        if ticket is None:
            state.say("choose_ticket", "error")
            return
        if not self.reason:
            state.say("choose_reason", "error")
            return
        note = self.ids.note.text
        if self.reason == OTHER and not note.strip():
            state.say("note_required_for_other", "error")
            return
        reason = next(r for r in self.choices["reasons"] if r["id"] == self.reason)
        actions = self.app.actions
        counter = state.counter_id
        text = reason_text(self.reason, note)

        def done(answer: dict[str, Any]) -> None:
            actions._called(answer)
            state.say(
                "done_called_out_of_order", number=answer["number"], reason=reason.get("name") or {}
            )
            state.screen = "serve"

        actions._do(lambda: actions.client.call_ticket(counter, ticket["id"], text), done)

    def action_cancel(self) -> None:
        self.app.state.clear_notice()
        self.app.state.screen = "serve"
