"""The base of every counter screen: its ``.kv`` file loaded once beside it, and its keys.

A screen turns an action name (from a button or :mod:`counter.shortcuts`) into a call of its
``action_<name>`` method, so touch and keyboard run the same code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.lang import Builder
from kivy.uix.screenmanager import Screen

from counter.screens import widgets  # noqa: F401  (the shared rules load first)

_loaded: set[str] = set()


def load_kv(module_file: str) -> None:
    """Load the ``.kv`` file named like the screen's module, once."""
    path = str(Path(module_file).with_suffix(".kv"))
    if path not in _loaded:
        Builder.load_file(path)
        _loaded.add(path)


class CounterScreen(Screen):
    """A screen of the counter; subclasses define ``action_<name>`` methods."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Screens off the manager keep the window's size, so their layouts never squeeze the
        # big buttons below their touch target (which would make layout and buttons fight).
        from kivy.core.window import Window

        self.size = Window.size
        Window.bind(size=lambda _window, size: setattr(self, "size", size))

    @property
    def app(self) -> Any:
        return App.get_running_app()

    def do_action(self, action: str) -> bool:
        """Run ``action`` if this screen has it; True when it did."""
        method = getattr(self, f"action_{action}", None)
        if method is None:
            return False
        method()
        return True

    def action_language_switch(self) -> None:
        self.app.state.toggle_lang()

    def field(self, name: str) -> Any:
        return self.ids[name]
