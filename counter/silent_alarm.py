"""The silent alarm: Ctrl+Shift+F12 at the counter warns the managers, and nothing on the screen
says so.

A staff member threatened at the counter presses the three keys together (hard to hit by
accident, reachable with one hand on a PC keyboard, and no button on screen an aggressor could
see). The alarm goes on its own thread, not behind the clerk's queued actions, and is sent again
every few seconds until the server acknowledges it (202): no error, no banner, no sound at the
counter. The one sign, for the clerk alone: a full stop after the word "Connected" in the
top corner ("متصل." / "Connected."), from the acknowledgement until the clerk signs out.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from kivy.clock import Clock
from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty

from counter.state import CounterState
from nafitha.client import ApiError

log = logging.getLogger(__name__)

KEY = "f12"
MODIFIERS = frozenset({"ctrl", "shift"})
RETRY_S = 2.0
GIVE_UP_S = 300.0  # five minutes of the server away: by then someone has come, or it is down


def is_alarm_key(key: str, modifiers: Any) -> bool:
    """Whether ``key`` with ``modifiers`` (Kivy's list: ``ctrl``, ``shift``, ``alt``...) is the
    alarm: F12 with both Ctrl and Shift held (extra modifiers do not matter)."""
    return key == KEY and set(modifiers or ()) >= MODIFIERS


class SilentAlarm(EventDispatcher):
    sent = BooleanProperty(False)
    """The server acknowledged an alarm from this session: the tiny sign the clerk may notice."""

    def __init__(self, state: CounterState, make_client: Callable[[str], Any]) -> None:
        """``make_client(token)``: a client of its own (the actions' one is busy on its worker)."""
        super().__init__()
        self.state = state
        self.make_client = make_client
        self._sending = threading.Lock()
        state.bind(token=self._signed_in_or_out)

    def _signed_in_or_out(self, _state: Any, token: str) -> None:
        if not token:
            self.sent = False

    def press(self) -> bool:
        """The keys were pressed (UI thread): send unless no one is signed in at a counter."""
        counter = self.state.counter_id
        if not (self.state.token and counter):
            return False
        if self._sending.acquire(blocking=False):
            client = self.make_client(self.state.token)
            threading.Thread(
                target=self._send, args=(client, counter), name="silent-alarm", daemon=True
            ).start()
        return True

    def _send(self, client: Any, counter: str) -> None:
        waited = 0.0
        try:
            while waited <= GIVE_UP_S:
                try:
                    client.silent_alarm(counter)
                except ApiError as exc:
                    if exc.status and exc.status < 500:  # refused (signed out...): no retry
                        log.warning("silent alarm refused: %s", exc.code)
                        return
                    log.warning("silent alarm not sent yet: %s", exc.code)  # away: again
                    threading.Event().wait(RETRY_S)
                    waited += RETRY_S
                    continue
                Clock.schedule_once(lambda _dt: setattr(self, "sent", True), 0)
                return
        finally:
            self._sending.release()
