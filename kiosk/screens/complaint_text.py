"""A complaint or suggestion, the words: optional, typed on a large on-screen keyboard.

The keys are Arabic letters, Latin capitals, or digits and punctuation (two keys switch), with
space, erase and clear; what
is typed shows above, shaped and ordered for reading. "Continue without writing" is as large as
"Continue": a chosen topic says enough.
"""

from __future__ import annotations

from typing import Any

from kiosk.screens.base import KioskScreen, load_kv
from nafitha.gui.buttons import BigButton
from nafitha.gui.theme import PALETTE

load_kv(__file__)


class ComplaintTextScreen(KioskScreen):
    screen_name = "complaint_text"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.app.complaints.state.bind(letters=self._changed)

    def refresh(self) -> None:
        app = self.app
        flow = app.complaints
        keyboard = self.ids.keyboard
        keyboard.clear_widgets()
        letters = flow.state.letters
        keyboard.cols = 9 if letters == "ar" else 10
        keyboard.orientation = "rl-tb" if letters == "ar" else "lr-tb"  # digits left to right
        for key in flow.keys(letters):
            button = BigButton(
                name=f"ckey_{key}",
                logical=key,
                font_size=app.scale * 44,
                background_color=PALETTE.secondary,
                color=PALETTE.on_secondary,
            )
            button.bind(on_release=lambda _b, k=key: flow.type_key(k))
            keyboard.add_widget(button)
