"""I have an appointment: type the booking code on a large keypad (or scan its QR from any calm
screen). Only the symbols a code uses; a message room kept so the keys never move."""

from __future__ import annotations

from kiosk.screens.base import KioskScreen, load_kv
from nafitha.gui.buttons import BigButton
from nafitha.gui.theme import PALETTE
from nafitha.reference import ALPHABET

load_kv(__file__)


class AppointmentEntryScreen(KioskScreen):
    screen_name = "appointment_entry"

    def on_kv_post(self, *_: object) -> None:
        for symbol in ALPHABET:
            key = BigButton(
                name=f"booking_key_{symbol}",
                logical=symbol,
                font_size=self.app.scale * 52,
                background_color=PALETTE.secondary,
                color=PALETTE.on_secondary,
            )
            key.bind(on_release=lambda _b, s=symbol: self.app.checkin.key(s))
            self.ids.keypad.add_widget(key)

    def refresh(self) -> None:
        keypad = self.ids.keypad
        keypad.cols = 6 if self.app.state.portrait else 11
        keypad.orientation = "lr-tb"  # codes read left to right in every language
