"""The inside end of driving a running Kivy app: find a widget by name, tap it, press keys, read.

Kivy allows one window per process, so tests (and benchmarks) run the real app in a child process
and talk to it over two pipes: :func:`serve_control` is the inside end, started by the app when the
environment variable ``NAFITHA_CONTROL_FDS="R,W"`` names the pipe ends it inherited;
:class:`nafitha.gui.driver.AppProcess` is the outside end. Each request is one JSON line
``{"cmd": ..., "args": {...}}``; each reply is ``{"ok": true, "value": ...}`` or
``{"ok": false, "error": ...}``. Commands run on the UI thread (through the Clock), as a real
touch would.

Touches go through the window like a finger's: a tap lands at the widget's centre in window
coordinates, so a widget covered by a popup is not reached.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from nafitha.gui.driver import CONTROL_ENV

Command = Callable[..., Any]


def visible_widgets(root: Any = None) -> Iterator[Any]:
    """Every widget attached to the window now (a screen manager holds only its current screen)."""
    from kivy.core.window import Window

    roots = [root] if root is not None else list(Window.children)
    for top in roots:
        yield from top.walk(restrict=True)


def find(name: str, root: Any = None) -> Any:
    """The visible widget whose ``name`` is ``name``; LookupError when there is none."""
    for widget in visible_widgets(root):
        if getattr(widget, "name", None) == name and not _is_screen(widget):
            return widget
    raise LookupError(f"no visible widget named {name!r}")


def names(root: Any = None) -> list[str]:
    """The names of every visible named widget, in tree order."""
    return [
        widget.name
        for widget in visible_widgets(root)
        if getattr(widget, "name", "") and not _is_screen(widget)
    ]


def _is_screen(widget: Any) -> bool:
    from kivy.uix.screenmanager import Screen

    return isinstance(widget, Screen)


class _Finger:
    """A touch event as the window's input providers would post it."""

    def __new__(cls, x: float, y: float) -> Any:
        from kivy.base import EventLoop
        from kivy.input.motionevent import MotionEvent

        class Finger(MotionEvent):
            def depack(self, args: Sequence[float]) -> None:
                self.sx, self.sy = args
                self.profile = ["pos"]
                super().depack(args)

        _Finger.counter = getattr(_Finger, "counter", 0) + 1
        window = EventLoop.window
        return Finger(
            "automation",
            _Finger.counter,
            [x / window.width, y / window.height],
            is_touch=True,
            type_id="touch",
        )


def tap(widget: Any, hold: float = 0.05) -> None:
    """Press at the centre of ``widget`` now and release after ``hold`` seconds."""
    from kivy.base import EventLoop
    from kivy.clock import Clock

    x, y = widget.to_window(*widget.center)
    touch = _Finger(x, y)
    EventLoop.post_dispatch_input("begin", touch)
    Clock.schedule_once(lambda _dt: EventLoop.post_dispatch_input("end", touch), hold)


_SPECIAL_KEYS = {"enter": 13, "backspace": 8, "escape": 27, "tab": 9}


def press_key(key: str) -> None:
    """One key as the keyboard sends it: a name from ``enter``/``backspace``/``escape``/``tab`` or
    one character (which also produces text input, as a keyboard-wedge scanner does)."""
    from kivy.core.window import Window

    if key in _SPECIAL_KEYS:
        code, text = _SPECIAL_KEYS[key], None
    elif len(key) == 1:
        code, text = ord(key.lower()), key
    else:
        raise ValueError(f"unknown key {key!r}")
    Window.dispatch("on_key_down", code, 0, text, [])
    if text:
        Window.dispatch("on_textinput", text)
    Window.dispatch("on_key_up", code, 0)


def type_keys(keys: Sequence[str], interval: float, done: Callable[[], None]) -> None:
    """Press ``keys`` one after another, ``interval`` seconds apart (0: all in this frame)."""
    from kivy.clock import Clock

    if interval <= 0:
        for key in keys:
            press_key(key)
        done()
        return
    remaining = list(keys)

    def step(_dt: float) -> None:
        press_key(remaining.pop(0))
        if remaining:
            Clock.schedule_once(step, interval)
        else:
            done()

    Clock.schedule_once(step, 0)


def texts(root: Any = None) -> list[str]:
    """The logical texts of every visible bidi label and button, in tree order."""
    found: list[str] = []
    for widget in visible_widgets(root):
        attrs = (
            ("logical", "title", "subtitle")
            if hasattr(widget, "logical") or hasattr(widget, "title")
            else ("text",)
        )
        for attr in attrs:
            value = getattr(widget, attr, None)
            if isinstance(value, str) and value and value not in found[-3:]:
                found.append(value)
    return found


