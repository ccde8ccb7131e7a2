"""Book an appointment for the citizen at the counter (docs/appointments.md), key B.

Through the same API as the phone pages (``POST /api/v1/appointments``: the clerk's name is
recorded as who booked): the bookable service, a day with free places, a slot, and the citizen's
mobile number if they want the booking and a reminder by text (they agree aloud; the clerk types
it). The code is then said on the notice line, to be written on the citizen's paper or read out.
"""

from __future__ import annotations

from typing import Any

from kivy.metrics import dp

from counter.screens.base import CounterScreen, load_kv
from counter.screens.widgets import ChoiceButton

load_kv(__file__)

DAYS = 14  # days of slots asked for at once


def free_of(day: dict[str, Any]) -> int:
    """Free places of a day that can still be booked."""
    if day.get("closed"):
        return 0
    return sum(s["free"] for s in day.get("slots", []) if not s.get("closed") and not s.get("past"))


class BookForScreen(CounterScreen):
    def on_kv_post(self, *_: Any) -> None:
        self.app.state.fbind("lang", self._refill)
        self.services: list[dict[str, Any]] = []
        self.days: list[dict[str, Any]] = []
        self.service: str | None = None
        self.day: str | None = None
        self.start: str | None = None

    def _refill(self, *_: Any) -> None:
        if self.manager and self.manager.current == self.name:
            self._fill()

    def on_pre_enter(self, *_: Any) -> None:
        self.app.state.clear_notice()
        self.services, self.days = [], []
        self.service = self.day = self.start = None
        self.ids.phone.text = ""
        self._fill()
        actions = self.app.actions
        actions._do(actions.client.appointment_services, self._services_loaded)

    def _services_loaded(self, answer: dict[str, Any]) -> None:
        self.services = list(answer.get("services") or [])
        if not self.services:
            self.app.state.say("book_for_none", "error")
        self._fill()

    def _slots_loaded(self, answer: dict[str, Any]) -> None:
        self.days = list(answer.get("days") or [])
        self._fill()

    # ------------------------------------------------------------ the three lists

    def _button(self, name: str, text: str, selected: bool, on_press: Any, usable: bool = True):
        button = ChoiceButton(name=name, logical=text, selected=selected, disabled=not usable)
        button.height = dp(56)
        button.bind(on_release=lambda _b: on_press())
        return button

    def _fill(self) -> None:
        tr, lang = self.app.tr, self.app.state.lang
        boxes = self.ids
        for box in (boxes.services, boxes.days, boxes.slots):
            box.clear_widgets()
        for service in self.services:
            name = (service.get("name") or {}).get(lang) or service["id"]
            boxes.services.add_widget(
                self._button(
                    f"service_{service['id']}",
                    name,
                    service["id"] == self.service,
                    lambda s=service["id"]: self.choose_service(s),
                )
            )
        for day in self.days:
            free = free_of(day)
            y, m, d = day["day"].split("-")
            text = f"{d}/{m}/{y}  ·  " + tr("book_for_free", lang, free=free)
            boxes.days.add_widget(
                self._button(
                    f"day_{day['day']}",
                    text,
                    day["day"] == self.day,
                    lambda d=day["day"]: self.choose_day(d),
                    usable=free > 0,
                )
            )
        chosen = next((d for d in self.days if d["day"] == self.day), None)
        for slot in chosen["slots"] if chosen else []:
            usable = slot["free"] > 0 and not slot.get("closed") and not slot.get("past")
            text = f"{slot['start']}  ·  " + tr("book_for_free", lang, free=slot["free"])
            boxes.slots.add_widget(
                self._button(
                    f"slot_{slot['start']}",
                    text,
                    slot["start"] == self.start,
                    lambda s=slot["start"]: self.choose_slot(s),
                    usable=usable,
                )
            )

    def choose_service(self, service: str) -> None:
        self.app.state.clear_notice()
        self.service, self.day, self.start, self.days = service, None, None, []
        self._fill()
        client = self.app.actions.client
        self.app.actions._do(
            lambda: client.appointment_slots(service, None, DAYS), self._slots_loaded
        )

    def choose_day(self, day: str) -> None:
        self.app.state.clear_notice()
        self.day, self.start = day, None
        self._fill()

    def choose_slot(self, start: str) -> None:
        self.app.state.clear_notice()
        self.start = start
        self._fill()

    # ------------------------------------------------------------ confirm

    def action_confirm(self) -> None:
        state = self.app.state
        if not (self.service and self.day and self.start):
            state.say("book_for_choose", "error")
            return
        phone = self.ids.phone.text.strip() or None
        service, day, start = self.service, self.day, self.start
        actions = self.app.actions

        def done(answer: dict[str, Any]) -> None:
            y, m, d = answer["day"].split("-")
            state.say(
                "book_for_done", code=answer["code"], day=f"{d}/{m}/{y}", time=answer["start"]
            )
            state.screen = "serve"

        def failed(exc: Exception) -> None:
            actions.failed(exc)  # the server's reason; the lists are read again (a slot taken)
            if service:
                client = actions.client
                actions._do(
                    lambda: client.appointment_slots(service, None, DAYS),
                    self._slots_loaded,
                    busy=False,
                )

        actions._do(
            lambda: actions.client.book(
                service, day, start, state.lang, phone=phone, notify=phone is not None
            ),
            done,
            failed=failed,
        )

    def action_cancel(self) -> None:
        self.app.state.clear_notice()
        self.app.state.screen = "serve"
