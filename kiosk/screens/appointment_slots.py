"""Book an appointment, step 3: the day's times as large buttons (``09:15``, places free); a
full or closed time is greyed and cannot be chosen. Times are the server's, in the center's zone."""

from __future__ import annotations

from typing import Any

from kiosk.screens.appointment_pages import BookingPages
from kiosk.screens.base import load_kv
from nafitha.gui.buttons import BigButton
from nafitha.gui.theme import PALETTE

load_kv(__file__)


class AppointmentSlotsScreen(BookingPages):
    screen_name = "appointment_slots"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.app.booking.state.bind(day=self._changed)

    def layout(self) -> tuple[int, int]:
        return (3, 6) if self.app.state.portrait else (5, 4)

    def items(self) -> list[dict[str, Any]]:
        """The day's times still to come (today's past ones are left out, not greyed)."""
        return [s for s in self.app.booking.state.day.get("slots") or () if not s.get("past")]

    def make_button(self, slot: dict[str, Any]) -> Any:
        app = self.app
        free = int(slot.get("free") or 0)
        words = app.tr("appointments.q_slot_free", app.state.lang, free=free)
        button = BigButton(
            name=f"book_slot_{str(slot.get('start')).replace(':', '')}",
            logical=f"{slot.get('start')}\n{words}",
            rtl=app.state.rtl,
            font_size=app.scale * 36,
            disabled=free <= 0,
            size_hint_y=None,
            height=app.scale * 150,
            background_color=PALETTE.primary if free > 0 else PALETTE.closed,
            color=PALETTE.on_primary if free > 0 else PALETTE.on_closed,
        )
        button.bind(on_release=lambda _b: app.booking.choose_slot(str(slot.get("start"))))
        return button
