"""Book an appointment, step 2: the days ahead, each with how many times are still free; a closed
or full day is shown greyed and says why."""

from __future__ import annotations

from typing import Any

from kiosk.appointment_values import free_slots
from kiosk.icons import icon_path
from kiosk.screens.appointment_pages import BookingPages
from kiosk.screens.base import load_kv
from nafitha.gui.buttons import IconButton
from nafitha.gui.theme import PALETTE

load_kv(__file__)


class AppointmentDaysScreen(BookingPages):
    screen_name = "appointment_days"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.app.booking.state.bind(days=self._changed)

    def layout(self) -> tuple[int, int]:
        return (1, 7) if self.app.state.portrait else (2, 4)

    def items(self) -> list[dict[str, Any]]:
        return list(self.app.booking.state.days)

    def make_button(self, day: dict[str, Any]) -> Any:
        app = self.app
        lang = app.state.lang
        bookable = free_slots(day) > 0
        button = IconButton(
            name=f"book_day_{day.get('day')}",
            icon=icon_path("ticket" if bookable else "closed"),
            title=app.booking.day_label(day, lang),
            subtitle=app.booking.day_note(day, lang),
            rtl=app.state.rtl,
            title_size=app.scale * 38,
            subtitle_size=app.scale * 28,
            disabled=not bookable,
            size_hint_y=None,
            height=app.scale * 150,
        )
        if not bookable:
            button.background_color = PALETTE.closed
            button.text_color = PALETTE.on_closed
        button.bind(on_release=lambda _b: app.booking.choose_day(str(day.get("day"))))
        return button
