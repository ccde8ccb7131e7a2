"""The counter's one state object: what the clerk sees, as Kivy properties the screens bind to.

Only the UI thread writes here (background work hands its results back with ``Clock``), so screens
never see half an update. The state holds no business rules: it mirrors what the server said.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from kivy.event import EventDispatcher
from kivy.properties import (
    BooleanProperty,
    DictProperty,
    ListProperty,
    NumericProperty,
    StringProperty,
)

from nafitha.text import both, normalize_lang


def epoch(text: Any) -> float:
    """An ISO time from the server as Unix seconds (0 when absent)."""
    if not isinstance(text, str) or not text:
        return 0.0
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        return 0.0


def service_id(ticket: dict[str, Any]) -> str:
    """The service id of a ticket as the API shows it (``{"service": {"id", "name"}}``)."""
    service = (ticket or {}).get("service")
    if isinstance(service, dict):
        return str(service.get("id", ""))
    return str(service or "")


class CounterState(EventDispatcher):
    """Everything on the counter's screens, in one place."""

    lang = StringProperty("ar")
    screen = StringProperty("login")
    """Name of the screen shown; the app's ScreenManager follows it."""
    now = NumericProperty(0.0)
    """Wall-clock seconds, ticked once a second so elapsed times on screen stay current."""

    connected = BooleanProperty(True)
    busy = BooleanProperty(False)
    """An action is in flight: action buttons wait for its answer."""
    pending = StringProperty("")
    """The action asked and not yet answered (``call_next``), shown at once on the screen."""
    confirming = StringProperty("")
    """An action waiting for the clerk's yes (``no_show``); Enter confirms, Esc cancels."""
    notice = DictProperty({})
    """The last message for the clerk, bilingual ({"ar", "en"}), from the server or the counter."""
    notice_kind = StringProperty("info")
    """``info``, ``error`` (a refused action) or ``offline`` (server unreachable)."""

    server = StringProperty("")
    user = StringProperty("")
    role = StringProperty("")
    token = StringProperty("")
    counter_id = StringProperty("")
    counter = DictProperty({})
    """The counter's record from the server (id, number, name {ar,en}, services)."""

    center = DictProperty({})
    """The center's name and public URL, as the server describes itself."""
    catalog = DictProperty({})
    """Every service by id, as ``GET /services`` gives it (names, documents, workflow)."""
    counters = ListProperty([])
    """Every counter of the center, for transfers."""
    queue = DictProperty({})
    """The last ``GET /queue``: every service's waiting count, every counter's status."""
    services = ListProperty([])
    """The clerk's services: dicts with ``id``, ``name``, ``waiting``, ``oldest_wait_s``."""

    ticket = DictProperty({})
    """The ticket at this counter (called or being served); empty when none."""
    ticket_since = NumericProperty(0.0)
    """Wall-clock time at which the ticket was last called or started, for the elapsed time."""
    undo = DictProperty({})
    """The last no-show while it may be undone: the server's ticket with ``undo_until``."""

    paused = BooleanProperty(False)
    pause_reason = StringProperty("")

    served_count = NumericProperty(0)
    average_service_s = NumericProperty(0.0)
    rating_mean = NumericProperty(0.0)  # the clerk's own mean stars today (0: none yet)
    rating_count = NumericProperty(0)

    file = DictProperty({})
    """The file on screen (opened or looked up), as the server gives it."""
    receipt_image = StringProperty("")
    """Path of the last receipt image shown on screen (when there is no printer)."""

    last_event_id = StringProperty("")

    sms_state = StringProperty("")
    """The modem's state from the server's health (counter/sms_status.py); "" when the server
    sends no text messages (then none are offered)."""

    def say(self, key: str, kind: str = "info", **params: object) -> None:
        """Show one of the counter's own texts as the notice."""
        self.notice = both(f"counter.{key}", **params)
        self.notice_kind = kind

    def say_message(self, message: dict[str, str], kind: str = "error") -> None:
        """Show a bilingual message as the server sent it (an ApiError's ``message``)."""
        self.notice = {"ar": message.get("ar", ""), "en": message.get("en", "")}
        self.notice_kind = kind

    def clear_notice(self) -> None:
        self.notice = {}
        self.notice_kind = "info"

    def set_lang(self, lang: str) -> None:
        self.lang = normalize_lang(lang)

    def toggle_lang(self) -> None:
        self.lang = "en" if self.lang == "ar" else "ar"

    def tick(self, *_: Any) -> None:
        self.now = time.time()

    def has_ticket(self) -> bool:
        return bool(self.ticket)

    def can(self, action: str, *_watched: object) -> bool:
        """Whether ``action`` can succeed now, so a key that can only fail is never offered.

        Mirrors the server's rules (``server/usecases/ticket_actions.py``): finish implies start,
        a no-show waits for the server's ``no_show_at``, an undo for ``undo_until``. The .kv files
        pass the properties the answer depends on as ``_watched``, so they re-bind to them.
        """
        if self.busy:
            return False
        state = (self.ticket or {}).get("state")
        if action == "call_next":
            return not self.ticket and not self.paused
        if action in ("recall", "start"):
            return state == "called"
        if action in ("finish", "finish_next"):
            return state in ("called", "serving")
        if action == "no_show":
            return state == "called" and self.no_show_wait() == 0
        if action in ("transfer", "open_file"):
            return bool(self.ticket)
        if action == "pause":
            return not self.ticket
        if action == "undo_no_show":
            return not self.ticket and self.undo_left() > 0
        return True

    def no_show_wait(self) -> int:
        """Seconds until the server accepts a no-show for the called ticket (0: now)."""
        return max(0, int(epoch((self.ticket or {}).get("no_show_at")) - self.now + 0.999))

    def undo_left(self) -> float:
        """Seconds left to undo the last no-show (0: none)."""
        return max(0.0, epoch(self.undo.get("undo_until")) - self.now) if self.undo else 0.0

    def service_name(self, service_id: str, lang: str | None = None) -> str:
        service = self.catalog.get(service_id) or {}
        name = service.get("name") or {}
        return name.get(lang or self.lang) or service_id

    def counter_name(self, counter: dict[str, Any], lang: str | None = None) -> str:
        name = counter.get("name") or {}
        return name.get(lang or self.lang) or str(counter.get("id", ""))

    def forget_session(self) -> None:
        """Back to the log-in screen's blank state (after log-out or an expired token)."""
        self.token = ""
        self.user = ""
        self.role = ""
        self.ticket = {}
        self.undo = {}
        self.confirming = ""
        self.pending = ""
        self.file = {}
        self.services = []
        self.paused = False
        self.pause_reason = ""
        self.served_count = 0
        self.average_service_s = 0.0
        self.rating_mean = 0.0
        self.rating_count = 0
        self.receipt_image = ""
        self.screen = "login"
