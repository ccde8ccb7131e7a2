"""The counter's Kivy app: it builds the state, the screens and the wiring, then only presents.

It owns one :class:`CounterState`, one :class:`CounterActions` (server calls off the UI thread) and
one :class:`LiveFeed` (the server's event stream), and turns key presses into the actions of the
screen shown. Screens are reachable by name: setting ``state.screen`` shows one.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Keyboard, Window
from kivy.uix.screenmanager import NoTransition, ScreenManager
from kivy.uix.textinput import TextInput

from counter import shortcuts
from counter.actions import CounterActions
from counter.config import CounterSettings, state_folder
from counter.live import LiveFeed
from counter.receipts import ReceiptOutput
from counter.screens import SCREENS
from counter.silent_alarm import SilentAlarm, is_alarm_key
from counter.sms_status import SmsWatch
from counter.state import CounterState
from nafitha.client import Client
from nafitha.gui.background import Background
from nafitha.gui.fonts import register_fonts
from nafitha.text import t

log = logging.getLogger(__name__)
_KEY_NAMES = {code: name for name, code in Keyboard.keycodes.items()}


class CounterApp(App):
    """The clerk's terminal."""

    def __init__(self, settings: CounterSettings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.settings = settings
        self.state = CounterState(lang=settings.language, server=settings.server)
        self.state.counter_id = settings.counter
        self.background = Background(name="counter-actions")
        self.client = Client(settings.server, verify=settings.verify)
        self.receipts = ReceiptOutput(settings.printer)
        self.actions = CounterActions(
            self.state, self.client, self.background, self.receipts, on_login=self._logged_in
        )
        self.live = LiveFeed(settings.server, self.state, self.actions, verify=settings.verify)
        self.sms = SmsWatch(settings.server, self.state, verify=settings.verify)
        self.alarm = SilentAlarm(
            self.state,
            lambda token: Client(settings.server, token=token, verify=settings.verify),
            pending=state_folder(settings) / f"pending-alarm-{settings.counter or 'any'}.json",
        )
        self.scanner: Any = None

    # ------------------------------------------------------------ texts for the .kv files

    def tr(self, key: str, lang: str, **params: Any) -> str:
        """A counter text in ``lang`` (the .kv files pass ``app.state.lang`` so they re-bind)."""
        return t(f"counter.{key}", lang, **params)

    def keyed(self, key: str, lang: str, screen: str, action: str | None = None) -> str:
        """A button's text followed by its shortcut, e.g. ``Recall · R``."""
        hint = shortcuts.label_for(screen, action or key)
        text = self.tr(key, lang)
        return f"{text}  ·  {hint}" if hint else text

    def bilingual(self, message: dict[str, str], lang: str) -> str:
        return (message or {}).get(lang, "")

    def minutes(self, seconds: float | None) -> int:
        return max(0, round((seconds or 0) / 60))

    def waited_s(self, ticket: dict[str, Any], now: float) -> float:
        """How long the citizen has waited, from the ticket's issue time."""
        if not ticket:
            return 0.0
        issued = ticket.get("issued_at")
        if isinstance(issued, str):
            try:
                return max(0.0, now - datetime.fromisoformat(issued).timestamp())
            except ValueError:
                return 0.0
        return float(ticket.get("waited_s") or 0.0)

    # ------------------------------------------------------------ building

    def build(self) -> ScreenManager:
        register_fonts()
        self.title = t("counter.title", self.state.lang)
        manager = ScreenManager(transition=NoTransition())
        for screen_class in SCREENS:
            manager.add_widget(screen_class())
        self.state.bind(screen=lambda _state, name: setattr(manager, "current", name))
        manager.current = self.state.screen
        self.state.tick()
        Clock.schedule_interval(self.state.tick, 1.0)
        Window.bind(on_key_down=self._on_key_down)
        self._start_scanner()
        self.alarm.resume()  # an alarm the last run could not get through goes on now
        from counter.control import serve_counter_control

        serve_counter_control(self)
        return manager

    def on_stop(self) -> None:
        self.live.stop()
        self.sms.stop()
        self.background.shutdown()
        if self.scanner is not None:
            self.scanner.stop()

    def _logged_in(self) -> None:
        self.client.token = self.state.token
        self.live.start(self.state.token)
        self.sms.start()

    def _start_scanner(self) -> None:
        from nafitha.scanner import open_scanner

        self.scanner = open_scanner(self.settings.scanner)
        self.scanner.start(
            lambda code: Clock.schedule_once(lambda _dt: self.scanned(code), 0),
            lambda error: Clock.schedule_once(
                lambda _dt: self.state.say_message(error.message, "error"), 0
            ),
        )

    def scanned(self, code: str) -> None:
        """A code read by the scanner (UI thread): look the file up, from any screen."""
        if self.state.token:
            self.actions.lookup_file(code.rsplit("/", 1)[-1])

    # ------------------------------------------------------------ keyboard

    def _on_key_down(
        self, _window: Any, key: int, _scancode: int, _text: str | None, _modifiers: list[str]
    ) -> bool:
        name = _KEY_NAMES.get(key, "")
        if not name:
            return False
        if is_alarm_key(name, _modifiers):  # Ctrl+Shift+F12: silent, on any screen
            return self.alarm.press() or True
        return self.press(name)

    def press(self, name: str) -> bool:
        """Do what key ``name`` means on the screen shown; True when it meant something."""
        screen = self.root.current_screen if self.root else None
        if screen is None:
            return False
        # A keyboard-wedge scanner types letters: then only function keys are shortcuts.
        typing = self.settings.scanner == "wedge" or self._typing(screen)
        action = shortcuts.action_for(screen.name, name, typing=typing)
        if action is None:
            return False
        self.key_pressed_at = time.perf_counter()
        return bool(screen.do_action(action))

    @staticmethod
    def _typing(screen: Any) -> bool:
        return any(isinstance(w, TextInput) and w.focus for w in screen.walk(restrict=True))
