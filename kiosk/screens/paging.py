"""Screens that show a grid of big buttons in pages (categories, services)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kivy.properties import NumericProperty

from kiosk.catalog import page_of
from kiosk.screens.base import KioskScreen, load_kv

load_kv(str(Path(__file__).with_name("pager.py")))  # the Pager widget rule, pager.kv


class PagedScreen(KioskScreen):
    """Fills ``ids.grid`` with the current page of :meth:`items`; ``ids`` also has the pager."""

    pages = NumericProperty(1)
    page = NumericProperty(0)

    def items(self) -> Sequence[Any]:
        raise NotImplementedError

    def make_button(self, item: Any) -> Any:
        raise NotImplementedError

    def layout(self) -> tuple[int, int]:
        """(columns, rows) of the grid for the current orientation."""
        return (1, 6) if self.app.state.portrait else (2, 4)

    def refresh(self) -> None:
        state = self.app.state
        cols, rows = self.layout()
        shown, self.page, self.pages = page_of(self.items(), state.page, cols * rows)
        state.page = self.page
        grid = self.ids.grid
        grid.clear_widgets()
        grid.cols = cols
        grid.orientation = "rl-tb" if state.rtl else "lr-tb"
        for item in shown:
            grid.add_widget(self.make_button(item))

    def move(self, delta: int) -> None:
        self.app.state.page = min(max(0, self.page + delta), self.pages - 1)
        self.refresh()
