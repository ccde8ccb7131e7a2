"""Type a file reference on a large keypad (or scan it): only the symbols a reference uses."""

from __future__ import annotations

from kiosk.screens.base import KioskScreen, load_kv
from nafitha.gui.buttons import BigButton
from nafitha.gui.theme import PALETTE
from nafitha.reference import ALPHABET

load_kv(__file__)


class TrackEntryScreen(KioskScreen):
    screen_name = "track_entry"

    def on_kv_post(self, *_: object) -> None:
        for symbol in ALPHABET:
            key = BigButton(
                name=f"key_{symbol}",
                logical=symbol,
                font_size=self.app.scale * 52,
                background_color=PALETTE.secondary,
                color=PALETTE.on_secondary,
            )
            key.bind(on_release=lambda _b, s=symbol: self.app.key_in(s))
            self.ids.keypad.add_widget(key)

    def refresh(self) -> None:
        state = self.app.state
        keypad = self.ids.keypad
        keypad.cols = 6 if state.portrait else 11
        keypad.orientation = "lr-tb"  # references read left to right in every language
        for key in keypad.children:
            key.font_size = self.app.scale * 52
