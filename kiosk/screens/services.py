"""The services of one category; closed ones are shown closed, with their opening hours."""

from __future__ import annotations

from typing import Any

from kiosk.catalog import ServiceView, hours_text, queue_text
from kiosk.cutoff import cutoff_line, past_cutoff
from kiosk.icons import icon_path
from kiosk.screens.base import load_kv
from kiosk.screens.paging import PagedScreen
from nafitha.gui.buttons import IconButton
from nafitha.gui.theme import PALETTE

load_kv(__file__)


class ServicesScreen(PagedScreen):
    screen_name = "services"

    def items(self) -> list[ServiceView]:
        state = self.app.state
        try:
            return list(state.catalog.category(state.category_id).services)
        except KeyError:
            return []

    def title(self) -> str:
        state = self.app.state
        try:
            return state.catalog.category(state.category_id).title(state.lang)
        except KeyError:
            return ""

    def refresh(self) -> None:
        self.ids.header.title = self.title()
        super().refresh()

    def make_button(self, service: ServiceView) -> Any:
        app = self.app
        lang = app.state.lang
        hours = hours_text(service.hours, lang)
        late = past_cutoff(service)  # open, but a new ticket would not be called before closing
        if service.is_open:  # who waits and about how long, or that no counter serves it now
            subtitle = queue_text(service, lang) or (
                self.tr("kiosk.open_hours", hours=hours) if hours else ""
            )
            last = cutoff_line(service, lang, app.state.catalog.timezone)
            subtitle = last if late else "\n".join(line for line in (subtitle, last) if line)
        else:
            subtitle = self.tr("kiosk.closed_hours", hours=hours or "—")
        category = app.state.catalog.category(service.category)
        button = IconButton(
            name=f"service_{service.id}",
            icon=icon_path(category.icon if service.is_open and not late else "closed"),
            title=service.title(lang),
            subtitle=subtitle,
            rtl=app.state.rtl,
            title_size=app.scale * 40,
            subtitle_size=app.scale * 27,
            disabled=not service.is_open,
        )
        if not service.is_open or late:
            button.background_color = PALETTE.closed
            button.text_color = PALETTE.on_closed
        button.bind(on_release=lambda _b: app.choose_service(service.id))
        return button
