"""Book an appointment at the kiosk: service → day → time (large buttons, Arabic first), an
optional phone number as the center's settings say, then a printed booking slip.

The server decides what can be booked and answers the booking with its code and its ``/a/<code>``
link; the slip prints that link as a QR (never one built here), the service, the day and the time
in the center's zone and the documents to bring (``printers/booking_slip.py``). Every server call
runs on the background worker; a late answer to a choice the citizen already left is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kivy.clock import Clock
from kivy.event import EventDispatcher
from kivy.properties import (
    BooleanProperty,
    DictProperty,
    ListProperty,
    OptionProperty,
    StringProperty,
)

from kiosk.alerts import AlertOutbox
from kiosk.appointment_values import (
    PHONE_DIGITS,
    day_label,
    day_note,
    day_of,
    free_slots,
    phone_ok,
    slip_of,
    slot_time,
    today_in,
)
from kiosk.printing import print_phase_text
from kiosk.state import KioskState
from nafitha.client import ApiError, ServerUnreachable
from nafitha.gui.background import Background
from nafitha.text import LANGS, both, t
from printers.errors import PrinterError

log = logging.getLogger("nafitha.kiosk")

STALE_SLOTS = ("slot_full", "slot_closed", "slot_past", "day_closed")  # read the times again
DEFAULT_HORIZON_DAYS = 14  # the contract's default; the services answer may say the center's


class BookingState(EventDispatcher):
    """What the booking screens show; written on the UI thread only."""

    # idle → loading → ready | failed; booking → refused | printing → printed | print_failed
    phase = OptionProperty(
        "idle",
        options=[
            "idle",
            "loading",
            "ready",
            "failed",
            "booking",
            "refused",
            "printing",
            "printed",
            "print_failed",
        ],
    )
    offered = BooleanProperty(False)  # some service takes bookings: the welcome buttons show
    services = ListProperty([])  # bookable services as the server lists them
    service = DictProperty({})  # the chosen one
    days = ListProperty([])  # the slots answer's days
    day = DictProperty({})
    slot = DictProperty({})
    phone = StringProperty("")  # forgotten when the kiosk starts over
    ask_phone = BooleanProperty(True)
    require_phone = BooleanProperty(False)
    booking = DictProperty({})  # the server's answer
    error = DictProperty({})
    print_error = DictProperty({})

    def reset(self) -> None:
        self.phase = "idle"
        self.service = {}
        self.days = []
        self.day = {}
        self.slot = {}
        self.phone = ""
        self.booking = {}
        self.error = {}
        self.print_error = {}


class BookingFlow:
    def __init__(
        self,
        kiosk: KioskState,
        background: Background,
        client: Any,
        printer: Any,
        alerts: AlertOutbox,
        go: Callable[[str], None],
    ) -> None:
        self.kiosk = kiosk
        self.state = BookingState()
        self.background = background
        self.client = client
        self.printer = printer
        self.alerts = alerts
        self.go = go
        self._asked = 0
        self.horizon_days = DEFAULT_HORIZON_DAYS
        self.early_checkin_min: int | None = None  # the center's, once the services answered

    def reset(self) -> None:
        self._asked += 1
        self.state.reset()

    # ------------------------------------------------------------------ what is offered
    def refresh_offer(self) -> None:
        """Ask which services take bookings (with the catalog's refresh): the welcome buttons."""
        self.background.run(self._services, self._offer_loaded, lambda _e: None)

    def _services(self) -> dict[str, Any]:
        return self.client.appointment_services()

    def _offer_loaded(self, answer: Any) -> None:
        services = _service_list(answer)
        self.state.offered = bool(services)
        if self.state.phase in ("idle", "ready"):
            self.state.services = services
        self._settings(answer)

    def _settings(self, answer: Any) -> None:
        settings = answer.get("settings") if isinstance(answer, dict) else None
        settings = settings if isinstance(settings, dict) else answer
        if not isinstance(settings, dict):
            return
        if "ask_phone" in settings:
            self.state.ask_phone = bool(settings["ask_phone"])
        if "require_phone" in settings:
            self.state.require_phone = bool(settings["require_phone"])
        if settings.get("horizon_days"):
            self.horizon_days = int(settings["horizon_days"])
        if settings.get("early_checkin_min") is not None:  # the check-in's "come back at"
            self.early_checkin_min = int(settings["early_checkin_min"])

    # ------------------------------------------------------------------ the steps
    def start(self) -> None:
        """ "Book an appointment" on the welcome screen: the bookable services, fresh."""
        self.reset()
        self.go("appointment_services")
        self._load(self._services, self._services_loaded)

    def _services_loaded(self, answer: Any) -> None:
        self.state.services = _service_list(answer)
        self.state.offered = bool(self.state.services)
        self._settings(answer)
        self.state.phase = "ready"

    def choose_service(self, service_id: str) -> None:
        service = next((s for s in self.state.services if s.get("id") == service_id), None)
        if service is None:
            return
        self.state.service = dict(service)
        self.state.days = []
        self.state.day = {}
        self.state.slot = {}
        self.go("appointment_days")
        first = today_in(self.kiosk.catalog.timezone)
        days = self.horizon_days
        self._load(
            lambda: self.client.appointment_slots(service_id, first, days), self._slots_loaded
        )

    def _slots_loaded(self, answer: Any) -> None:
        days = answer.get("days") if isinstance(answer, dict) else None
        self.state.days = [dict(d) for d in days or () if isinstance(d, dict)]
        self.state.phase = "ready"

    def choose_day(self, day: str) -> None:
        found = next((d for d in self.state.days if d.get("day") == day), None)
        if found is None or not free_slots(found):
            return
        self.state.day = dict(found)
        self.state.slot = {}
        self.go("appointment_slots")

    def choose_slot(self, start: str) -> None:
        slot = next((s for s in self.state.day.get("slots") or () if s.get("start") == start), None)
        if slot is None or int(slot.get("free") or 0) <= 0:
            return
        self.state.slot = dict(slot)
        self.state.error = {}
        if self.state.phase == "refused":
            self.state.phase = "ready"
        self.go("appointment_confirm")

    # ------------------------------------------------------------------ the phone keypad
    def phone_key(self, key: str) -> None:
        state = self.state
        if key == "clear":
            state.phone = ""
        elif key == "erase":
            state.phone = state.phone[:-1]
        elif key.isdigit() and len(state.phone) < PHONE_DIGITS[1]:
            state.phone += key
        state.error = {}

    def can_book(self, phone: str, phase: str, require: bool) -> bool:
        if phase in ("booking", "printing", "loading"):
            return False
        if phone:
            return phone_ok(phone)
        return not require

    # ------------------------------------------------------------------ booking and printing
    def book(self) -> None:
        state = self.state
        if not state.slot or not self.can_book(state.phone, state.phase, state.require_phone):
            return
        self._asked += 1
        asked = self._asked
        service, day, start = state.service["id"], state.day["day"], state.slot["start"]
        phone = state.phone or None
        lang = self.kiosk.lang
        center = dict(self.kiosk.catalog.center_name)
        zone = self.kiosk.catalog.timezone
        state.error = {}
        state.phase = "booking"

        def work() -> tuple[dict[str, Any], dict[str, Any]]:
            answer = self.client.book(service, day, start, lang, phone=phone, notify=bool(phone))
            Clock.schedule_once(lambda _dt: self._booked(asked, answer), 0)
            try:
                self.printer.print_booking_slip(slip_of(answer, center, lang, zone))
                return answer, {}
            except PrinterError as error:
                return answer, {"code": error.code, "message": dict(error.message)}
            except Exception as exc:  # booked: a print bug must not look refused
                log.error("printing booking slip %s failed: %r", answer.get("code"), exc)
                return answer, {"code": "unexpected", "message": both("kiosk.error_unexpected")}

        self.background.run(
            work,
            lambda result: self._printed(asked, *result),
            lambda error: self._refused(asked, error),
        )

    def _booked(self, asked: int, answer: dict[str, Any]) -> None:
        if asked != self._asked:
            return
        self.kiosk.server_ok = True
        self.state.booking = dict(answer)
        self.state.phone = ""  # not kept on screen once booked
        self.state.phase = "printing"
        self.go("appointment_slip")

    def _printed(self, asked: int, answer: dict[str, Any], problem: dict[str, Any]) -> None:
        if asked != self._asked:
            return
        if not problem:
            self.state.phase = "printed"
            return
        self.state.phase = "print_failed"
        self.state.print_error = problem
        reason = dict(problem.get("message") or both("kiosk.error_unexpected"))
        what = str(answer.get("code", ""))
        message = {
            lang: t(
                "appointments.q_alert_print_failed", lang, what=what, reason=reason.get(lang, "")
            )
            for lang in LANGS
        }
        self.alerts.send(f"printer_{problem.get('code', 'unexpected')}", message)

    def _refused(self, asked: int, error: Exception) -> None:
        if asked != self._asked:
            return
        self.state.error = _error(self.kiosk, error)
        self.state.phase = "refused"
        if self.state.error["code"] in STALE_SLOTS:
            self._reload_days(asked)

    def _reload_days(self, asked: int) -> None:
        """The time was taken (or closed) meanwhile: the days and times shown behind "back" are
        read again, so the citizen picks among what is really free; the refusal stays shown."""
        service, first = self.state.service.get("id", ""), today_in(self.kiosk.catalog.timezone)
        days = self.horizon_days

        def loaded(answer: Any) -> None:
            if asked != self._asked:
                return
            self._slots_loaded(answer)
            self.state.phase = "refused"  # _slots_loaded said "ready"; the refusal stays
            chosen = self.state.day.get("day")
            self.state.day = next((d for d in self.state.days if d.get("day") == chosen), {})

        self.background.run(
            lambda: self.client.appointment_slots(service, first, days), loaded, lambda _e: None
        )

    # ------------------------------------------------------------------ loading lists
    def _load(self, ask: Callable[[], Any], loaded: Callable[[Any], None]) -> None:
        self._asked += 1
        asked = self._asked
        self.state.error = {}
        self.state.phase = "loading"

        def done(answer: Any) -> None:
            if asked == self._asked:
                self.kiosk.server_ok = True
                loaded(answer)

        def failed(error: Exception) -> None:
            if asked == self._asked:
                self.state.error = _error(self.kiosk, error)
                self.state.phase = "failed"

        self.background.run(ask, done, failed)

    # ------------------------------------------------------------------ texts for the screens
    def summary(self, booking: dict[str, Any], lang: str) -> str:
        """``Civil extract — Monday 30/11/2026 at 09:15`` of the chosen or booked slot."""
        zone = self.kiosk.catalog.timezone
        view = booking or {
            "at": self.state.slot.get("at"),
            "service_name": self.state.service.get("name") or {},
            "service": self.state.service.get("id", ""),
        }
        if view.get("at") is None:
            return ""
        name = view.get("service_name") or {}
        return t(
            "appointments.q_booking_of",
            lang,
            service=name.get(lang) or view.get("service", ""),
            day=day_of(view, zone, lang),
            time=slot_time(view, zone),
        )

    def day_label(self, day: dict[str, Any], lang: str) -> str:
        return day_label(day, lang)

    def day_note(self, day: dict[str, Any], lang: str) -> str:
        return day_note(day, lang)

    def print_text(self, phase: str, print_error: dict[str, Any], lang: str) -> str:
        return print_phase_text(
            phase,
            print_error,
            lang,
            printed="appointments.q_take_slip",
            failed_phase="print_failed",
            failed="appointments.q_slip_print_failed",
        )

    def snapshot(self) -> dict[str, Any]:
        state = self.state
        return {
            "phase": state.phase,
            "offered": state.offered,
            "services": [s.get("id") for s in state.services],
            "service": state.service.get("id", ""),
            "days": [
                {"day": d.get("day"), "closed": bool(d.get("closed")), "free": free_slots(d)}
                for d in state.days
            ],
            "day": state.day.get("day", ""),
            "slot": dict(state.slot),
            "phone_digits": len(state.phone),
            "ask_phone": state.ask_phone,
            "require_phone": state.require_phone,
            "booking": dict(state.booking),
            "error": dict(state.error),
            "print_error": dict(state.print_error),
        }


def _service_list(answer: Any) -> list[dict[str, Any]]:
    services = answer.get("services") if isinstance(answer, dict) else answer
    return [dict(s) for s in services or () if isinstance(s, dict) and s.get("id")]


def _error(kiosk: KioskState, error: Exception) -> dict[str, Any]:
    if isinstance(error, ServerUnreachable):
        kiosk.server_ok = False
        return {"code": "unreachable", "message": both("appointments.q_unreachable")}
    if isinstance(error, ApiError):
        kiosk.server_ok = True
        return {"code": error.code, "message": dict(error.message)}
    log.error("booking at the kiosk failed unexpectedly: %r", error)
    return {"code": "unexpected", "message": both("kiosk.error_unexpected")}
