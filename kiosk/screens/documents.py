"""The service's required documents: "have these ready" before the ticket is printed."""

from __future__ import annotations

from kiosk.screens.base import KioskScreen, load_kv
from nafitha.gui.bidi_label import BidiLabel

load_kv(__file__)


class DocumentsScreen(KioskScreen):
    screen_name = "documents"

    def refresh(self) -> None:
        app = self.app
        state = app.state
        service = state.catalog.services.get(state.service_id)
        self.ids.header.title = service.title(state.lang) if service else ""
        box = self.ids.documents
        box.clear_widgets()
        documents = service.documents if service else ()
        if not documents:
            documents = (
                {"ar": self.tr("kiosk.no_documents"), "en": self.tr("kiosk.no_documents")},
            )
        for number, document in enumerate(documents, 1):
            box.add_widget(
                BidiLabel(
                    name=f"document_{number}",
                    logical=f"• {document.get(state.lang) or document.get('en', '')}",
                    rtl=state.rtl,
                    auto_height=True,
                    font_size=app.scale * 40,
                )
            )
