"""Who takes the ticket, for a service that limits tickets per person per day (against fixers):
the phone number or the last 4 digits of the national id, on a large numeric keypad.

Only for those services, after the confirm screen; the print button issues once enough digits
are typed. The digits go to the server with the ticket request, which keeps only a keyed digest
(docs/kiosk.md, "Tickets per person"); the kiosk forgets them when it starts over.
"""

from __future__ import annotations

from typing import Any

from kiosk.catalog import Catalog
from kiosk.cutoff import person_complete, person_typed
from kiosk.screens.base import KioskScreen, load_kv
from nafitha.gui.buttons import BigButton
from nafitha.gui.theme import PALETTE

load_kv(__file__)

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "erase")


class PersonScreen(KioskScreen):
    screen_name = "person"

    def on_kv_post(self, *_: object) -> None:
        for key in KEYS:
            digit = key.isdigit()
            button = BigButton(
                name=f"person_key_{key}",
                logical=key if digit else self.tr(f"kiosk.key_{'back' if key == 'erase' else key}"),
                font_size=self.app.scale * (64 if digit else 36),
                background_color=PALETTE.secondary if digit else PALETTE.surface,
                color=PALETTE.on_secondary if digit else PALETTE.text,
            )
            button.bind(on_release=lambda _b, k=key: self.press(k))
            self.ids.keypad.add_widget(button)

    def refresh(self) -> None:
        keypad = self.ids.keypad
        keypad.orientation = "lr-tb"  # a phone keypad reads the same in every language
        for button in keypad.children:
            if not button.name[len("person_key_") :].isdigit():
                key = button.name[len("person_key_") :]
                button.logical = self.tr(f"kiosk.key_{'back' if key == 'erase' else key}")

    def press(self, key: str) -> None:
        state = self.app.state
        if key == "clear":
            state.person_input = ""
        elif key == "erase":
            state.person_input = state.person_input[:-1]
        else:
            state.person_input = person_typed(state.person_input, key, self.kind())

    def kind(self) -> str:
        service = self.app.state.catalog.services.get(self.app.state.service_id)
        return service.identify_by if service else "phone"

    @staticmethod
    def title_text(app: Any, service_id: str, lang: str, catalog: Catalog) -> str:
        service = catalog.services.get(service_id)
        kind = service.identify_by if service else "phone"
        return app.tr(f"kiosk.person_title_{kind}", lang)

    @staticmethod
    def hint(app: Any, service_id: str, lang: str, catalog: Catalog) -> str:
        service = catalog.services.get(service_id)
        limit = service.limit if service else None
        return app.tr("kiosk.person_hint", lang, limit=limit) if limit else ""

    @staticmethod
    def complete(value: str, service_id: str, catalog: Catalog) -> bool:
        service = catalog.services.get(service_id)
        return person_complete(value, service.identify_by if service else "phone")
