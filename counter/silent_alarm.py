"""The silent alarm: Ctrl+Shift+F12 at the counter warns the managers, and nothing on the screen
says so.

A staff member threatened at the counter presses the three keys together (hard to hit by
accident, reachable with one hand on a PC keyboard, and no button on screen an aggressor could
see). The alarm goes on its own thread, not behind the clerk's queued actions, and is sent again
every few seconds until the server acknowledges it (202): no error, no banner, no sound at the
counter. The one sign, for the clerk alone: a full stop after the word "Connected" in the
top corner ("متصل." / "Connected."), from the acknowledgement until the clerk signs out.

Until it is acknowledged, the alarm is also written to the counter's state folder
(``pending-alarm-<counter>.json``, mode 0600: it holds the session's token). A counter app that is
restarted meanwhile (a crash, a power cut at the PC while the server was down) sends it again on
start, for as long as the five minutes of retries last, without anyone pressing the keys again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
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

    def __init__(
        self,
        state: CounterState,
        make_client: Callable[[str], Any],
        pending: Path | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``make_client(token)``: a client of its own (the actions' one is busy on its worker);
        ``pending``: the file an unacknowledged alarm is kept in across restarts."""
        super().__init__()
        self.state = state
        self.make_client = make_client
        self.pending = pending
        self.clock = clock
        self._sending = threading.Lock()
        state.bind(token=self._signed_in_or_out)

    def resume(self) -> bool:
        """At start: send again an alarm a previous run of the app had not got acknowledged."""
        if self.pending is None:
            return False
        try:
            kept = json.loads(self.pending.read_text(encoding="utf-8"))
            token, counter, at = str(kept["token"]), str(kept["counter"]), float(kept["at"])
        except (OSError, ValueError, KeyError, TypeError):
            return False
        left = GIVE_UP_S - (self.clock() - at)
        if left <= 0 or not token or not counter:
            self._forget()
            return False
        return self._start(token, counter, left)

    def _signed_in_or_out(self, _state: Any, token: str) -> None:
        if not token:
            self.sent = False

    def press(self) -> bool:
        """The keys were pressed (UI thread): send unless no one is signed in at a counter."""
        counter = self.state.counter_id
        if not (self.state.token and counter):
            return False
        self._start(self.state.token, counter, GIVE_UP_S)
        return True

    def _start(self, token: str, counter: str, for_s: float) -> bool:
        if not self._sending.acquire(blocking=False):
            return False  # one already on its way
        self._keep(token, counter)
        client = self.make_client(token)
        threading.Thread(
            target=self._send, args=(client, counter, for_s), name="silent-alarm", daemon=True
        ).start()
        return True

    def _send(self, client: Any, counter: str, for_s: float) -> None:
        waited = 0.0
        try:
            while waited <= for_s:
                try:
                    client.silent_alarm(counter)
                except ApiError as exc:
                    if exc.status and exc.status < 500:  # refused (signed out...): no retry
                        log.warning("silent alarm refused: %s", exc.code)
                        self._forget()
                        return
                    log.warning("silent alarm not sent yet: %s", exc.code)  # away: again
                    threading.Event().wait(RETRY_S)
                    waited += RETRY_S
                    continue
                self._forget()
                Clock.schedule_once(lambda _dt: setattr(self, "sent", True), 0)
                return
            self._forget()  # given up: a later start must not raise a stale alarm
        finally:
            self._sending.release()

    def _keep(self, token: str, counter: str) -> None:
        """Write the alarm down before sending it (mode 0600 from the start: a session token)."""
        if self.pending is None:
            return
        try:
            self.pending.parent.mkdir(parents=True, exist_ok=True)
            partial = self.pending.with_name(self.pending.name + ".new")
            partial.unlink(missing_ok=True)
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"token": token, "counter": counter, "at": self.clock()}, out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, self.pending)
        except OSError as exc:  # the alarm still goes; only a restart would lose it
            log.warning("cannot keep the silent alarm in %s: %s", self.pending, exc)

    def _forget(self) -> None:
        if self.pending is not None:
            with contextlib.suppress(OSError):
                self.pending.unlink()
