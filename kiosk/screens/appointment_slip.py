"""Booked: the code (large), its QR (the server's ``/a/<code>`` link), the service, day and time in
the center's zone, the documents to bring, and the printed slip's state."""

from __future__ import annotations

from kiosk.screens.base import KioskScreen, load_kv
from nafitha.gui.bidi_label import BidiLabel

load_kv(__file__)


class AppointmentSlipScreen(KioskScreen):
    screen_name = "appointment_slip"

    def refresh(self) -> None:
        app = self.app
        lang = app.state.lang
        box = self.ids.documents
        box.clear_widgets()
        documents = app.booking.state.booking.get("documents") or ()
        if documents:
            box.add_widget(
                BidiLabel(
                    name="slip_documents_title",
                    logical=self.tr("appointments.q_slip_documents"),
                    rtl=app.state.rtl,
                    bold=True,
                    auto_height=True,
                    font_size=app.scale * 36,
                )
            )
        for number, document in enumerate(documents, 1):
            box.add_widget(
                BidiLabel(
                    name=f"slip_document_{number}",
                    logical=f"• {document.get(lang) or document.get('en', '')}",
                    rtl=app.state.rtl,
                    auto_height=True,
                    font_size=app.scale * 32,
                )
            )