def tap_when_still(
    name: str, hold: float, reply: Callable[[dict[str, Any]], None], frames: int = 40
) -> None:
    """Tap ``name`` once it has kept the same place and size for two frames (laid out and drawn,
    as a person sees it: a screen rebuilt a moment ago is not tapped at its old place)."""
    from kivy.clock import Clock

    seen: list[tuple[float, ...]] = []

    def check(_dt: float) -> None:
        try:
            widget = find(name)
        except LookupError as exc:
            if len(seen) >= frames:
                reply({"ok": False, "error": f"LookupError: {exc}"})
                return
            seen.append(())
            Clock.schedule_once(check, 0)
            return
        where = (*widget.to_window(*widget.pos), *widget.size)
        if (len(seen) >= 2 and seen[-1] == where == seen[-2]) or len(seen) >= frames:
            tap(widget, hold)
            reply({"ok": True, "value": True})
            return
        seen.append(where)
        Clock.schedule_once(check, 0)

    Clock.schedule_once(check, 0)


def base_commands() -> dict[str, Command]:
    """The commands every app answers; an app adds its own (``screen``, ``state``...)."""
    from nafitha.gui.screenshot import save_screenshot

    def tap_named(name: str, hold: float = 0.05) -> bool:
        tap(find(name), hold)
        return True

    def describe(name: str) -> dict[str, Any]:
        widget = find(name)
        return {
            "disabled": bool(widget.disabled),
            "texts": texts(widget),
            "pos": list(widget.to_window(*widget.pos)),
            "size": list(widget.size),
        }

    return {
        "ping": lambda: "pong",
        "names": names,
        "texts": lambda: texts(),
        "describe": describe,
        "tap": tap_named,
        "key": lambda key: press_key(key) or True,
        "screenshot": lambda path: str(save_screenshot(path)),
        "window_size": lambda: _window_size(),
    }


def _window_size() -> list[int]:
    from kivy.core.window import Window

    return [int(Window.width), int(Window.height)]


def serve_control(extra: Mapping[str, Command] | None = None) -> bool:
    """Start answering commands on the pipes named in the environment; False when none are named.

    ``type`` (keys at an interval) replies once the last key is pressed; every other command
    replies when it has run. Call it once the app's root widget exists.
    """
    spec = os.environ.get(CONTROL_ENV)
    if not spec:
        return False
    from kivy.clock import Clock

    read_fd, write_fd = (int(part) for part in spec.split(","))
    commands = {**base_commands(), **(extra or {})}
    writer = os.fdopen(write_fd, "w", encoding="utf-8", buffering=1)
    lock = threading.Lock()

    def reply(payload: dict[str, Any]) -> None:
        with lock:
            writer.write(json.dumps(payload, ensure_ascii=False, default=str) + "\n")

    def run(request: dict[str, Any]) -> None:
        cmd, args = request.get("cmd", ""), request.get("args", {})

        def answer(payload: dict[str, Any]) -> None:
            # the request's id goes back, so a driver that gave up waiting skips a late answer
            reply({**payload, "id": request.get("id")})

        if cmd == "tap":
            tap_when_still(args.get("name", ""), float(args.get("hold", 0.05)), answer)
            return
        if cmd == "screenshot":  # after two frames: laid out and drawn, as a person sees it
            Clock.schedule_once(
                lambda _dt: Clock.schedule_once(lambda _dt2: later(cmd, args, answer), 0), 0
            )
            return
        if cmd == "type":
            try:
                type_keys(
                    args["keys"],
                    float(args.get("interval", 0)),
                    lambda: answer({"ok": True, "value": True}),
                )
            except (KeyError, ValueError, LookupError) as exc:
                answer({"ok": False, "error": f"{type(exc).__name__}: {exc}"})
            return
        try:
            value = commands[cmd](**args)
        except Exception as exc:  # the reason goes back to the test, the app keeps running
            answer({"ok": False, "error": f"{type(exc).__name__}: {exc}"})
        else:
            answer({"ok": True, "value": value})

    def later(cmd: str, args: dict[str, Any], answer: Callable[[dict[str, Any]], None]) -> None:
        try:
            answer({"ok": True, "value": commands[cmd](**args)})
        except Exception as exc:  # the reason goes back to the test
            answer({"ok": False, "error": f"{type(exc).__name__}: {exc}"})

    def listen() -> None:
        with os.fdopen(read_fd, encoding="utf-8") as reader:
            for line in reader:
                request = json.loads(line)
                Clock.schedule_once(lambda _dt, request=request: run(request), 0)
        Clock.schedule_once(lambda _dt: _stop_running_app(), 0)  # the driver hung up

    threading.Thread(target=listen, name="gui-control", daemon=True).start()
    return True


def _stop_running_app() -> None:
    from kivy.app import App

    app = App.get_running_app()
    if app is not None:
        app.stop()
