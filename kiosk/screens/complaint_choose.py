"""A complaint or suggestion, the choosing steps: kind, what about, which service, the topic.

One screen for the four steps (``app.complaints.state.step``): each a column of big buttons, the
names in the citizen's language with the other language below; the header's back goes one step
back (:meth:`kiosk.complaints.ComplaintFlow.back`).
"""

from __future__ import annotations

from typing import Any

from kivy.uix.scrollview import ScrollView  # noqa: F401 - used by the kv file

from kiosk.screens.base import KioskScreen, load_kv
from nafitha.gui.buttons import BigButton
from nafitha.gui.theme import PALETTE

load_kv(__file__)


class ComplaintChooseScreen(KioskScreen):
    screen_name = "complaint_choose"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        state = self.app.complaints.state
        state.bind(step=self._changed, options=self._changed)

    def refresh(self) -> None:
        app = self.app
        flow = app.complaints
        state = flow.state
        lang = app.state.lang
        grid = self.ids.grid
        grid.clear_widgets()
        choices = flow.choices(state.step, state.options, state.choice)
        grid.cols = 2 if len(choices) > 4 else 1
        height = app.scale * (150 if len(choices) > 4 else 190)
        for value, name in choices:
            other = name.get("en" if lang == "ar" else "ar", "")
            button = BigButton(
                name=f"complaint_{state.step}_{value}",
                logical=f"{name.get(lang, value)}\n{other}",
                rtl=app.state.rtl,
                font_size=app.scale * (38 if len(choices) > 4 else 46),
                size_hint_y=None,
                height=height,
                background_color=PALETTE.secondary if state.step == "topic" else PALETTE.primary,
                color=PALETTE.on_secondary if state.step == "topic" else PALETTE.on_primary,
            )
            button.bind(on_release=lambda _b, v=value: flow.choose(v))
            grid.add_widget(button)
