"""Reprint my ticket: type its number on a keypad of the center's letters and the digits (or scan
its QR from any calm screen). Large keys, and a message room kept so keys never move."""

from __future__ import annotations

from kiosk.screens.base import KioskScreen, load_kv
from nafitha.gui.buttons import BigButton
from nafitha.gui.theme import PALETTE

load_kv(__file__)

DIGITS = "1234567890"


class ReprintEntryScreen(KioskScreen):
    screen_name = "reprint_entry"

    def on_kv_post(self, *_: object) -> None:
        for digit in DIGITS:
            key = BigButton(
                name=f"reprint_key_{digit}",
                logical=digit,
                font_size=self.app.scale * 60,
                background_color=PALETTE.secondary,
                color=PALETTE.on_secondary,
            )
            key.bind(on_release=lambda _b, d=digit: self.app.reprint.key(d))
            self.ids.digits.add_widget(key)

    def refresh(self) -> None:
        """The letters of today's catalog (they change with the services), digits as laid out."""
        app = self.app
        row = self.ids.letters
        letters = app.reprint.letters()
        if [k.logical for k in reversed(row.children)] != letters:
            row.clear_widgets()
            for letter in letters:
                key = BigButton(
                    name=f"reprint_key_{letter}",
                    logical=letter,
                    font_size=app.scale * 60,
                    background_color=PALETTE.primary,
                    color=PALETTE.on_primary,
                )
                key.bind(on_release=lambda _b, s=letter: app.reprint.key(s))
                row.add_widget(key)
        row.orientation = "lr-tb"  # numbers read left to right in every language
        row.cols = 6 if app.state.portrait else 12
        self.ids.digits.orientation = "lr-tb"
        self.ids.digits.cols = 5 if app.state.portrait else 10
