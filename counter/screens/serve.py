"""Serving: call next, the called ticket, its actions, the clerk's services live, and today's
figures. The screen a clerk lives in; every action has a key shown on its button."""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock

from counter.screens.base import CounterScreen, load_kv
from counter.state import epoch, service_id
from nafitha.formats import format_duration
from nafitha.gui.bidi_label import BidiLabel
from nafitha.gui.theme import PALETTE
from nafitha.text import t

load_kv(__file__)


class ServeScreen(CounterScreen):
    def on_kv_post(self, *_: Any) -> None:
        state = self.app.state
        self._rebuild = Clock.create_trigger(self._show_services, 0)
        for prop in ("services", "lang", "catalog"):
            state.fbind(prop, self._rebuild)
        state.fbind("now", self._tick_services)

    # ------------------------------------------------------------ texts the .kv binds

    def ticket_line(self, ticket: dict[str, Any], lang: str) -> str:
        if not ticket:
            return self.app.tr("no_ticket", lang)
        return self.app.state.service_name(service_id(ticket), lang)

    def ticket_status(self, ticket: dict[str, Any], pending: str, lang: str) -> str:
        if pending == "call_next":
            return self.app.tr("calling", lang)
        if not ticket:
            return ""
        key = "ticket_serving" if ticket.get("state") == "serving" else "ticket_called"
        return self.app.tr(key, lang)

    def priority_text(self, ticket: dict[str, Any], lang: str) -> str:
        if not (ticket or {}).get("priority"):
            return ""
        if ticket.get("file"):
            return f"{self.app.tr('priority', lang)}: {self.app.tr('priority_return', lang)}"
        return self.app.tr("priority", lang)

    def waited_text(self, ticket: dict[str, Any], now: float, lang: str) -> str:
        if not ticket:
            return ""
        minutes = self.app.minutes(self.app.waited_s(ticket, now))
        text = self.app.tr("waited", lang, minutes=minutes)
        if ticket.get("file"):
            text += "  ·  " + self.app.tr("ticket_file", lang, reference=ticket["file"])
        if ticket.get("reprints"):  # copies exist: worth a look at the paper shown
            text += "  ·  " + self.app.tr("ticket_reprints", lang, count=ticket["reprints"])
        return text

    def step_text(self, ticket: dict[str, Any], lang: str) -> str:
        """A visit through several counters: "Step 2 of 3 — from <service>", then the note the
        clerk of the step before wrote (docs/counter.md)."""
        ticket = ticket or {}
        steps, step = int(ticket.get("steps") or 1), int(ticket.get("step") or 1)
        lines = []
        if steps > 1:
            key, params = "step_line", {"step": step, "steps": steps}
            visit = (ticket.get("visit_service") or {}).get("id")
            order = [visit, *((self.app.state.catalog.get(visit) or {}).get("steps") or [])]
            here = service_id(ticket)
            if 1 < step <= len(order):
                key, here = "step_line_from", order[step - 2]
            params["service"] = self.app.state.service_name(here, lang)
            lines.append(self.app.tr(key, lang, **params))
        if ticket.get("note"):
            lines.append(self.app.tr("step_note", lang, note=ticket["note"]))
        return "\n".join(lines)

    def today_text(
        self, count: float, average: float, lang: str, stars: float = 0.0, rated: float = 0
    ) -> str:
        text = "{}: {}  ·  {}".format(
            self.app.tr("today", lang),
            self.app.tr("served_today", lang, count=int(count)),
            self.app.tr("average_service", lang, duration=format_duration(average, lang)),
        )
        if rated:  # the clerk's own rating today, nobody else's (docs/ratings.md)
            mine = t("ratings.my_ratings", lang, mean=f"{stars:.1f}", count=int(rated))
            text = f"{text}  ·  {mine}"
        return text

    def no_show_text(self, ticket: dict[str, Any], now: float, lang: str) -> str:
        """The no-show key, with the seconds left before the server accepts it."""
        text = self.app.keyed("no_show", self.app.state.lang, "serve")
        wait = self.app.state.no_show_wait() if (ticket or {}).get("state") == "called" else 0
        wait = -(-wait // 10) * 10  # in steps of 10 s: each new text costs a frame to draw
        return f"{text}\n{self.app.tr('no_show_in', lang, seconds=wait)}" if wait else text

    def question(self, confirming: str, ticket: dict[str, Any], now: float, lang: str) -> str:
        if confirming != "no_show" or not ticket:
            return ""
        since = max(0, round(now - epoch(ticket.get("called_at"))))
        return self.app.tr("confirm_no_show", lang, number=ticket.get("number", ""), seconds=since)

    def who_text(self, user: str, counter: dict[str, Any], counter_id: str, lang: str) -> str:
        name = self.app.state.counter_name(counter, lang) if counter else counter_id
        return self.app.tr("clerk_at_counter", lang, user=user, counter=name)

    # ------------------------------------------------------------ services, live

    def _show_services(self, *_: Any) -> None:
        box = self.ids.services
        state = self.app.state
        rows = {row["id"]: row for row in state.services}
        shown = [label.row["id"] for label in reversed(box.children)]
        if shown != list(rows):  # other services: new rows; else only their texts change
            box.clear_widgets()
            for row in state.services:
                label = BidiLabel(
                    size_hint_y=None, height=74, font_size=19, color=PALETTE.text, padding=(10, 4)
                )
                label.name = f"service_{row['id']}"
                label.row = row
                box.add_widget(label)
        for label in box.children:
            label.row = rows[label.row["id"]]
            label.rtl = state.lang == "ar"
            self._fill_service(label)

    def _tick_services(self, *_: Any) -> None:
        for label in self.ids.services.children:
            self._fill_service(label)

    def _fill_service(self, label: Any) -> None:
        state, row = self.app.state, label.row
        lang = state.lang
        waiting = int(row.get("waiting") or 0)
        if waiting:
            oldest = (row.get("oldest_wait_s") or 0) + (state.now - row.get("as_of", state.now))
            second = "{}  ·  {}".format(
                self.app.tr("waiting_count", lang, count=waiting),
                self.app.tr("oldest_wait", lang, minutes=self.app.minutes(oldest)),
            )
        else:
            second = self.app.tr("nobody_waiting_service", lang)
        label.logical = f"{state.service_name(row['id'], lang)}\n{second}"
        label.bold = waiting > 0

    # ------------------------------------------------------------ actions

    def action_call_next(self) -> None:
        self.app.state.confirming = ""
        self.app.actions.call_next()

    def action_finish_next(self) -> None:
        self.app.state.confirming = ""
        self.app.actions.finish_and_call_next()

    def action_recall(self) -> None:
        self.app.actions.recall()

    def action_reprint(self) -> None:
        self.app.actions.reprint()

    def action_no_show(self) -> None:
        """Ask first: a no-show drops the citizen from the queue."""
        if self.app.state.can("no_show"):
            self.app.state.confirming = "no_show"

    def action_confirm(self) -> None:
        if self.app.state.confirming == "no_show":
            self.app.state.confirming = ""
            self.app.actions.no_show()

    def action_cancel(self) -> None:
        self.app.state.confirming = ""

    def action_undo_no_show(self) -> None:
        self.app.actions.undo_no_show()

    def action_start(self) -> None:
        self.app.actions.start()

    def action_finish(self) -> None:
        """Ask how it ended (counter/screens/outcome.py); the quick key X records "served"."""
        self.app.state.confirming = ""
        if self.app.state.can("finish"):
            self.app.state.screen = "outcome"

    def action_transfer(self) -> None:
        self.app.state.confirming = ""
        if self.app.state.can("transfer"):
            self.app.state.screen = "transfer"

    def action_call_chosen(self) -> None:
        """Call a chosen waiting ticket out of order (counter/screens/call_chosen.py)."""
        if self.app.state.can("call_next"):  # the counter is free and open
            self.app.state.screen = "call_chosen"

    def action_book_for(self) -> None:
        """Book an appointment for the citizen here (counter/screens/book_for.py)."""
        if not self.app.state.busy:
            self.app.state.screen = "book_for"

    def action_pause(self) -> None:
        if self.app.state.can("pause"):  # finish or transfer the citizen first
            self.app.state.screen = "pause"

    def action_open_file(self) -> None:
        if self.app.state.ticket:
            self.app.state.screen = "open_file"

    def action_files(self) -> None:
        self.app.state.screen = "files"

    def action_logout(self) -> None:
        self.app.actions.logout()
