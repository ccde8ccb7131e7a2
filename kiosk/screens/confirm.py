"""Confirm the service: its queue (or that no counter serves it now), the documents to have ready,
a priority choice (elderly, special needs), and the tap that issues.

Every path to a ticket ends here, the two-tap one from the welcome screen too, so the documents
are always on screen before the ticket is taken. A return visit for a file lists what the file
still misses and asks no priority: the server ranks a return visit itself.
"""

from __future__ import annotations

from kiosk.catalog import Catalog
from kiosk.screens.base import KioskScreen, load_kv
from nafitha.gui.bidi_label import BidiLabel

load_kv(__file__)


class ConfirmScreen(KioskScreen):
    screen_name = "confirm"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        state = self.app.state
        state.bind(catalog=self._changed, track=self._changed, file_reference=self._changed)

    def on_kv_post(self, *_: object) -> None:
        self._row = self.ids.priority_row.__self__  # held here: ``ids`` keeps a weak proxy

    @staticmethod
    def unserved(service_id: str, catalog: Catalog) -> bool:
        service = catalog.services.get(service_id)
        return bool(service and service.unserved)

    def _show_priority(self, shown: bool) -> None:
        """The priority row is taken out for a return visit: not merely hidden, since a hidden
        button still catches touches meant for the print button under it."""
        row = self._row
        if shown and row.parent is None:
            self._row_parent.add_widget(row, index=self._row_index)
        elif not shown and row.parent is not None:
            self._row_parent, self._row_index = row.parent, row.parent.children.index(row)
            row.parent.remove_widget(row)

    def refresh(self) -> None:
        app = self.app
        state = app.state
        self._show_priority(not state.file_reference)
        box = self.ids.documents
        box.clear_widgets()
        documents = app.documents_of(state.service_id, state.catalog, dict(state.track))
        if not documents:
            key = "kiosk.nothing_to_bring" if state.file_reference else "kiosk.no_documents"
            documents = [{state.lang: self.tr(key)}]
        for number, document in enumerate(documents, 1):
            box.add_widget(
                BidiLabel(
                    name=f"document_{number}",
                    logical=f"• {document.get(state.lang) or document.get('en', '')}",
                    rtl=state.rtl,
                    auto_height=True,
                    font_size=app.scale * 36,
                )
            )
