"""The categories of services, each a big button with its icon."""

from __future__ import annotations

from typing import Any

from kiosk.catalog import CategoryView
from kiosk.icons import icon_path
from kiosk.screens.base import load_kv
from kiosk.screens.paging import PagedScreen
from nafitha.gui.buttons import IconButton

load_kv(__file__)


class CategoriesScreen(PagedScreen):
    screen_name = "categories"

    def layout(self) -> tuple[int, int]:
        return (1, 6) if self.app.state.portrait else (2, 3)

    def items(self) -> list[CategoryView]:
        return list(self.app.state.catalog.categories)

    def make_button(self, category: CategoryView) -> Any:
        app = self.app
        lang = app.state.lang
        open_count = sum(1 for s in category.services if s.is_open)
        button = IconButton(
            name=f"category_{category.id}",
            icon=icon_path(category.icon),
            title=category.title(lang),
            subtitle=self.tr("kiosk.services_open", open=open_count, total=len(category.services)),
            rtl=app.state.rtl,
            title_size=app.scale * 42,
            subtitle_size=app.scale * 28,
        )
        button.bind(on_release=lambda _b: app.choose_category(category.id))
        return button
