"""The clerk's serving keys: call next (shown pending at once), finish (which implies start),
finish and call next, recall, no-show (undoable for a while), transfer, pause and resume.

Each asks the server off the UI thread (:meth:`CounterActions._do`) and writes its answer into the
state on it; :meth:`CounterState.can` keeps keys that can only fail from being offered.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from counter.state import CounterState, service_id
from nafitha.client import ApiError, Client


def counter_row(queue: dict[str, Any], counter_id: str) -> dict[str, Any] | None:
    """This counter's row in a ``GET /queue`` answer."""
    rows = queue.get("counters") if isinstance(queue, dict) else queue
    for row in rows or []:
        if row.get("id") == counter_id:
            return row
    return None


class ServingActions:
    """Mixed into :class:`counter.actions.CounterActions`, which provides the plumbing."""

    state: CounterState
    client: Client
    _do: Callable[..., None]
    failed: Callable[[Exception], None]
    refresh_today: Callable[[], None]
    refresh_queue: Callable[[], None]
    lookup_file: Callable[..., None]
    receipts: Any  # counter.receipts.ReceiptOutput

    def _set_ticket(self, ticket: dict[str, Any] | None) -> None:
        self.state.ticket = dict(ticket or {})
        self.state.ticket_since = time.time()

    def call_next(self) -> None:
        if not self.state.can("call_next"):
            return
        self.state.pending = "call_next"  # shown at once, before the server answers
        self._do(lambda: self.client.call_next(self.state.counter_id), self._called)

    def finish_and_call_next(self) -> None:
        """Finish the ticket at the counter and call the next one: one key, two requests."""
        ticket = dict(self.state.ticket)
        if not self.state.can("finish_next") or self.state.paused:
            return
        self.state.pending = "call_next"

        def call() -> dict[str, Any] | None:
            # the quick key records the service's first resolved outcome ("served")
            self.client.ticket_action(ticket["id"], "finish", **self._served(ticket))
            return self.client.call_next(self.state.counter_id)

        def failed(exc: Exception) -> None:
            self.failed(exc)
            self.reload_ticket()  # the finish may have gone through before the call failed

        self._do(call, lambda answer: self._called(answer, finished=ticket), failed=failed)

    def _served(self, ticket: dict[str, Any]) -> dict[str, Any]:
        """``{"outcome": <the first resolved outcome>}`` of the ticket's service, if listed."""
        service = self.state.catalog.get(service_id(ticket)) or {}
        served = next((o for o in service.get("outcomes") or [] if o.get("resolved")), None)
        return {"outcome": served["id"]} if served else {}

    def _called(
        self, ticket: dict[str, Any] | None, finished: dict[str, Any] | None = None
    ) -> None:
        self.state.pending = ""
        self.state.undo = {}
        if finished:
            self.refresh_today()
        if ticket is None:
            self._set_ticket(None)
            self.state.say("nobody_waiting")
            return
        self._set_ticket(ticket)
        self.state.file = {}
        self.state.say("done_called", number=ticket["number"])
        if ticket.get("file"):
            self.lookup_file(ticket["file"], show=False)

    def reload_ticket(self) -> None:
        """This counter's ticket as the server has it now (after a half-done action)."""

        def call() -> dict[str, Any] | None:
            here = counter_row(self.client.queue(), self.state.counter_id) or {}
            current = here.get("current")
            return self.client.ticket(current["id"]) if current else None

        self._do(call, self._set_ticket, busy=False, failed=lambda exc: None)

    def _ticket_action(
        self,
        action: str,
        done: Callable[[dict[str, Any], dict[str, Any]], None],
        body: dict[str, Any] | None = None,
        call: Callable[[dict[str, Any]], Any] | None = None,
    ) -> None:
        ticket = dict(self.state.ticket)
        if not ticket or self.state.busy:
            return

        def failed(exc: Exception) -> None:
            self.failed(exc)
            if isinstance(exc, ApiError) and exc.status in (404, 409):
                self.reload_ticket()  # someone else changed it: show it as the server has it

        self._do(
            (lambda: call(ticket))
            if call
            else lambda: self.client.ticket_action(ticket["id"], action, **(body or {})),
            lambda answer: done(ticket, answer or {}),
            failed=failed,
        )

    def _kept(self, said: str) -> Callable[[dict[str, Any], dict[str, Any]], None]:
        def done(ticket: dict[str, Any], answer: dict[str, Any]) -> None:
            self.state.say(said, number=ticket["number"])
            self._set_ticket({**ticket, **answer})

        return done

    def _closed(self, said: str) -> Callable[[dict[str, Any], dict[str, Any]], None]:
        def done(ticket: dict[str, Any], answer: dict[str, Any]) -> None:
            self.state.say(said, number=ticket["number"])
            self._set_ticket(None)
            self.refresh_today()

        return done

    def reprint(self) -> None:
        """The ticket at the counter printed again here (counter/reprint.py); without a printer,
        the clerk is told and the server is not asked."""
        from counter.reprint import reprint_and_print

        ticket = dict(self.state.ticket)
        if not ticket or self.state.busy:
            return
        if not self.receipts.has_printer:
            self.state.say("reprint_no_printer", "error", number=ticket["number"])
            return
        center, lang = dict(self.state.center), self.state.lang

        def done(answer: dict[str, Any]) -> None:
            self.state.say("done_reprinted", number=answer["number"], count=answer["reprints"])
            if self.state.ticket.get("id") == answer["id"]:
                self.state.ticket = {**self.state.ticket, "reprints": answer["reprints"]}

        def failed(exc: Exception) -> None:
            message = getattr(exc, "message", None)
            if isinstance(exc, ApiError) or not isinstance(message, dict):
                self.failed(exc)
            else:  # the printer's own error, in both languages
                self.state.say_message(message, "error")

        self._do(
            lambda: reprint_and_print(self.client, self.receipts, ticket["id"], center, lang),
            done,
            failed=failed,
        )

    def recall(self) -> None:
        if self.state.can("recall"):
            self._ticket_action("recall", self._kept("done_recalled"))

    def start(self) -> None:
        if self.state.can("start"):
            self._ticket_action("start", self._kept("done_started"))

    def finish(self, outcome: str | None = None, note: str = "") -> None:
        """Finish with ``outcome`` (the server starts a called ticket first: finish implies
        start); a step of a longer visit goes on to the next step, with ``note``."""
        if not self.state.can("finish"):
            return
        body = {"outcome": outcome, "note": note.strip() or None}

        def done(ticket: dict[str, Any], answer: dict[str, Any]) -> None:
            if answer.get("state") != "waiting":
                self._closed("done_finished")(ticket, answer)
                return
            service = (answer.get("service") or {}).get("name") or {}  # the visit's next step
            self.state.say("done_next_step", number=ticket["number"], service=service)
            self._set_ticket(None)
            self.refresh_today()

        self._ticket_action("finish", done, body={k: v for k, v in body.items() if v})
        self.state.screen = "serve"

    def send_back(self, step: int, reason: str, names: dict[str, str]) -> None:
        """Send the citizen back to the earlier ``step`` of the visit (``names``: its service)."""
        body = {"step": step, "reason": reason.strip() or None}

        def call(ticket: dict[str, Any]) -> Any:
            return self.client.send_back(ticket["id"], **{k: v for k, v in body.items() if v})

        def done(ticket: dict[str, Any], _answer: dict[str, Any]) -> None:
            self.state.say("done_sent_back", number=ticket["number"], step=step, service=names)
            self._set_ticket(None)
            self.refresh_queue()

        self._ticket_action("send-back", done, call=call)
        self.state.screen = "serve"

    def no_show(self) -> None:
        """Mark the called ticket no-show (the screen asked the clerk to confirm first); it can be
        undone for a while."""
        if not self.state.can("no_show"):
            return

        def done(ticket: dict[str, Any], answer: dict[str, Any]) -> None:
            self._closed("done_no_show")(ticket, answer)
            if answer.get("undo_until"):
                self.state.undo = answer
                minutes = max(1, round(self.state.undo_left() / 60))
                self.state.say("done_no_show_undo", number=ticket["number"], minutes=minutes)

        self._ticket_action("no-show", done)

    def undo_no_show(self) -> None:
        undo = dict(self.state.undo)
        if not self.state.can("undo_no_show"):
            return

        def done(answer: dict[str, Any]) -> None:
            self.state.undo = {}
            self._set_ticket(answer)
            self.state.say("done_undone", number=answer["number"])

        def failed(exc: Exception) -> None:
            self.state.undo = {}
            self.failed(exc)

        self._do(lambda: self.client.ticket_action(undo["id"], "undo-no-show"), done, failed=failed)

    def transfer(
        self, service: str | None, counter: str | None, note: str, target: dict[str, str]
    ) -> None:
        """Send the ticket to ``service`` and/or ``counter``; ``target`` names where, for the
        confirmation."""
        body: dict[str, Any] = {"reason": note.strip() or None}
        if service:
            body["service"] = service
        if counter:
            body["counter"] = counter

        def done(ticket: dict[str, Any], _answer: dict[str, Any]) -> None:
            self.state.say("done_transferred_to", number=ticket["number"], target=target)
            self._set_ticket(None)
            self.refresh_queue()

        self._ticket_action("transfer", done, body=body)
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
