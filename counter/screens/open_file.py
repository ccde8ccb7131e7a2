"""Open a file for the citizen being served: who they are, and the service's required documents as
a checklist (each one missing until ticked received). When the server sends text messages, the
citizen may agree to them ("file ready", "documents missing") at the phone number given, in the
language they choose (docs/sms.md)."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from counter.screens.base import CounterScreen, load_kv
from counter.screens.widgets import CheckRow
from counter.state import service_id

load_kv(__file__)


class OpenFileScreen(CounterScreen):
    has_documents = BooleanProperty(False)
    notify = BooleanProperty(False)
    """The citizen agreed to text messages about this file (only offered with messages on)."""
    sms_lang = StringProperty("ar")
    """The language of the citizen's messages."""

    def on_kv_post(self, *_: Any) -> None:
        self.app.state.fbind("lang", self._relabel)

    def on_pre_enter(self, *_: Any) -> None:
        for field in ("citizen_name", "national_id", "phone", "note"):
            self.ids[field].text = ""
        self.notify = False
        self.sms_lang = self.app.state.lang
        self.has_documents = bool(self.documents())
        box = self.ids.documents
        box.clear_widgets()
        for index, _document in enumerate(self.documents()):
            box.add_widget(CheckRow(name=f"document_{index}"))
        self._relabel()

    def on_enter(self, *_: Any) -> None:
        self.ids.citizen_name.focus = True

    def documents(self) -> list[dict[str, str]]:
        state = self.app.state
        service = state.catalog.get(service_id(state.ticket)) or {}
        return list(service.get("documents") or [])

    def _relabel(self, *_: Any) -> None:
        lang = self.app.state.lang
        documents = self.documents()
        for row in self.ids.documents.children:
            index = int(row.name.split("_")[1])
            if index < len(documents):
                row.text = documents[index].get(lang, "")

    def title(self, ticket: dict[str, Any], lang: str) -> str:
        service = self.app.state.service_name(service_id(ticket), lang)
        return self.app.tr("file_title", lang, service=service)

    def received(self) -> list[int]:
        return sorted(
            int(row.name.split("_")[1]) for row in self.ids.documents.children if row.checked
        )

    def action_confirm(self) -> None:
        self.app.actions.open_file(
            self.ids.citizen_name.text,
            self.ids.national_id.text,
            self.ids.phone.text,
            self.received(),
            self.ids.note.text,
            notify=self.notify and bool(self.app.state.sms_state),
            lang=self.sms_lang,
        )

    def action_toggle_notify(self) -> None:
        self.notify = not self.notify

    def action_toggle_sms_lang(self) -> None:
        self.sms_lang = "en" if self.sms_lang == "ar" else "ar"

    def action_cancel(self) -> None:
        self.app.state.clear_notice()
        self.app.state.screen = "serve"
