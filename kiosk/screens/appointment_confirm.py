"""Book an appointment, step 4: what will be booked, an optional phone number (only as the center's
settings say: offered, or required) on a large numeric keypad, and the tap that books and prints."""

from __future__ import annotations

from kiosk.screens.base import KioskScreen, load_kv
from nafitha.gui.buttons import BigButton
from nafitha.gui.theme import PALETTE

load_kv(__file__)

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "erase")


class AppointmentConfirmScreen(KioskScreen):
    screen_name = "appointment_confirm"

    def on_kv_post(self, *_: object) -> None:
        self._pad = self.ids.phone_box.__self__  # held here: ``ids`` keeps a weak proxy
        for key in KEYS:
            digit = key.isdigit()
            button = BigButton(
                name=f"book_phone_{key}",
                logical=key if digit else self._word(key),
                font_size=self.app.scale * (60 if digit else 34),
                background_color=PALETTE.secondary if digit else PALETTE.surface,
                color=PALETTE.on_secondary if digit else PALETTE.text,
            )
            button.bind(on_release=lambda _b, k=key: self.app.booking.phone_key(k))
            self.ids.phone_keys.add_widget(button)

    def _word(self, key: str) -> str:
        return self.tr(f"kiosk.key_{'back' if key == 'erase' else key}")

    def refresh(self) -> None:
        """The phone keypad is taken out when the center does not ask for a number (a hidden
        button would still catch touches)."""
        asked = self.app.booking.state.ask_phone or self.app.booking.state.require_phone
        pad, holder = self._pad, self.ids.phone_holder
        if asked and pad.parent is None:
            holder.add_widget(pad)
        elif not asked and pad.parent is not None:
            holder.remove_widget(pad)
        keys = self.ids.phone_keys
        keys.orientation = "lr-tb"  # a phone keypad reads the same in every language
        for button in keys.children:
            key = button.name[len("book_phone_") :]
            if not key.isdigit():
                button.logical = self._word(key)
