"""What the clerk's buttons and keys do: each action asks the server off the UI thread and writes
the answer into the state on it. The plumbing, the session and the live queue are here; the serving
keys are in :mod:`counter.serving`, the file keys in :mod:`counter.file_actions`.

The state mirrors the server; nothing here decides business rules. A refused action shows the
server's bilingual message; an unreachable server keeps the clerk's ticket and file on screen, says
so, and the live feed brings the counter back when the server returns.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from counter.file_actions import FileActions
from counter.receipts import ReceiptOutput
from counter.serving import ServingActions, counter_row
from counter.state import CounterState
from nafitha.client import ApiError, Client, ServerUnreachable
from nafitha.gui.background import Background

log = logging.getLogger(__name__)


def _items(answer: Any, key: str) -> list[dict[str, Any]]:
    """A list the API returns either bare or wrapped as ``{key: [...]}``."""
    if isinstance(answer, dict):
        return list(answer.get(key) or [])
    return list(answer or [])


class CounterActions(ServingActions, FileActions):
    """The clerk's actions, one method each, never blocking the caller."""

    def __init__(
        self,
        state: CounterState,
        client: Client,
        background: Background,
        receipts: ReceiptOutput,
        on_login: Callable[[], None] = lambda: None,
    ) -> None:
        self.state = state
        self.client = client
        self.background = background
        self.receipts = receipts
        self.on_login = on_login
        self.languages: dict[str, str] = {}
        """Each clerk's chosen language on this terminal, restored at their next log-in."""
        state.bind(lang=self._remember_language)

    def _remember_language(self, _state: Any, lang: str) -> None:
        if self.state.user:
            self.languages[self.state.user] = lang

    # ------------------------------------------------------------ plumbing

    def _do(
        self,
        call: Callable[[], Any],
        done: Callable[[Any], None],
        *,
        busy: bool = True,
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        if busy:
            self.state.busy = True

        def ok(result: Any) -> None:
            if busy:
                self.state.busy = False
            self.state.connected = True
            done(result)

        def error(exc: Exception) -> None:
            if busy:
                self.state.busy = False
            (failed or self.failed)(exc)

        self.background.run(call, ok, error)

    def failed(self, exc: Exception) -> None:
        """Show why an action did not happen; keep everything the clerk was doing."""
        self.state.pending = ""
        if isinstance(exc, ServerUnreachable):
            self.state.connected = False
            self.state.say("offline", "offline")
        elif isinstance(exc, ApiError):
            if exc.status == 401 and self.state.token:
                self.state.forget_session()
            self.state.say_message(exc.message, "error")
            if exc.code == "file_changed" and self.state.file:
                # another clerk moved it: show its new state under the server's message
                self.lookup_file(self.state.file["reference"], show=False, quiet=True)
        else:
            log.exception("unexpected failure", exc_info=exc)
            self.state.say("unexpected_error", "error", reason=type(exc).__name__)

    # ------------------------------------------------------------ session

    def login(self, username: str, password: str, counter: str) -> None:
        username, counter = username.strip(), counter.strip()
        if not (username and password and counter):
            self.state.say("login_missing", "error")
            return

        def call() -> dict[str, Any]:
            answer = self.client.login(username, password, counter=counter)
            return answer

        def done(answer: dict[str, Any]) -> None:
            self.state.token = answer["token"]
            self.state.role = answer.get("role", "clerk")
            self.state.lang = self.languages.get(username, self.state.lang)
            self.state.user = username
            self.state.counter_id = counter
            self.state.clear_notice()
            self.state.screen = "serve"
            self.load_center()
            self.on_login()

        self._do(call, done)

    def logout(self) -> None:
        def done(_: Any) -> None:
            self.client.token = None
            self.state.forget_session()
            self.state.clear_notice()

        def failed(exc: Exception) -> None:  # logging out locally never waits on the server
            done(None)

        self._do(self.client.logout, done, failed=failed)

    def load_center(self) -> None:
        """The catalog, the counters, this counter's queue and its current ticket (then the
        clerk's day), after log-in or a reconnection."""

        def call() -> dict[str, Any]:
            catalog = self.client.services()
            queue = self.client.queue()
            here = counter_row(queue, self.state.counter_id)
            current = (here or {}).get("current")
            return {
                "catalog": catalog,
                "counters": _items(self.client.counters(), "counters"),
                "queue": queue,
                "current": self.client.ticket(current["id"]) if current else None,
            }

        def done(answer: dict[str, Any]) -> None:
            catalog = answer["catalog"]
            self.state.center = catalog.get("center") or {}
            self.state.catalog = {service["id"]: service for service in catalog["services"]}
            self.state.counters = answer["counters"]
            for counter in answer["counters"]:
                if counter["id"] == self.state.counter_id:
                    self.state.counter = counter
            self._show_queue(answer["queue"])
            if answer["current"]:
                self._set_ticket(answer["current"])
            self.refresh_today()
            if self.state.paused and self.state.screen == "serve":
                self.state.screen = "paused"

        self._do(call, done, busy=False)

    # ------------------------------------------------------------ the queue, live

    def refresh_queue(self) -> None:
        self._do(self.client.queue, self._show_queue, busy=False, failed=lambda exc: None)

    def refresh_today(self) -> None:
        self._do(self.client.clerk_today, self._show_today, busy=False, failed=lambda exc: None)
        self._do(self.client.my_ratings, self._show_ratings, busy=False, failed=lambda exc: None)

    def _show_ratings(self, mine: dict[str, Any] | None) -> None:
        """The clerk's own rating today (docs/ratings.md): shown beside the day's figures."""
        today = (mine or {}).get("today") or {}
        self.state.rating_count = int(today.get("count") or 0)
        self.state.rating_mean = float(today.get("mean") or 0.0)

    def _show_queue(self, queue: dict[str, Any]) -> None:
        self.state.queue = queue
        here = counter_row(queue, self.state.counter_id) or {}
        if here:
            self.state.paused = here.get("status") == "paused"
        mine = here.get("services") or self.state.counter.get("services") or []
        rows = {row["id"]: row for row in _items(queue, "services")}
        now = time.time()
        self.state.services = [
            {
                "id": service,
                "waiting": int((rows.get(service) or {}).get("waiting", 0)),
                "priority_waiting": int((rows.get(service) or {}).get("priority_waiting") or 0),
                "oldest_wait_s": (rows.get(service) or {}).get("oldest_wait_s") or 0,
                "as_of": now,
            }
            for service in mine
        ]

    def _show_today(self, today: dict[str, Any] | None) -> None:
        if today:
            self.state.served_count = int(today.get("served", 0))
            self.state.average_service_s = float(today.get("average_service_s") or 0.0)
