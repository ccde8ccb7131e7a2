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
            digit = key.isdigit()
            button = BigButton(
                name=f"cphone_{key}",
                logical=key if digit else self._label(key),
                font_size=app.scale * (56 if digit else 36),
                background_color=PALETTE.secondary if digit else PALETTE.surface,
                color=PALETTE.on_secondary if digit else PALETTE.text,
            )
            button.bind(on_release=lambda _b, k=key: app.complaints.phone_key(k))
            self.ids.keypad.add_widget(button)

    def _label(self, key: str) -> str:
        return self.tr(f"kiosk.key_{'back' if key == 'erase' else key}")

    def refresh(self) -> None:
        self.ids.keypad.orientation = "lr-tb"  # a phone keypad reads the same in every language
        for button in self.ids.keypad.children:
            key = button.name[len("cphone_") :]
            if not key.isdigit():
                button.logical = self._label(key)
