"""On the day: check in for a booked appointment, or confirm a place taken from a phone.

Ways in, Arabic first and large: "I have an appointment" on the welcome screen opens a keypad for
the booking code (the same 9-symbol typo-checked form as file references,
``nafitha.reference.parse_reference(text, kind="booking")``: a typo is caught here, before the
server is asked); or, from any calm screen, a scan of the booking's QR (its ``/a/<code>`` link),
of the slip's barcode (the bare code, routed by ``kind_of``), or of a phone place's QR (its
``/p/<token>`` link). The server decides everything (``POST /api/v1/appointments/{code}/check-in``,
``POST /api/v1/places/{token}/confirm``); the kiosk prints the ticket it answered exactly as a
walk-in ticket is printed, with a line saying it is an appointment ticket and its slot, and says
clearly why it did not: too early (come back at HH:MM), another day, already checked in,
cancelled. A late arrival beyond the grace gets a walk-in ticket and is told so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kivy.clock import Clock
from kivy.event import EventDispatcher
from kivy.properties import DictProperty, OptionProperty, StringProperty

from kiosk.alerts import AlertOutbox
from kiosk.appointment_values import (
    OUTCOMES,
    day_of,
    is_late,
    result_title,
    route_scan,
    slot_time,
    typed_problem,
)
from kiosk.printing import (
    PrintOutcome,
    TicketPrinter,
    print_phase_text,
    print_ticket,
    ticket_to_print,
)
from kiosk.state import KioskState
from nafitha.client import ApiError, ServerUnreachable
from nafitha.formats import format_time
from nafitha.gui.background import Background
from nafitha.reference import LENGTH, display
from nafitha.reference import normalize as compact
from nafitha.text import LANGS, both, t

log = logging.getLogger("nafitha.kiosk")

# refusals about a booking that exists have their own screens (appointment_values.OUTCOMES);
# refusals about the code itself: said on the keypad, where one symbol can be corrected
_CODE_MESSAGES = {
    "reference_mistyped": "appointments.q_code_mistyped",
    "reference_malformed": "appointments.q_code_short",
    "booking_not_found": "appointments.q_not_found",
}


class CheckInState(EventDispatcher):
    """What the check-in screens show; written on the UI thread only."""

    typed = StringProperty("")  # canonical symbols, no dashes
    # idle → asking → (refused | printing → printed | failed)
    phase = OptionProperty(
        "idle", options=["idle", "asking", "refused", "printing", "printed", "failed"]
    )
    kind = StringProperty("booking")  # "booking" or "place"
    how = StringProperty("")  # "scan" or "typed"
    # what the result screen says: checked_in, late, place, or a refusal of OUTCOMES, or "refused"
    outcome = StringProperty("")
    error = DictProperty({})  # {"code", "message": {"ar", "en"}}
    appointment = DictProperty({})  # the server's view of the booking
    ticket = DictProperty({})  # the ticket it answered (printed)
    print_error = DictProperty({})

    def reset(self) -> None:
        self.typed = ""
        self.phase = "idle"
        self.kind = "booking"
        self.how = ""
        self.outcome = ""
        self.error = {}
        self.appointment = {}
        self.ticket = {}
        self.print_error = {}


class CheckInFlow:
    def __init__(
        self,
        kiosk: KioskState,
        background: Background,
        client: Any,
        printer: TicketPrinter,
        alerts: AlertOutbox,
        go: Callable[[str], None],
        early_checkin_min: Callable[[], int | None] = lambda: None,
    ) -> None:
        self.kiosk = kiosk
        self.state = CheckInState()
        self.early_checkin_min = early_checkin_min
        self.background = background
        self.client = client
        self.printer = printer
        self.alerts = alerts
        self.go = go
        self._asked = 0  # each request's number: a late answer to an older one is dropped
        # typed at "where is my file?": who says "no such code here" instead of this flow
        self._on_unknown: Callable[[], None] | None = None

    @property
    def busy(self) -> bool:
        return self.state.phase in ("asking", "printing")

    def reset(self) -> None:
        self._asked += 1
        self._on_unknown = None
        self.state.reset()

    # ------------------------------------------------------------------ the keypad
    def start(self) -> None:
        """ "I have an appointment" on the welcome screen."""
        self.reset()
        self.go("appointment_entry")

    def key(self, symbol: str) -> None:
        if len(self.state.typed) < LENGTH:
            self.state.typed = compact(self.state.typed + symbol)
        self._typing()

    def back(self) -> None:
        self.state.typed = self.state.typed[:-1]
        self._typing()

    def clear(self) -> None:
        self.state.typed = ""
        self._typing()

    def _typing(self) -> None:
        self.state.error = {}
        if self.state.phase == "refused":
            self.state.phase = "idle"

    def can_submit(self, typed: str, phase: str) -> bool:
        return len(typed) == LENGTH and phase not in ("asking", "printing")

    def submit(self) -> None:
        """Check the typed code in: a typo is said at once, without asking the server."""
        state = self.state
        if not self.can_submit(state.typed, state.phase):
            return
        problem = typed_problem(state.typed)
        if problem:
            state.error = problem
            state.phase = "refused"
            return
        self._check_in(state.typed, "typed")

    # ------------------------------------------------------------------ the scanner
    def scanned(self, text: str) -> bool:
        """A scan: a booking's or a place's code is ours (True); anything else is not (False)."""
        routed = route_scan(text)
        if routed is None:
            return False
        if self.busy:
            return True  # one at a time: the answer under way is shown first
        kind, value = routed
        self.reset()
        if kind == "place":
            self._confirm_place(value)
            return True
        self.state.typed = value[:LENGTH]
        problem = typed_problem(value)
        self.go("appointment_entry")
        if problem:  # a damaged or foreign code: shown as typed, to be corrected by hand
            self.state.error = problem
            self.state.phase = "refused"
        else:
            self._check_in(value, "scan")
        return True

    def typed_on_track(self, code: str, on_unknown: Callable[[], None]) -> None:
        """A code that passes the booking check, typed at "where is my file?" (one keypad, any
        code): checked in; if no booking has it, ``on_unknown`` speaks on that keypad, since a
        one-symbol typo of a file reference can pass another kind's check."""
        if self.busy:
            return
        self.reset()
        self._on_unknown = on_unknown
        self.state.typed = code[:LENGTH]
        self._check_in(code, "typed")

    # ------------------------------------------------------------------ asking and printing
    def _check_in(self, code: str, how: str) -> None:
        self._start("booking", how)
        shown = display(code)
        self._run(lambda: self.client.check_in(shown), code=shown)

    def _confirm_place(self, token: str) -> None:
        self._start("place", "scan")
        self.go("appointment_result")
        self._run(lambda: self.client.confirm_place(token), code="")

    def _start(self, kind: str, how: str) -> None:
        state = self.state
        self._asked += 1
        state.kind = kind
        state.how = how
        state.error = {}
        state.outcome = ""
        state.appointment = {}
        state.ticket = {}
        state.print_error = {}
        state.phase = "asking"

    def _run(self, ask: Callable[[], dict[str, Any]], code: str) -> None:
        asked = self._asked
        lang = self.kiosk.lang
        center = dict(self.kiosk.catalog.center_name)
        zone = self.kiosk.catalog.timezone

        def work() -> tuple[dict[str, Any], PrintOutcome]:
            try:
                answer = ask()
            except ApiError as error:
                view = self._view_after(error, code)
                raise _Refused(error, view) from error
            Clock.schedule_once(lambda _dt: self._answered(asked, answer), 0)
            ticket = answer.get("ticket") or {}
            try:
                slot = "" if is_late(answer) else slot_time(answer.get("appointment") or {}, zone)
                paper = ticket_to_print(ticket, center, lang, zone, appointment_time=slot)
                outcome = print_ticket(self.printer, paper)
            except Exception as exc:  # the ticket exists: a print bug must not look refused
                log.error("printing ticket %s failed unexpectedly: %r", ticket.get("number"), exc)
                outcome = PrintOutcome(False, "unexpected", both("kiosk.error_unexpected"))
            return answer, outcome

        self.background.run(
            work,
            lambda result: self._printed(asked, *result),
            lambda error: self._failed(asked, error),
        )

    def _view_after(self, error: ApiError, code: str) -> dict[str, Any]:
        """The booking's details for a refusal screen (its day and time), asked on the worker."""
        if not code or error.code not in OUTCOMES:
            return {}
        try:
            return dict(self.client.appointment(code))
        except ApiError:
            return {}

    def _answered(self, asked: int, answer: dict[str, Any]) -> None:
        if asked != self._asked:
            return
        state = self.state
        self.kiosk.server_ok = True
        state.appointment = dict(answer.get("appointment") or {})
        state.ticket = dict(answer.get("ticket") or {})
        if state.kind == "place":
            state.outcome = "place"
        else:
            state.outcome = "late" if is_late(answer) else "checked_in"
        state.phase = "printing"
        self.go("appointment_result")

    def _printed(self, asked: int, answer: dict[str, Any], outcome: PrintOutcome) -> None:
        if asked != self._asked:
            return
        state = self.state
        if outcome.printed:
            state.phase = "printed"
            if outcome.near_end:
                self.alerts.send("printer_near_end", both("kiosk.alert_near_end"))
            return
        state.phase = "failed"
        state.print_error = {"code": outcome.code, "message": dict(outcome.message or {})}
        reason = dict(outcome.message or both("kiosk.error_unexpected"))
        number = (answer.get("ticket") or {}).get("number", "")
        message = {
            lang: t("kiosk.alert_print_failed", lang, number=number, reason=reason.get(lang, ""))
            for lang in LANGS
        }
        self.alerts.send(f"printer_{outcome.code}", message)

    def _failed(self, asked: int, error: Exception) -> None:
        if asked != self._asked:
            return
        state = self.state
        view: dict[str, Any] = {}
        if isinstance(error, _Refused):
            error, view = error.error, error.view
        if self._on_unknown and isinstance(error, ApiError) and error.code == "booking_not_found":
            self.kiosk.server_ok = True
            state.phase = "idle"
            self._on_unknown()
            return
        if isinstance(error, ServerUnreachable):
            self.kiosk.server_ok = False
            code, message = "unreachable", both("appointments.q_unreachable")
        elif isinstance(error, ApiError):
            self.kiosk.server_ok = True
            code = error.code
            key = _CODE_MESSAGES.get(code)
            message = both(key) if key else dict(error.message)
        else:
            log.error("a check-in failed unexpectedly: %r", error)
            code, message = "unexpected", both("kiosk.error_unexpected")
        state.error = {"code": code, "message": message}
        state.appointment = view
        state.phase = "refused"
        if state.kind == "place":
            state.outcome = "refused"
            self.go("appointment_result")
        elif code in OUTCOMES:
            state.outcome = OUTCOMES[code]
            self.go("appointment_result")
        else:  # the code itself, or the server: said on the keypad, the code kept to correct
            state.outcome = ""
            self.go("appointment_entry")

    # ------------------------------------------------------------------ texts for the screens
    def title(self, outcome: str, kind: str, lang: str) -> str:
        return result_title(outcome, kind, lang)

    def body(
        self, outcome: str, appointment: dict[str, Any], error: dict[str, Any], lang: str
    ) -> str:
        """The result's words, with the booking's times in the center's zone."""
        zone = self.kiosk.catalog.timezone
        at = slot_time(appointment, zone)
        if outcome == "checked_in":
            return t("appointments.q_checked_in_body", lang, time=at)
        if outcome == "late":
            return t("appointments.q_late_body", lang, time=at)
        if outcome == "place":
            return t("appointments.q_place_confirmed_body", lang)
        opens = self.checkin_opens(appointment)
        if outcome == "too_early" and at and opens is not None:
            come_back = format_time(opens, zone)
            return t("appointments.q_too_early_body", lang, time=at, come_back=come_back)
        if outcome == "wrong_day" and at and appointment.get("at") is not None:
            day = day_of(appointment, zone, lang)
            return t("appointments.q_wrong_day_body", lang, day=day, time=at)
        if outcome == "already":
            number = appointment.get("ticket_number")
            if number:
                return t("appointments.q_already_body", lang, number=number)
            return t("appointments.q_already_body_no_number", lang)
        if outcome == "cancelled":
            return t("appointments.q_cancelled_body", lang)
        return (error.get("message") or {}).get(lang, "")

    def checkin_opens(self, appointment: dict[str, Any]) -> float | None:
        """When check-in opens for the booking: its slot less the center's ``early_checkin_min``
        (from the bookable services' answer, kiosk/appointment_booking.py); None if unknown."""
        early = self.early_checkin_min()
        if early is None or appointment.get("at") is None:
            return None
        return float(appointment["at"]) - early * 60

    def booking_line(self, appointment: dict[str, Any], lang: str) -> str:
        """``Civil extract — Monday 30/11/2026 at 09:15`` for the result screen ("" if unknown)."""
        if not appointment or appointment.get("at") is None:
            return ""
        zone = self.kiosk.catalog.timezone
        name = appointment.get("service_name") or {}
        return t(
            "appointments.q_booking_of",
            lang,
            service=name.get(lang) or appointment.get("service", ""),
            day=day_of(appointment, zone, lang),
            time=slot_time(appointment, zone),
        )

    def ticket_line(self, outcome: str, appointment: dict[str, Any], lang: str) -> str:
        """The screen's twin of the paper's appointment line (only for an appointment ticket)."""
        if outcome != "checked_in":
            return ""
        return t(
            "appointments.q_ticket_appointment",
            lang,
            time=slot_time(appointment, self.kiosk.catalog.timezone),
        )

    def print_text(self, phase: str, print_error: dict[str, Any], lang: str) -> str:
        return print_phase_text(phase, print_error, lang, printed="appointments.q_take_ticket")

    def snapshot(self) -> dict[str, Any]:
        state = self.state
        return {
            "typed": state.typed,
            "phase": state.phase,
            "kind": state.kind,
            "how": state.how,
            "outcome": state.outcome,
            "error": dict(state.error),
            "appointment": dict(state.appointment),
            "ticket": dict(state.ticket),
            "print_error": dict(state.print_error),
        }


class _Refused(Exception):
    """A refusal carried from the worker with the booking's details fetched for its screen."""

    def __init__(self, error: ApiError, view: dict[str, Any]) -> None:
        super().__init__(error.code)
        self.error = error
        self.view = view
