"""The mobile number for "your turn is near" and "you are called", on a large numeric keypad.

Reached from the ticket screen (kiosk/sms_optin.py says when it is offered); the keypad reads the
same way in both languages, as a phone's does; the server's refusal (a landline, a foreign number,
a number that texted STOP...) is shown above the keys in the reader's language.
"""

from __future__ import annotations

from kiosk.screens.base import KioskScreen, load_kv
from nafitha.gui.buttons import BigButton
from nafitha.gui.theme import PALETTE

load_kv(__file__)

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "erase")


class SmsOptinScreen(KioskScreen):
    screen_name = "sms_optin"

    def on_kv_post(self, *_: object) -> None:
        for key in KEYS:
            digit = key.isdigit()
            button = BigButton(
                name=f"sms_key_{key}",
                logical=key if digit else self._label(key),
                font_size=self.app.scale * (64 if digit else 36),
                background_color=PALETTE.secondary if digit else PALETTE.surface,
                color=PALETTE.on_secondary if digit else PALETTE.text,
            )
            button.bind(on_release=lambda _b, k=key: self.press(k))
            self.ids.keypad.add_widget(button)

    def _label(self, key: str) -> str:
        return self.tr(f"kiosk.key_{'back' if key == 'erase' else key}")

    def refresh(self) -> None:
        self.ids.keypad.orientation = "lr-tb"  # a phone keypad reads the same in every language
        for button in self.ids.keypad.children:
            key = button.name[len("sms_key_") :]
            if not key.isdigit():
                button.logical = self._label(key)

    def press(self, key: str) -> None:
        flow = self.app.sms
        if key == "clear":
            flow.clear()
        elif key == "erase":
            flow.erase()
        else:
            flow.key(key)
