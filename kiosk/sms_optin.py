"""After the ticket: "send me a message when my turn is near", on a large numeric keypad.

Offered on the ticket screen only when the server sends text messages (``sms.available`` in the
services list) and the ticket was issued. The number is typed as people write it (a local number,
or ``00`` and the country code); the server checks it for the center's countries and answers why
it refuses one (``POST /api/v1/tickets/public/{token}/notify``, docs/sms.md). A confirmation
screen says what will come; every screen of this flow times out back to welcome like the others,
and the digits are forgotten when the kiosk starts over.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kivy.event import EventDispatcher
from kivy.properties import DictProperty, OptionProperty, StringProperty

from kiosk.state import KioskState
from nafitha.client import ApiError
from nafitha.gui.background import Background
from nafitha.text import both, t

log = logging.getLogger("nafitha.kiosk")

MIN_DIGITS, MAX_DIGITS = 6, 15  # the server decides; these only keep the keys sensible
# What a number of each country looks like when typed at home (the keypad's hint): one run of
# digits, so right-to-left text cannot reorder its groups.
LRM = "\u200e"  # a number's digits and its "…" stay in one left-to-right run inside Arabic
RLM = "\u200f"
EXAMPLES = {"961": "03123456", "963": "0933123456", "964": "07701234567"}


class SmsOptinState(EventDispatcher):
    typed = StringProperty("")  # digits only (the kiosk's keypad has no other key)
    phase = OptionProperty("idle", options=["idle", "sending", "done"])
    error = DictProperty({})  # {"code", "message": {"ar", "en"}}
    answer = DictProperty({})  # the server's answer: ticket, phone (masked), turn_near, near

    def reset(self) -> None:
        self.typed = ""
        self.phase = "idle"
        self.error = {}
        self.answer = {}


class SmsOptinFlow:
    """Opens the keypad, sends the number with the ticket's token, shows the answer."""

    def __init__(
        self, kiosk: KioskState, background: Background, client: Any, go: Callable[[str], None]
    ) -> None:
        self.kiosk = kiosk
        self.background = background
        self.client = client
        self.go = go
        self.state = SmsOptinState()

    @staticmethod
    def offered(catalog: Any, ticket: dict[str, Any]) -> bool:
        """On the ticket screen: messages work here and a ticket is in hand."""
        return bool(getattr(catalog, "sms_available", False) and ticket.get("token"))

    def reset(self) -> None:
        self.state.reset()

    def start(self) -> None:
        if not self.offered(self.kiosk.catalog, dict(self.kiosk.ticket)):
            return
        self.state.reset()
        self.go("sms_optin")

    def key(self, digit: str) -> None:
        if digit.isdigit() and len(self.state.typed) < MAX_DIGITS:
            self.state.typed += digit
        self.state.error = {}

    def erase(self) -> None:
        self.state.typed = self.state.typed[:-1]
        self.state.error = {}

    def clear(self) -> None:
        self.state.typed = ""
        self.state.error = {}

    def can_send(self, typed: str, phase: str) -> bool:
        return phase == "idle" and MIN_DIGITS <= len(typed) <= MAX_DIGITS

    def send(self) -> None:
        if not self.can_send(self.state.typed, self.state.phase):
            return
        token = str(self.kiosk.ticket.get("token", ""))
        typed, lang = self.state.typed, self.kiosk.lang
        self.state.phase = "sending"
        self.background.run(
            lambda: self.client.ticket_notify(token, typed, lang), self._sent, self._failed
        )

    def _sent(self, answer: dict[str, Any]) -> None:
        if self.state.phase != "sending":  # the kiosk started over meanwhile
            return
        self.state.answer = answer
        self.state.phase = "done"
        self.state.typed = ""  # forgotten at once: the confirmation shows the masked number
        self.go("sms_done")

    def _failed(self, error: Exception) -> None:
        if self.state.phase != "sending":
            return
        self.state.phase = "idle"
        if isinstance(error, ApiError):
            self.state.error = {"code": error.code, "message": dict(error.message)}
        else:
            log.warning("sms opt-in not sent: %r", error)
            self.state.error = {"code": "unreachable", "message": both("kiosk.sms_unreachable")}

    # ------------------------------------------------------------------ texts for the kv files
    @staticmethod
    def hint(catalog: Any, lang: str) -> str:
        """Which numbers are accepted, with an example of the center's first country."""
        countries = tuple(getattr(catalog, "sms_countries", ()) or ("961",))
        if lang == "ar":  # each code left to right, the list itself right to left
            codes = "، ".join(f"{LRM}+{c}{RLM}" for c in countries)
        else:
            codes = ", ".join(f"+{c}" for c in countries)
        example = EXAMPLES.get(countries[0], "")
        return t("kiosk.sms_hint", lang, countries=codes, example=example)

    @staticmethod
    def error_text(error: dict[str, Any], lang: str) -> str:
        return (error.get("message") or {}).get(lang, "") if error else ""

    @staticmethod
    def done_text(answer: dict[str, Any], lang: str) -> str:
        """What will come: "turn near" at N ahead (or already near) and "called"."""
        if not answer:
            return ""
        phone = LRM + str(answer.get("phone", ""))  # "+961…56" reads left to right in Arabic too
        near = int(answer.get("turn_near") or 0)
        if answer.get("near"):
            return t("kiosk.sms_done_near", lang, phone=phone)
        if near <= 0:
            return t("kiosk.sms_done_called", lang, phone=phone)
        return t("kiosk.sms_done_both", lang, phone=phone, ahead=near)

    def snapshot(self) -> dict[str, Any]:
        """For tests: the phase, how many digits (never the digits), the error's code."""
        return {
            "phase": self.state.phase,
            "digits": len(self.state.typed),
            "error": dict(self.state.error),
            "answer": dict(self.state.answer),
        }
