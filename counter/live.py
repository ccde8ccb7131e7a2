"""Following the server's event stream: the queue counts stay live, and a lost server is noticed
and recovered from without the clerk doing anything.

One daemon thread reads ``Client.events()``. Each event only *triggers* a refresh of the counter's
queue (batched with a Clock trigger, so a burst of 50 events costs one request); when the stream
breaks, the counter shows it is offline and retries with a growing pause, and once the server
answers again it reloads the counter's view while keeping the ticket and file on screen.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from kivy.clock import Clock

from counter.state import CounterState
from nafitha.client import ApiError, Client, ServerUnreachable

log = logging.getLogger(__name__)
RETRY_PAUSES_S = (0.3, 0.5, 1.0, 2.0, 3.0)


class LiveFeed:
    """The event stream on a thread of its own, with its own HTTP client."""

    def __init__(
        self, server: str, state: CounterState, actions: Any, verify: bool | str = True
    ) -> None:
        self.server = server
        self.verify = verify  # the server's certificate: system CAs, or the center's CA file
        self.state = state
        self.actions = actions
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._client: Client | None = None
        self._refresh = Clock.create_trigger(lambda _dt: actions.refresh_queue(), 0.15)
        self._today = Clock.create_trigger(lambda _dt: actions.refresh_today(), 0.5)

    def start(self, token: str) -> None:
        self.stop()
        self._stop = threading.Event()
        self._client = Client(self.server, token=token, timeout=5.0, verify=self.verify)
        self._thread = threading.Thread(
            target=self._follow, args=(self._stop, self._client), name="counter-live", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        client, self._client = self._client, None
        if client is not None:
            client.session.close()

    # ------------------------------------------------------------ the thread

    def _follow(self, stop: threading.Event, client: Client) -> None:
        failures = 0
        last_id: int | str | None = None
        while not stop.is_set():
            try:
                if failures:
                    client.health()
                    Clock.schedule_once(lambda _dt: self._back_online(), 0)
                    failures = 0
                for event in client.events(last_event_id=last_id):
                    if stop.is_set():
                        return
                    last_id = event.get("id", last_id)
                    Clock.schedule_once(lambda _dt, e=event: self._on_event(e), 0)
            except ServerUnreachable:
                if stop.is_set():
                    return
                if failures == 0 and self._answers(client):
                    continue  # a quiet stream timed out: the server is fine, listen again
                if failures == 0:
                    Clock.schedule_once(lambda _dt: self._offline(), 0)
                stop.wait(RETRY_PAUSES_S[min(failures, len(RETRY_PAUSES_S) - 1)])
                failures += 1
            except ApiError as exc:  # e.g. the token expired: the next action will say so
                log.warning("event stream refused: %s", exc)
                stop.wait(RETRY_PAUSES_S[-1])
            except Exception:  # a bug must not kill the live view silently
                log.exception("event stream failed")
                stop.wait(RETRY_PAUSES_S[-1])

    @staticmethod
    def _answers(client: Client) -> bool:
        try:
            client.health()
        except ApiError:
            return False
        return True

    # ------------------------------------------------------------ on the UI thread

    def _on_event(self, event: dict[str, Any]) -> None:
        self.state.last_event_id = str(event.get("id", ""))
        self._refresh()
        if str(event.get("event", "")) in ("ticket_finish", "ticket_no_show"):
            self._today()

    def _offline(self) -> None:
        self.state.connected = False
        self.state.say("offline", "offline")

    def _back_online(self) -> None:
        self.state.connected = True
        number = (self.state.ticket or {}).get("number")
        if number:
            self.state.say("reconnected_kept", number=number)
        else:
            self.state.say("reconnected")
        self.actions.load_center()
