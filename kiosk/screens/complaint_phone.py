"""A complaint or suggestion, the last step where the center sends messages: an optional phone
number for the answer by text message; "no phone" sends it anonymously."""

from __future__ import annotations

from kiosk.screens.base import KioskScreen, load_kv
from nafitha.gui.buttons import BigButton
from nafitha.gui.theme import PALETTE

load_kv(__file__)

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "erase")


class ComplaintPhoneScreen(KioskScreen):
    screen_name = "complaint_phone"

    def on_kv_post(self, *_: object) -> None:
        app = self.app
        for key in KEYS:
            label = key if key.isdigit() else ("⌫" if key == "erase" else "C")
            button = BigButton(
                name=f"cphone_{key}",
                logical=label,
                font_size=app.scale * 56,
                background_color=PALETTE.secondary,
                color=PALETTE.on_secondary,
            )
            button.bind(on_release=lambda _b, k=key: app.complaints.phone_key(k))
            self.ids.keypad.add_widget(button)
