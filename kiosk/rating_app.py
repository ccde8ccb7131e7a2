"""The rating screen's app (``nafitha kiosk --mode rating``, started by :mod:`kiosk.rating_mode`):
a small screen at one counter where the citizen rates the visit just finished there
(docs/ratings.md).

It waits (``rating_idle``); when the clerk finishes a visit at its counter (the live event stream
says so at once; a slow poll is the safety net) it asks with five big faces named in both
languages (``rating_ask``), sends the tap as ``POST /api/v1/counters/{counter}/rating`` with its
device token, thanks (``rating_thanks``) and goes back to waiting. The server decides what may be
rated: the visit finished last at that counter, within minutes, never twice; the screen never
asks again about a visit it has shown once. Nothing waits on the network on the UI thread.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk.config import KioskSettings
from nafitha.client import ApiError, Client, ServerUnreachable
from nafitha.gui.automation import serve_control
from nafitha.gui.background import Background
from nafitha.gui.fonts import register_fonts
from nafitha.gui.theme import PALETTE
from nafitha.text import t

log = logging.getLogger("nafitha.kiosk.rating")
ASK_AT_MOST_S = 120.0  # a question nobody answers goes away (the server's window is 5 minutes)


class RatingApp(App):
    title = "Nafitha rating"
    scale = NumericProperty(1.0)
    rtl = BooleanProperty(True)
    counter_text = StringProperty("")
    ticket_text = StringProperty("")

    def __init__(self, settings: KioskSettings, client: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.settings = settings
        self.client = client
        self.counter = settings.counter
        self.rtl = settings.lang == "ar"
        self.pending: dict[str, Any] = {}
        self.shown: set[int] = set()  # visits asked about once: never asked again
        self.sent: list[dict[str, Any]] = []  # what was rated here, for tests and support
        self.errors: list[str] = []
        self.checks = 0
        self.woken = 0  # checks triggered by a live event
        self._sending = False
        self._back: Any = None
        self._stop = threading.Event()

    # ------------------------------------------------------------------ building
    def build(self) -> ScreenManager:
        from kiosk.screens.rating import SCREENS

        register_fonts()
        Window.clearcolor = PALETTE.background
        self.background = Background(workers=2, name="rating-io")
        Window.bind(on_resize=self._resized)
        self._resized(Window, *Window.size)
        self.manager = ScreenManager(transition=NoTransition())
        for make in SCREENS:
            self.manager.add_widget(make())
        self.manager.current = "rating_idle"
        self._check_soon = Clock.create_trigger(lambda _dt: self.check(), 0.1)
        return self.manager

    def on_start(self) -> None:
        self.background.run(self.client.counters, self._counters, self._failed)
        Clock.schedule_interval(lambda _dt: self.check(), self.settings.rating_poll_s)
        threading.Thread(target=self._follow, name="rating-live", daemon=True).start()
        serve_control(self.control_commands())
        self.check()

    def on_stop(self) -> None:
        self._stop.set()
        self.background.shutdown()

    def _resized(self, _window: Any, width: int, height: int) -> None:
        self.scale = min(width / 800, height / 480)

    def text_in(self, key: str, lang: str, **params: Any) -> str:
        return t(key, lang, **params)

    def _counters(self, counters: list[dict[str, Any]]) -> None:
        for counter in counters:
            if counter.get("id") == self.counter:
                name = counter.get("name") or {}
                self.counter_text = name.get(self.settings.lang) or name.get("ar") or self.counter

    def _failed(self, exc: Exception) -> None:
        self.errors.append(getattr(exc, "code", None) or type(exc).__name__)

    # ------------------------------------------------------------------ the live events
    def _follow(self) -> None:
        """Wake the check when a visit is finished at this counter (the stream's public fields)."""
        last: int | str | None = None
        client = Client(self.client.base_url, timeout=5.0, verify=self.client.verify)
        while not self._stop.is_set():
            try:
                for event in client.events(last):
                    last = event.get("id", last)
                    data = event.get("data") or {}
                    kind = data.get("kind") or event.get("event")
                    counter = (data.get("counter") or {}).get("id")
                    if kind == "ticket_finish" and counter == self.counter:
                        self.woken += 1
                        Clock.schedule_once(lambda _dt: self._check_soon(), 0)
                    if self._stop.is_set():
                        return
            except (ServerUnreachable, ApiError, ValueError) as exc:
                log.info("rating screen: live events interrupted: %r", exc)
            self._stop.wait(1.0)

    # ------------------------------------------------------------------ asking
    def check(self) -> None:
        """Ask the server whether a visit was just finished here (off the UI thread)."""
        if self.manager.current != "rating_idle":
            return
        self.checks += 1
        self.background.run(
            lambda: self.client.request("GET", f"/api/v1/counters/{self.counter}/rating"),
            self._checked,
            self._failed,
        )

    def _checked(self, answer: dict[str, Any]) -> None:
        pending = answer.get("pending") if answer else None
        if not pending or pending["ticket"] in self.shown or self.manager.current != "rating_idle":
            return
        self.shown.add(pending["ticket"])
        self.pending = dict(pending)
        self.ticket_text = str(pending["number"])
        self.manager.current = "rating_ask"
        wait = min(ASK_AT_MOST_S, float(pending.get("expires_in_s") or ASK_AT_MOST_S))
        self._schedule_back(max(5.0, wait))

    def rate(self, stars: int) -> None:
        """A face was tapped: send it once, thank, go back to waiting."""
        if self.manager.current != "rating_ask" or self._sending:
            return
        self._sending = True
        body = {"stars": int(stars), "lang": self.settings.lang, "ticket": self.pending["ticket"]}

        def sent(answer: dict[str, Any]) -> None:
            self._sending = False
            self.sent.append({"ticket": self.pending["ticket"], "stars": int(stars)})
            self.manager.current = "rating_thanks"
            self._schedule_back(self.settings.rating_thanks_s)

        def refused(exc: Exception) -> None:
            self._sending = False
            self._failed(exc)
            self.idle()

        self.background.run(
            lambda: self.client.request(
                "POST", f"/api/v1/counters/{self.counter}/rating", json_body=body
            ),
            sent,
            refused,
        )

    def _schedule_back(self, seconds: float) -> None:
        if self._back is not None:
            self._back.cancel()
        self._back = Clock.schedule_once(lambda _dt: self.idle(), seconds)

    def idle(self) -> None:
        self.pending = {}
        self.ticket_text = ""
        self.manager.current = "rating_idle"
        self._check_soon()

    # ------------------------------------------------------------------ tests
    def control_commands(self) -> dict[str, Any]:
        def thanks_time(seconds: float) -> bool:
            self.settings = self.settings.model_copy(update={"rating_thanks_s": float(seconds)})
            return True

        return {
            "screen": lambda: self.manager.current,
            "state": lambda: {
                "screen": self.manager.current,
                "counter": self.counter,
                "counter_text": self.counter_text,
                "pending": dict(self.pending),
                "sent": list(self.sent),
                "shown": sorted(self.shown),
                "errors": list(self.errors),
                "checks": self.checks,
                "woken": self.woken,
                "catalog_loaded": True,
            },
            "thanks_time": thanks_time,
        }
