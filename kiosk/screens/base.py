"""What every kiosk screen shares: its ``.kv`` file loaded once, and a refresh when shown or when
the language or orientation changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.lang import Builder
from kivy.uix.screenmanager import Screen


def load_kv(module_file: str) -> None:
    """Load the ``.kv`` beside a screen module (once per process)."""
    path = str(Path(module_file).with_suffix(".kv"))
    if path not in Builder.files:
        Builder.load_file(path)


class KioskScreen(Screen):
    screen_name = ""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("name", self.screen_name)
        super().__init__(**kwargs)
        state = self.app.state
        state.bind(lang=self._changed, portrait=self._changed)

    @property
    def app(self) -> Any:
        return App.get_running_app()

    def tr(self, key: str, **params: Any) -> str:
        return self.app.tr(key, self.app.state.lang, **params)

    def _changed(self, *_: object) -> None:
        if self.manager is not None and self.manager.current == self.name:
            self.refresh()

    def on_pre_enter(self, *_: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Rebuild what depends on the state (lists, pages); the kv bindings do the rest."""
