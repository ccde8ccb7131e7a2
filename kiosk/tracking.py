"""Where is my file: look a reference up on the server and say clearly what came back.

Mistyped (the check symbol is wrong), unknown, rate-limited and unreachable are each a different
message; the typed text stays so the citizen can correct one character.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kiosk.state import KioskState
from nafitha.client import ApiError, ServerUnreachable
from nafitha.gui.background import Background
from nafitha.reference import from_scan
from nafitha.reference import normalize as compact
from nafitha.text import both

log = logging.getLogger("nafitha.kiosk")

# server error codes (files issue) → the kiosk's own, plainer wording
_MESSAGES = {
    "reference_mistyped": "kiosk.track_mistyped",
    "reference_malformed": "kiosk.track_malformed",
    "file_not_found": "kiosk.track_not_found",
    "track_rate_limited": "kiosk.track_rate_limited",
}


class FileLookup:
    def __init__(
        self, state: KioskState, background: Background, client: Any, go: Callable[[str], None]
    ) -> None:
        self.state = state
        self.background = background
        self.client = client
        self.go = go
        self._asked = ""

    def look_up(self, text: str) -> None:
        """Look up what was typed or scanned (a reference, or a ``/f/`` URL holding one)."""
        state = self.state
        reference = compact(from_scan(text))
        state.reference_input = reference
        state.track = {}
        state.scan_error = {}
        if not reference:
            state.track_phase = "failed"
            state.track_error = {"code": "empty", "message": both("kiosk.track_empty")}
            return
        state.track_error = {}
        state.track_phase = "looking"
        self._asked = reference
        self.background.run(
            lambda: self.client.track(reference),
            lambda answer: self._found(reference, answer),
            lambda error: self._failed(reference, error),
        )

    def _found(self, reference: str, answer: dict[str, Any]) -> None:
        if reference != self._asked or self.state.track_phase != "looking":
            return
        self.state.server_ok = True
        self.state.track = answer
        self.state.track_phase = "found"
        self.go("track_result")

    def _failed(self, reference: str, error: Exception) -> None:
        if reference != self._asked or self.state.track_phase != "looking":
            return
        state = self.state
        if isinstance(error, ServerUnreachable):
            state.server_ok = False
            code, message = "unreachable", both("kiosk.track_unreachable")
        elif isinstance(error, ApiError):
            state.server_ok = True
            code = error.code
            key = _MESSAGES.get(code)
            message = both(key) if key else dict(error.message)
        else:
            log.error("file lookup failed unexpectedly: %r", error)
            code, message = "unexpected", both("kiosk.error_unexpected")
        state.track_error = {"code": code, "message": message}
        state.track_phase = "failed"
