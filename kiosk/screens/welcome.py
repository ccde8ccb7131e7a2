"""The idle screen: take a ticket, the most requested services (two taps), find a file."""

from __future__ import annotations

from kivy.uix.gridlayout import GridLayout

from kiosk.catalog import queue_text
from kiosk.cutoff import cutoff_line, past_cutoff
from kiosk.icons import icon_path
from kiosk.screens.base import KioskScreen, load_kv
from nafitha.gui.buttons import IconButton
from nafitha.gui.theme import PALETTE

load_kv(__file__)


class WelcomeScreen(KioskScreen):
    screen_name = "welcome"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.app.booking.state.bind(offered=self._changed)

    def on_kv_post(self, *_: object) -> None:
        # held here (``ids`` keeps weak proxies): taken out of the grid where nothing is bookable
        ids = self.ids
        self._appointments = [ids.have_appointment.__self__, ids.book_appointment.__self__]

    def _show_appointments(self, shown: bool) -> None:
        """The appointment buttons lead the actions grid only where a service takes bookings;
        elsewhere they are taken out (hidden, they would still catch touches and take cells)."""
        grid = self.ids.actions
        for button in reversed(self._appointments):  # each put first: the first ends first
            if shown and button.parent is None:
                grid.add_widget(button, index=len(grid.children))
            elif not shown and button.parent is not None:
                grid.remove_widget(button)

    def refresh(self) -> None:
        app = self.app
        state = app.state
        self._show_appointments(app.booking.state.offered)
        grid: GridLayout = self.ids.quick
        grid.clear_widgets()
        grid.cols = 1 if state.portrait else 2
        grid.orientation = "rl-tb" if state.rtl else "lr-tb"
        for service in state.catalog.quick_services(app.settings.quick_services):
            category = state.catalog.category(service.category)
            late = past_cutoff(service)  # says so here too; a tap explains (screen "cutoff")
            button = IconButton(
                name=f"quick_{service.id}",
                icon=icon_path("closed" if late else category.icon),
                title=service.title(state.lang),
                subtitle=cutoff_line(service, state.lang, state.catalog.timezone)
                if late
                else queue_text(service, state.lang)
                or service.title("en" if state.lang == "ar" else "ar"),
                rtl=state.rtl,
                title_size=app.scale * 36,
                subtitle_size=app.scale * 26,
                size_hint_y=None,
                height=app.scale * 150,
            )
            if late:
                button.background_color = PALETTE.closed
                button.text_color = PALETTE.on_closed
            button.bind(on_release=lambda _b, sid=service.id: app.quick_service(sid))
            grid.add_widget(button)
