"""The modem's state on the counter's status line, within seconds (docs/sms.md, "Health").

A thread of its own asks ``GET /api/v1/health`` every ``EVERY_S`` seconds while a clerk is signed
in and writes ``health.sms.state`` into ``CounterState.sms_state`` on the UI thread. A server
without ``[sms]`` has no ``sms`` in its health: the state stays empty, and the counter neither
shows a messages light nor offers messages on a file. The clerk is told once when messages stop
going out (the modem absent, the SIM without network, the SMS center refusing) and once when they
go again; nothing else of the counter waits on it (its own client, its own thread).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from kivy.clock import Clock

from counter.state import CounterState
from nafitha.client import ApiError, Client, ServerUnreachable
from nafitha.text import both

log = logging.getLogger(__name__)

EVERY_S = 2.0
FAULTS = ("absent", "no_network", "rejected")


def state_of(health: dict[str, Any]) -> str:
    """``health.sms.state`` (``connected``, ``fault:absent``, ...), or "" without messages."""
    sms = health.get("sms")
    if not isinstance(sms, dict):
        return ""
    return str(sms.get("state") or "starting")


def fault_of(state: str) -> str | None:
    """The fault named by a state (``fault:absent`` → ``absent``), None when there is none."""
    if state.startswith("fault:"):
        fault = state.removeprefix("fault:")
        return fault if fault in FAULTS else "absent"
    return None


def label_key(state: str) -> str:
    """The catalog key of the status line's short text for ``state``."""
    fault = fault_of(state)
    if fault:
        return f"sms_state_{fault}"
    return "sms_state_connected" if state == "connected" else "sms_state_starting"


class SmsWatch:
    """Polls the server's health for the modem's state, off the UI thread."""

    def __init__(self, server: str, state: CounterState, verify: bool | str = True) -> None:
        self.server = server
        self.state = state
        self.verify = verify
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.stop()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._poll, args=(self._stop,), name="counter-sms", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _poll(self, stop: threading.Event) -> None:
        client = Client(self.server, timeout=3.0, verify=self.verify)
        try:
            while not stop.is_set():
                if not self.state.token:  # signed out: nothing to show
                    stop.wait(EVERY_S)
                    continue
                try:
                    found = state_of(client.health())
                except (ApiError, ServerUnreachable):
                    found = None  # the live feed already says the server is gone
                except Exception:  # a bug must not end the watch silently
                    log.exception("the modem's state could not be read")
                    found = None
                if found is not None and not stop.is_set():
                    Clock.schedule_once(lambda _dt, s=found: self.show(s), 0)
                stop.wait(EVERY_S)
        finally:
            client.session.close()

    def show(self, found: str) -> None:
        """The state read (UI thread): the status line follows; a change of fault is said."""
        before = self.state.sms_state
        self.state.sms_state = found
        was, now = fault_of(before), fault_of(found)
        if now and now != was:
            fault = both(f"counter.{label_key(found)}")
            self.state.say("sms_fault_notice", "error", fault=fault)
        elif was and not now and found == "connected":
            self.state.say("sms_back_notice")


__all__ = ["SmsWatch", "fault_of", "label_key", "state_of"]
