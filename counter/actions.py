"""What the clerk's buttons and keys do: each action asks the server off the UI thread and writes
the answer into the state on it.

The state mirrors the server; nothing here decides business rules. A refused action shows the
server's bilingual message; an unreachable server keeps the clerk's ticket and file on screen, says
so, and the live feed brings the counter back when the server returns.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from counter.background import Background
from counter.receipts import ReceiptOutput, ReceiptShown
from counter.state import CounterState, service_id
from nafitha.client import ApiError, Client, ServerUnreachable

log = logging.getLogger(__name__)


def _counter_row(queue: dict[str, Any], counter_id: str) -> dict[str, Any] | None:
    for row in _items(queue, "counters"):
        if row.get("id") == counter_id:
            return row
    return None


def _items(answer: Any, key: str) -> list[dict[str, Any]]:
    """A list the API returns either bare or wrapped as ``{key: [...]}``."""
    if isinstance(answer, dict):
        return list(answer.get(key) or [])
    return list(answer or [])


class CounterActions:
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
        if isinstance(exc, ServerUnreachable):
            self.state.connected = False
            self.state.say("offline", "offline")
        elif isinstance(exc, ApiError):
            if exc.status == 401 and self.state.token:
                self.state.forget_session()
            self.state.say_message(exc.message, "error")
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
            here = _counter_row(queue, self.state.counter_id)
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

    def _show_queue(self, queue: dict[str, Any]) -> None:
        here = _counter_row(queue, self.state.counter_id) or {}
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

    def _set_ticket(self, ticket: dict[str, Any] | None) -> None:
        self.state.ticket = dict(ticket or {})
        self.state.ticket_since = time.time()

    # ------------------------------------------------------------ serving

    def call_next(self) -> None:
        if self.state.busy or self.state.paused:
            return

        def done(ticket: dict[str, Any] | None) -> None:
            if ticket is None:
                self.state.say("nobody_waiting")
                return
            self._set_ticket(ticket)
            self.state.file = {}
            self.state.say("done_called", number=ticket["number"])
            self.refresh_queue()
            if ticket.get("file"):
                self.lookup_file(ticket["file"], show=False)

        self._do(lambda: self.client.call_next(self.state.counter_id), done)

    def _ticket_action(
        self, action: str, said: str, clears: bool, body: dict[str, Any] | None = None
    ) -> None:
        ticket = dict(self.state.ticket)
        if not ticket or self.state.busy:
            return

        def done(answer: dict[str, Any]) -> None:
            self.state.say(said, number=ticket["number"])
            if action == "transfer":
                self.refresh_queue()
            if clears:
                self._set_ticket(None)
                self.refresh_today()
            else:
                self._set_ticket({**ticket, **(answer or {})})

        self._do(lambda: self.client.ticket_action(ticket["id"], action, **(body or {})), done)

    def recall(self) -> None:
        self._ticket_action("recall", "done_recalled", clears=False)

    def no_show(self) -> None:
        self._ticket_action("no-show", "done_no_show", clears=True)

    def start(self) -> None:
        self._ticket_action("start", "done_started", clears=False)

    def finish(self) -> None:
        self._ticket_action("finish", "done_finished", clears=True)

    def transfer(self, service: str | None, counter: str | None, note: str) -> None:
        body: dict[str, Any] = {"reason": note.strip() or None}
        if service:
            body["service"] = service
        if counter:
            body["counter"] = counter
        self._ticket_action("transfer", "done_transferred", clears=True, body=body)
        self.state.screen = "serve"

    def pause(self, reason: str) -> None:
        reason = reason.strip()
        if not reason:
            self.state.say("reason_required", "error")
            return

        def done(_: Any) -> None:
            self.state.paused = True
            self.state.pause_reason = reason
            self.state.say("done_paused")
            self.state.screen = "paused"

        # The server records the pause and its reason (audited, out of the wait estimates).
        self._do(lambda: self.client.pause_counter(self.state.counter_id, reason), done)

    def resume(self) -> None:
        def done(_: Any) -> None:
            self.state.paused = False
            self.state.pause_reason = ""
            self.state.say("done_resumed")
            self.state.screen = "serve"

        self._do(lambda: self.client.resume_counter(self.state.counter_id), done)

    # ------------------------------------------------------------ files

    def open_file(
        self, name: str, national_id: str, phone: str, received: Sequence[int], note: str
    ) -> None:
        """Open a file for the citizen being served; ``received`` are indexes into the service's
        required documents."""
        ticket = dict(self.state.ticket)
        service = service_id(ticket)
        if not name.strip():
            self.state.say("name_required", "error")
            return
        citizen = {"name": name.strip()}
        if national_id.strip():
            citizen["national_id"] = national_id.strip()
        if phone.strip():
            citizen["phone"] = phone.strip()

        def call() -> dict[str, Any]:
            return self.client.open_file(
                service=service,
                citizen=citizen,
                documents_received=list(received),
                ticket=ticket.get("id"),
                note=note.strip() or None,
            )

        def done(answer: dict[str, Any]) -> None:
            self.state.file = answer
            self.state.say("file_opened", reference=answer["reference"])
            self.state.screen = "files"
            self.print_receipt()

        self._do(call, done)

    def print_receipt(self) -> None:
        file = dict(self.state.file)
        if not file:
            return
        center = self.state.center

        def done(printed: Any) -> None:
            if not isinstance(printed, ReceiptShown):
                self.state.say("receipt_printed")
                return
            self.state.receipt_image = printed.path
            self.state.screen = "receipt"
            if printed.error is None:
                self.state.say("receipt_on_screen")
                return
            self.state.say_message(printed.error.message, "error")
            self._alert_printer(printed.error)

        def failed(exc: Exception) -> None:
            self.state.say("printer_failed", "error", reason=str(exc))

        self._do(lambda: self.receipts.output(file, center), done, failed=failed)

    def _alert_printer(self, error: Any) -> None:
        """Tell the staff the counter's printer failed (best effort: the clerk already knows)."""
        self._do(
            lambda: self.client.post_alert(
                str(getattr(error, "code", "printer_error")),
                str((getattr(error, "message", None) or {}).get("en", error)),
                device=f"counter-{self.state.counter_id}",
            ),
            lambda _answer: None,
            busy=False,
            failed=lambda _exc: None,
        )

    def lookup_file(self, reference: str, show: bool = True) -> None:
        reference = reference.strip()
        if not reference:
            return

        def done(answer: dict[str, Any]) -> None:
            self.state.file = answer
            if show:
                self.state.clear_notice()
                self.state.screen = "files"

        self._do(lambda: self.client.get_file(reference), done)

    def move_file(
        self, stage: str, note: str = "", missing: Sequence[Any] = (), reason: str = ""
    ) -> None:
        file = dict(self.state.file)
        if not file:
            return
        extra: dict[str, Any] = {}
        if missing:
            extra["missing"] = list(missing)
        if reason.strip():
            extra["reason"] = reason.strip()

        def done(answer: dict[str, Any]) -> None:
            self.state.file = answer
            name = self.stage_name(answer, answer.get("stage", stage))
            self.state.notice = {
                lang: self._texts("file_moved", lang, stage=name[lang]) for lang in ("ar", "en")
            }
            self.state.notice_kind = "info"

        self._do(
            lambda: self.client.move_file(
                file["reference"], stage, note=note.strip() or None, **extra
            ),
            done,
        )

    @staticmethod
    def _texts(key: str, lang: str, **params: Any) -> str:
        from nafitha.text import t

        return t(f"counter.{key}", lang, **params)

    @staticmethod
    def stage_name(file: dict[str, Any], stage: str) -> dict[str, str]:
        for candidate in file.get("stages") or []:
            if candidate.get("id") == stage:
                return candidate.get("name") or {"ar": stage, "en": stage}
        return {"ar": stage, "en": stage}
