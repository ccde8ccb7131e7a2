"""The counter's answers to :mod:`nafitha.gui.automation`: its state, keys by name, fields, and a
timed call-next for the benchmark. Active only when a driver started the app with control pipes."""

from __future__ import annotations

import time
from typing import Any

from kivy.clock import Clock
from kivy.core.window import Keyboard, Window

from nafitha.gui.automation import find, serve_control

STATE_FIELDS = (
    "screen",
    "lang",
    "connected",
    "busy",
    "pending",
    "confirming",
    "undo",
    "notice",
    "notice_kind",
    "user",
    "role",
    "counter_id",
    "ticket",
    "services",
    "paused",
    "pause_reason",
    "served_count",
    "average_service_s",
    "file",
    "receipt_image",
    "center",
    "sms_state",
)


def press_named_key(name: str, modifiers: list[str] | None = None) -> bool:
    """One key by its Kivy name (``f1``, ``spacebar``, ``r``, ``escape``) through the window, as
    the keyboard driver would deliver it, with ``modifiers`` held (``["ctrl", "shift"]``)."""
    code = Keyboard.keycodes[name]
    text = name if len(name) == 1 else (" " if name == "spacebar" else None)
    Window.dispatch("on_key_down", code, 0, text, list(modifiers or []))
    if text:
        Window.dispatch("on_textinput", text)
    Window.dispatch("on_key_up", code, 0)
    return True


class KeyTimer:
    """Time from a key entering the window to the first frames drawn with a widget's text changed
    (for the benchmark: F1 until the pending mark, then the called ticket's number, is on screen).

    A text in ``PENDING`` ("…", shown the moment the key is taken) counts as the first change;
    the final one is the first other text.
    """

    PENDING = ("…",)

    def __init__(self) -> None:
        self.timings: list[list[float]] = []
        self._started = 0.0
        self._watch = ""
        self._before = ""
        self._text_at = 0.0
        self._first_at = 0.0

    def start(self, name: str = "f1", watch: str = "ticket_number") -> bool:
        self._watch = watch
        label = find(watch)
        self._before = label.text
        self._text_at = self._first_at = 0.0
        label.bind(text=self._on_text)
        Window.bind(on_flip=self._on_flip)
        self._started = time.perf_counter()
        press_named_key(name)
        return True

    def _final(self, text: str) -> bool:
        return text != self._before and text not in self.PENDING

    def _on_text(self, label: Any, text: str) -> None:
        if self._final(text):
            label.unbind(text=self._on_text)
            self._text_at = time.perf_counter() - self._started

    def _on_flip(self, *_: Any) -> None:
        text = find(self._watch).text
        if text == self._before:
            return  # not drawn yet: wait for the next frame
        now = time.perf_counter() - self._started
        if not self._first_at:
            self._first_at = now
        if not self._final(text):
            return
        Window.unbind(on_flip=self._on_flip)
        self.timings.append([self._text_at, now, self._first_at])

    def taken(self) -> list[list[float]]:
        """``[[to final text set, to final drawn, to first change drawn], ...]`` for the timings
        finished since the last call."""
        done, self.timings = self.timings, []
        return done


def serve_counter_control(app: Any) -> bool:
    """Answer a driver's commands if one started this app (see :func:`serve_control`)."""
    timer = KeyTimer()

    def state() -> dict[str, Any]:
        return {name: _plain(getattr(app.state, name)) for name in STATE_FIELDS}

    def fill(name: str, text: str) -> bool:
        find(name).text = text
        return True

    def focus(name: str) -> bool:
        find(name).focus = True
        return True

    def goto(screen: str) -> bool:
        app.state.screen = screen
        return True

    def check(name: str, checked: bool) -> bool:
        find(name).checked = checked
        return True

    def shown_lines(name: str) -> dict[str, Any]:
        """How many lines a label holds and how many Kivy drew (a label too small for its text
        drops lines silently), and its height against its text's."""
        label = find(name)
        label.texture_update()
        drawn = getattr(label._label, "_cached_lines", None) or []
        return {
            "lines": len(label.text.split("\n")) if label.text else 0,
            "drawn": sum(1 for line in drawn if line.words),
            "height": label.height,
            "text_height": label.texture_size[1],
        }

    def frame() -> bool:
        Clock.tick_draw()
        return True

    return serve_control(
        {
            "state": state,
            "press": press_named_key,
            "fill": fill,
            "focus": focus,
            "goto": goto,
            "check": check,
            "frame": frame,
            "shown_lines": shown_lines,
            "time_key": timer.start,
            "key_timings": timer.taken,
        }
    )


def _plain(value: Any) -> Any:
    """Kivy's observable containers as plain JSON-able values."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value
