"""Reprint my ticket: a citizen who lost (or spoiled) the paper gets the same ticket again.

Two ways in, both Arabic first and large: scan the ticket's QR code (its status URL ``…/t/TOKEN``)
from any calm screen, or tap "reprint my ticket" on the welcome screen and type the number on a
keypad of the center's letters and the digits. The server decides everything (today's ticket,
still waiting or called, at most two reprints of one ticket, a few a minute per kiosk:
``server/domain/reprint.py``); the kiosk prints what it answered, the same number and QR code,
under a black band saying REPRINT / نسخة مكررة (``printers/banner.py``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from kivy.clock import Clock
from kivy.event import EventDispatcher
from kivy.properties import DictProperty, OptionProperty, StringProperty

from kiosk.alerts import AlertOutbox
from kiosk.printing import (
    PrintOutcome,
    TicketPrinter,
    print_phase_text,
    print_ticket,
    ticket_to_print,
)
from kiosk.state import KioskState
from nafitha.client import ApiError, ServerUnreachable
from nafitha.gui.background import Background
from nafitha.text import LANGS, both, t

log = logging.getLogger("nafitha.kiosk")

MAX_LETTERS = 2  # a prefix is one or two letters (server/config.py)
MAX_DIGITS = 4
# server codes the kiosk says in its own, plainer words; the others' messages are the server's
_MESSAGES = {
    "ticket_not_found": "kiosk.reprint_not_found",
    "reprint_bad_number": "kiosk.reprint_bad_number",
}


def token_in_scan(text: str) -> str | None:
    """The public token in a scanned ticket QR (``http://…/t/TOKEN``), or None for anything else."""
    candidate = text.strip()
    if "://" not in candidate:
        return None
    parts = urlsplit(candidate).path.rstrip("/").split("/")
    if len(parts) >= 2 and parts[-2] == "t" and parts[-1]:
        return unquote(parts[-1])
    return None


def shown_number(typed: str) -> str:
    """``A042`` → ``A-042`` as it is printed (partial input shown as typed, with the dash)."""
    letters = "".join(c for c in typed if c.isalpha())
    digits = "".join(c for c in typed if c.isdigit())
    return f"{letters}-{digits}" if digits else letters


class ReprintState(EventDispatcher):
    """What the reprint screens show; written on the UI thread only."""

    typed = StringProperty("")  # letters then digits, e.g. "A42"
    # idle → asking → (refused | printing → printed | failed)
    phase = OptionProperty(
        "idle", options=["idle", "asking", "refused", "printing", "printed", "failed"]
    )
    how = StringProperty("")  # "scan" or "typed"
    error = DictProperty({})  # {"code", "message": {"ar", "en"}}
    ticket = DictProperty({})  # the server's answer (with reprint: true)
    print_error = DictProperty({})

    def reset(self) -> None:
        self.typed = ""
        self.phase = "idle"
        self.how = ""
        self.error = {}
        self.ticket = {}
        self.print_error = {}


class ReprintFlow:
    def __init__(
        self,
        kiosk: KioskState,
        background: Background,
        client: Any,
        printer: TicketPrinter,
        alerts: AlertOutbox,
        go: Callable[[str], None],
    ) -> None:
        self.kiosk = kiosk
        self.state = ReprintState()
        self.background = background
        self.client = client
        self.printer = printer
        self.alerts = alerts
        self.go = go
        self._asked = 0  # each request's number: a late answer to an older one is dropped

    @property
    def busy(self) -> bool:
        return self.state.phase in ("asking", "printing")

    def reset(self) -> None:
        """Back to welcome: forget the reprint; a late answer to it is dropped."""
        self._asked += 1
        self.state.reset()

    # ------------------------------------------------------------------ the keypad
    def start(self) -> None:
        """ "Reprint my ticket" on the welcome screen."""
        self.state.reset()
        self.go("reprint_entry")

    def key(self, symbol: str) -> None:
        state = self.state
        letters = "".join(c for c in state.typed if c.isalpha())
        digits = "".join(c for c in state.typed if c.isdigit())
        if symbol.isalpha() and not digits and len(letters) < MAX_LETTERS:
            letters += symbol.upper()
        elif symbol.isdigit() and letters and len(digits) < MAX_DIGITS:
            digits += symbol
        state.typed = letters + digits
        state.error = {}
        if state.phase == "refused":
            state.phase = "idle"

    def back(self) -> None:
        self.state.typed = self.state.typed[:-1]
        self.state.error = {}

    def clear(self) -> None:
        self.state.typed = ""
        self.state.error = {}

    def can_print(self, typed: str, phase: str) -> bool:
        return any(c.isdigit() for c in typed) and phase not in ("asking", "printing")

    def submit(self) -> None:
        """Print the typed number again."""
        if not self.can_print(self.state.typed, self.state.phase):
            return
        self._ask("typed", number=shown_number(self.state.typed))

    # ------------------------------------------------------------------ the scanner
    def scanned(self, text: str) -> bool:
        """A scan: a ticket's QR starts a reprint (True); anything else is not ours (False)."""
        token = token_in_scan(text)
        if token is None:
            return False
        if not self.busy:
            self.state.reset()
            self.go("reprint_entry")
            self._ask("scan", token=token)
        return True

    # ------------------------------------------------------------------ asking and printing
    def _ask(self, how: str, token: str | None = None, number: str | None = None) -> None:
        state = self.state
        self._asked += 1
        asked = self._asked
        state.how = how
        state.error = {}
        state.ticket = {}
        state.print_error = {}
        state.phase = "asking"
        lang = self.kiosk.lang
        center = dict(self.kiosk.catalog.center_name)
        timezone = self.kiosk.catalog.timezone

        def work() -> tuple[dict[str, Any], PrintOutcome]:
            answer = self.client.reprint_ticket(token=token, number=number)
            Clock.schedule_once(lambda _dt: self._answered(asked, answer), 0)
            try:
                paper = ticket_to_print(answer, center, lang, timezone)
                outcome = print_ticket(self.printer, paper)
            except Exception as exc:  # the server counted it: a print bug must not look refused
                log.error("reprinting %s failed unexpectedly: %r", answer.get("number"), exc)
                outcome = PrintOutcome(False, "unexpected", both("kiosk.error_unexpected"))
            return answer, outcome

        self.background.run(
            work,
            lambda result: self._printed(asked, *result),
            lambda error: self._failed(asked, error),
        )

    def _answered(self, asked: int, answer: dict[str, Any]) -> None:
        if asked != self._asked:
            return
        self.kiosk.server_ok = True
        self.state.ticket = answer
        self.state.phase = "printing"
        self.go("reprint_result")

    def _printed(self, asked: int, answer: dict[str, Any], outcome: PrintOutcome) -> None:
        if asked != self._asked:
            return
        state = self.state
        if outcome.printed:
            state.phase = "printed"
            return
        state.phase = "failed"
        state.print_error = {"code": outcome.code, "message": dict(outcome.message or {})}
        reason = dict(outcome.message or both("kiosk.error_unexpected"))
        message = {
            lang: t(
                "kiosk.alert_reprint_failed",
                lang,
                number=answer.get("number", ""),
                reason=reason.get(lang, ""),
            )
            for lang in LANGS
        }
        self.alerts.send(f"printer_{outcome.code}", message)

    def _failed(self, asked: int, error: Exception) -> None:
        if asked != self._asked:
            return
        state = self.state
        if isinstance(error, ServerUnreachable):
            self.kiosk.server_ok = False
            code, message = "unreachable", both("kiosk.reprint_unreachable")
        elif isinstance(error, ApiError):
            self.kiosk.server_ok = True
            code = error.code
            key = _MESSAGES.get(code)
            message = both(key) if key else dict(error.message)
        else:
            log.error("a reprint failed unexpectedly: %r", error)
            code, message = "unexpected", both("kiosk.error_unexpected")
        state.error = {"code": code, "message": message}
        state.phase = "refused"

    # ------------------------------------------------------------------ texts for the screens
    def print_text(self, phase: str, print_error: dict[str, Any], lang: str) -> str:
        return print_phase_text(phase, print_error, lang, printed="kiosk.reprint_take")

    def letters(self) -> list[str]:
        """The letters of the center's ticket numbers (its services' prefixes), in order."""
        found = {s.prefix for s in self.kiosk.catalog.services.values() if s.prefix}
        return sorted({c for prefix in found for c in prefix})

    def timed_out(self, shown_since: float, last_touch: float, limit_s: float) -> bool:
        """Whether the result has been on screen untouched long enough (×3 after a failed print)."""
        if self.state.phase == "failed":
            limit_s *= 3
        return self.state.phase in ("printed", "failed") and (
            time.monotonic() - max(shown_since, last_touch) > limit_s
        )
