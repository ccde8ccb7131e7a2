"""Following a complaint or suggestion at the kiosk by its reference: typed at "where is my
file?" (the app routes a complaint reference here by its kind) or scanned from the slip's
Code128 or QR. Found: its status and the answer, or the date it is due (``complaint_result``);
not found, mistyped, too many lookups, server away: the message on the keypad's screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kiosk.state import KioskState
from nafitha.client import ApiError, ServerUnreachable
from nafitha.formats import format_date
from nafitha.gui.background import Background
from nafitha.reference import from_scan, kind_of
from nafitha.reference import normalize as compact
from nafitha.text import both, t

log = logging.getLogger("nafitha.kiosk")

# server error codes → the kiosk's own, plainer wording
_MESSAGES = {
    "reference_mistyped": "kiosk.track_mistyped",
    "reference_malformed": "kiosk.track_malformed",
    "complaint_not_found": "complaints.c_not_found",
    "track_rate_limited": "kiosk.track_rate_limited",
}


def call_error(kiosk: KioskState, error: Exception) -> dict[str, Any]:
    """A failed server call as ``{code, message}`` for a banner (and whether the server is up)."""
    if isinstance(error, ServerUnreachable):
        kiosk.server_ok = False
        return {"code": "unreachable", "message": both("kiosk.track_unreachable")}
    if isinstance(error, ApiError):
        kiosk.server_ok = True
        key = _MESSAGES.get(error.code)
        return {"code": error.code, "message": both(key) if key else dict(error.message)}
    log.error("complaint call failed unexpectedly: %r", error)
    return {"code": "unexpected", "message": both("kiosk.error_unexpected")}


class ComplaintLookup:
    def __init__(
        self,
        kiosk: KioskState,
        state: Any,
        background: Background,
        client: Any,
        go: Callable[[str], None],
    ) -> None:
        self.kiosk = kiosk
        self.state = state  # the flow's ComplaintState: ``found`` is written here
        self.background = background
        self.client = client
        self.go = go
        self._asked = 0

    def reset(self) -> None:
        self._asked += 1

    def scanned(self, text: str) -> bool:
        """A scanned complaint reference (the slip's Code128 or QR): its answer; else False."""
        reference = compact(from_scan(text))
        if kind_of(reference) != "complaint":
            return False
        self.look_up(reference)
        return True

    def look_up(self, reference: str, on_unknown: Callable[[], None] | None = None) -> None:
        """Its status and answer. ``on_unknown``, when given, speaks for a reference nobody filed
        here (typed at "where is my file?", see ``KioskApp.search``)."""
        kiosk = self.kiosk
        kiosk.reference_input = compact(reference)
        kiosk.track_error = {}
        kiosk.track_phase = "looking"
        self._asked += 1
        asked = self._asked

        def found(answer: dict[str, Any]) -> None:
            if asked == self._asked:
                kiosk.server_ok = True
                kiosk.track_phase = "found"
                self.state.found = dict(answer)
                self.go("complaint_result")

        def failed(error: Exception) -> None:
            if asked != self._asked:
                return
            if on_unknown and isinstance(error, ApiError) and error.code == "complaint_not_found":
                kiosk.server_ok = True
                on_unknown()
            else:
                kiosk.track_error = call_error(kiosk, error)
                kiosk.track_phase = "failed"
                self.go("track_entry")

        self.background.run(lambda: self.client.complaint(reference), found, failed)

    # ------------------------------------------------------------------ texts for the screen
    def status_text(self, found: dict[str, Any], lang: str) -> str:
        name = (found.get("status_name") or {}).get(lang, "")
        return t("complaints.k_track_status", lang, status=name) if name else ""

    def answer_text(self, found: dict[str, Any], lang: str) -> str:
        if not found:
            return ""
        if found.get("answer"):
            return str(found["answer"])
        date = format_date(found["deadline"], self.kiosk.catalog.timezone)
        return t("complaints.k_track_no_answer", lang, date=date)
