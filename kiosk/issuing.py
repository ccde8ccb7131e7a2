"""Issuing a ticket: ask the server, retry while it cannot be reached, then print what it committed.

One order (service, priority, file, idempotency key) lives from the confirming tap until the ticket
is shown. Every attempt for that order sends the same idempotency key, so a request that reached the
server but whose answer was lost never makes a second ticket. Nothing is printed before the server
answered with a ticket. A printer fault leaves the ticket on screen (with its QR) and raises an
alert for the staff.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kivy.clock import Clock

from kiosk.alerts import AlertOutbox
from kiosk.printing import PrintOutcome, TicketPrinter, print_ticket, ticket_to_print
from kiosk.state import KioskState
from nafitha.client import ApiError, ServerUnreachable
from nafitha.gui.background import Background
from nafitha.text import LANGS, both, t

log = logging.getLogger("nafitha.kiosk")


@dataclass(frozen=True)
class Order:
    service: str
    priority: bool
    file: str | None
    lang: str = ""  # the citizen's: the paper is printed in it, as the screen was
    bring: tuple[dict[str, str], ...] = ()  # a return visit: what the file still misses
    person: dict[str, str] | None = None  # a limited service: who takes it (kiosk/cutoff.py)
    key: str = field(default_factory=lambda: uuid.uuid4().hex)


def _person(state: KioskState) -> dict[str, str] | None:
    """``{"phone": ...}`` or ``{"id_digits": ...}`` for a service limiting tickets per person."""
    service = state.catalog.services.get(state.service_id)
    if service is None or not service.limit or not state.person_input:
        return None
    return {service.identify_by: state.person_input}


class TicketIssuer:
    def __init__(
        self,
        state: KioskState,
        background: Background,
        client: Any,
        printer: TicketPrinter,
        alerts: AlertOutbox,
        go: Callable[[str], None],
        retry_interval_s: float,
    ) -> None:
        self.state = state
        self.background = background
        self.client = client
        self.printer = printer
        self.alerts = alerts
        self.go = go
        self.retry_interval_s = retry_interval_s
        self.order: Order | None = None
        self._retry_event: Any = None
        self._countdown: Any = None

    def confirm(self) -> None:
        """The confirming tap: start one order (a second tap while it runs does nothing)."""
        state = self.state
        if self.order is not None or not state.service_id:
            return
        self.order = Order(
            service=state.service_id,
            priority=state.priority != "none" and not state.file_reference,
            file=state.file_reference or None,
            lang=state.lang,
            bring=tuple(
                dict(d)
                for d in (state.track.get("missing_documents") or ())
                if state.file_reference
            ),
            person=_person(state),
        )
        state.timings = {"confirm": time.perf_counter()}
        state.attempts = 0
        state.refusal = {}
        state.ticket = {}
        state.print_phase = "none"
        state.issue_phase = "issuing"
        self.go("issuing")
        self._attempt()

    def cancel(self) -> None:
        """The citizen gave up (or walked away): stop retrying; a late answer is ignored."""
        self.order = None
        self._stop_timers()
        if self.state.issue_phase in ("issuing", "waiting_server", "refused"):
            self.state.issue_phase = "idle"

    def finish(self) -> None:
        """The ticket was shown: the next confirm starts a new order."""
        self.order = None
        self._stop_timers()

    def _stop_timers(self) -> None:
        for event in (self._retry_event, self._countdown):
            if event is not None:
                event.cancel()
        self._retry_event = self._countdown = None

    def _attempt(self, *_: object) -> None:
        order = self.order
        if order is None:
            return
        self._stop_timers()
        self.state.attempts += 1
        center = dict(self.state.catalog.center_name)
        timezone = self.state.catalog.timezone

        def work() -> tuple[PrintOutcome, float] | None:
            """Issue, then print at once on this worker: no wait for the next frame in between."""
            answer = self.client.issue_ticket(
                order.service,
                priority=order.priority,
                file=order.file,
                idempotency_key=order.key,
                person=order.person,
            )
            answered_at = time.perf_counter()
            Clock.schedule_once(lambda _dt: self._issued(order, answer, answered_at), 0)
            if order is not self.order:
                return None  # abandoned while the answer travelled: the server sees a no-show
            try:
                ticket = ticket_to_print(
                    answer, center, order.lang, timezone, order.file or "", order.bring
                )
                outcome = print_ticket(self.printer, ticket)
            except Exception as exc:  # the ticket exists: a print bug must not look like a refusal
                log.error("printing ticket %s failed unexpectedly: %r", answer.get("number"), exc)
                outcome = PrintOutcome(False, "unexpected", both("kiosk.error_unexpected"))
            return outcome, time.perf_counter()

        self.background.run(
            work,
            self._printed,
            lambda error: self._failed(order, error),
        )

    def _issued(self, order: Order, answer: dict[str, Any], answered_at: float) -> None:
        if order is not self.order:
            return
        state = self.state
        state.timings = {**state.timings, "issued": answered_at, "shown": time.perf_counter()}
        state.server_ok = True
        state.ticket = answer
        state.issue_phase = "issued"
        state.print_phase = "printing"
        self.go("ticket")

    def _failed(self, order: Order, error: Exception) -> None:
        if order is not self.order:
            return
        state = self.state
        if isinstance(error, ServerUnreachable):
            state.server_ok = False
            state.issue_phase = "waiting_server"
            state.retry_in = max(1, round(self.retry_interval_s))
            self._retry_event = Clock.schedule_once(self._attempt, self.retry_interval_s)
            self._countdown = Clock.schedule_interval(self._tick, 1.0)
            return
        if isinstance(error, ApiError):
            state.server_ok = True
            state.refusal = {"code": error.code, "message": dict(error.message)}
        else:
            log.error("issuing a ticket failed unexpectedly: %r", error)
            state.refusal = {"code": "unexpected", "message": both("kiosk.error_unexpected")}
        state.issue_phase = "refused"
        self.order = None

    def _tick(self, _dt: float) -> None:
        self.state.retry_in = max(0, self.state.retry_in - 1)

    def _printed(self, result: tuple[PrintOutcome, float] | None) -> None:
        if result is None:
            return
        outcome, printed_at = result
        state = self.state
        state.timings = {**state.timings, "printed": printed_at}
        number = state.ticket.get("number", "")
        if outcome.printed:
            state.print_phase = "printed"
            if outcome.near_end:
                self.alerts.send("printer_near_end", both("kiosk.alert_near_end"))
            return
        state.print_phase = "failed"
        state.print_error = {"code": outcome.code, "message": dict(outcome.message or {})}
        if outcome.code != "unexpected":  # the welcome screen says it until the printer is back
            state.printer = {
                "state": outcome.code,
                "can_print": False,
                "message": dict(outcome.message or {}),
            }
        reason = dict(outcome.message or both("kiosk.error_unexpected"))
        state.alert_sent = False
        message = {
            lang: t("kiosk.alert_print_failed", lang, number=number, reason=reason.get(lang, ""))
            for lang in LANGS
        }
        self.alerts.send(
            f"printer_{outcome.code}", message, on_sent=lambda: setattr(state, "alert_sent", True)
        )
