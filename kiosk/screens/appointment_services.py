"""Book an appointment, step 1: the services that take bookings, each a big button."""

from __future__ import annotations

from typing import Any

from kiosk.appointment_values import name_in
from kiosk.icons import icon_path
from kiosk.screens.appointment_pages import BookingPages
from kiosk.screens.base import load_kv
from nafitha.gui.buttons import IconButton

load_kv(__file__)


class AppointmentServicesScreen(BookingPages):
    screen_name = "appointment_services"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.app.booking.state.bind(services=self._changed)

    def items(self) -> list[dict[str, Any]]:
        return list(self.app.booking.state.services)

    def make_button(self, service: dict[str, Any]) -> Any:
        app = self.app
        lang = app.state.lang
        other = "en" if lang == "ar" else "ar"
        known = app.state.catalog.services.get(service.get("id", ""))
        icon = app.state.catalog.category(known.category).icon if known else "service"
        button = IconButton(
            name=f"book_service_{service['id']}",
            icon=icon_path(icon),
            title=name_in(service, lang),
            subtitle=name_in(service, other),
            rtl=app.state.rtl,
            title_size=app.scale * 40,
            subtitle_size=app.scale * 27,
            size_hint_y=None,
            height=app.scale * 170,
        )
        button.bind(on_release=lambda _b: app.booking.choose_service(service["id"]))
        return button
