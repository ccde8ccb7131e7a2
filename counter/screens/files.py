"""Files: look one up by scan or reference, see where it is, move it on with a note, mark missing
documents (or record that they were brought), hand it over, and print its receipt again.

The summary and the history scroll together and grow with their text, so a long list of missing
documents is never cut; the checklist starts from what the server says is missing.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty

from counter.screens.base import CounterScreen, load_kv
from counter.screens.widgets import CheckRow, ChoiceButton
from nafitha.formats import format_datetime

load_kv(__file__)


class FilesScreen(CounterScreen):
    marking = BooleanProperty(False)
    """The missing-documents checklist is open."""

    def on_kv_post(self, *_: Any) -> None:
        state = self.app.state
        state.fbind("file", self._show_moves)
        state.fbind("lang", self._show_moves)

    def on_pre_enter(self, *_: Any) -> None:
        self.marking = False
        self.ids.note.text = ""
        file = self.app.state.file
        self.ids.reference.text = (file or {}).get("reference", "")
        self._show_moves()

    def on_enter(self, *_: Any) -> None:
        self.ids.reference.focus = True

    # ------------------------------------------------------------ texts

    def summary(self, file: dict[str, Any], lang: str) -> str:
        if not file:
            return self.app.tr("lookup_hint", lang)
        tr = self.app.tr
        lines = [
            f"{tr('reference', lang)}: {file.get('reference', '')}",
            tr(
                "file_service",
                lang,
                service=(file.get("service") or {}).get("name", {}).get(lang, ""),
            ),
            tr("file_stage", lang, stage=self._stage_text(file, lang)),
        ]
        citizen = file.get("citizen") or {}
        if citizen.get("name"):
            lines.append(f"{tr('citizen_name', lang)}: {citizen['name']}")
        missing = file.get("missing_documents") or []
        if missing:
            names = (
                "، ".join(doc.get(lang, "") for doc in missing)
                if lang == "ar"
                else ", ".join(doc.get(lang, "") for doc in missing)
            )
            lines.append(tr("file_missing", lang, documents=names))
        return "\n".join(lines)

    def _stage_text(self, file: dict[str, Any], lang: str) -> str:
        stage = (file.get("stage") or {}).get("name", {}).get(lang, "")
        status = (file.get("status_name") or {}).get(lang, "")
        return f"{stage} ({status})" if status else stage

    def history(self, file: dict[str, Any], lang: str) -> str:
        lines = []
        zone = self.app.state.center.get("timezone") or "UTC"
        for entry in reversed((file or {}).get("history") or []):
            at = format_datetime(entry["at"], zone) if entry.get("at") else ""
            name = (entry.get("stage_name") or {}).get(lang, entry.get("stage", ""))
            note = f" - {entry['note']}" if entry.get("note") else ""
            who = f" ({entry['by']})" if entry.get("by") else ""
            lines.append(f"{at}  {name}{who}{note}")
        return "\n".join(lines)

    # ------------------------------------------------------------ moves

    def _stages(self) -> dict[str, dict[str, str]]:
        file = self.app.state.file or {}
        return {stage["id"]: stage["name"] for stage in file.get("stages") or []}

    def _show_moves(self, *_: Any) -> None:
        box = self.ids.moves
        box.clear_widgets()
        file = self.app.state.file or {}
        names = self._stages()
        lang = self.app.state.lang
        last = (file.get("stages") or [{}])[-1].get("id")
        for stage in file.get("next_stages") or []:
            if stage == last:
                continue  # the last stage is the hand-over button
            button = ChoiceButton(
                name=f"move_{stage}",
                logical=self.app.tr(
                    "next_stage", lang, stage=names.get(stage, {}).get(lang, stage)
                ),
            )
            button.bind(on_release=lambda _b, s=stage: self.move(s))
            box.add_widget(button)
        self.ids.hand_over.disabled = last not in (file.get("next_stages") or [])
        documents = self.ids.missing_list
        documents.clear_widgets()
        service = self.app.state.catalog.get((file.get("service") or {}).get("id", "")) or {}
        missing = [(doc.get("ar"), doc.get("en")) for doc in file.get("missing_documents") or []]
        for index, document in enumerate(service.get("documents") or []):
            held = (document.get("ar"), document.get("en")) not in missing
            documents.add_widget(
                CheckRow(name=f"missing_{index}", text=document.get(lang, ""), checked=held)
            )

    def move(self, stage: str) -> None:
        self.app.actions.move_file(stage, self.ids.note.text)
        self.ids.note.text = ""

    def action_find(self) -> None:
        self.app.actions.lookup_file(self.ids.reference.text)

    def action_hand_over(self) -> None:
        stages = (self.app.state.file or {}).get("stages") or []
        if stages:
            self.move(stages[-1]["id"])

    def action_mark_missing(self) -> None:
        if not self.marking:
            self.marking = True
            return
        missing = sorted(
            int(row.name.split("_")[1]) for row in self.ids.missing_list.children if not row.checked
        )
        self.app.actions.record_documents(missing, self.ids.note.text)
        self.ids.note.text = ""
        self.marking = False

    def action_print_receipt(self) -> None:
        self.app.actions.print_receipt()

    def action_confirm(self) -> None:
        """Enter: find what was typed (or scanned by a keyboard scanner)."""
        reference = self.ids.reference.text.strip()
        if reference and reference != (self.app.state.file or {}).get("reference"):
            self.action_find()
        elif self.marking:
            self.action_mark_missing()

    def action_cancel(self) -> None:
        if self.marking:
            self.marking = False
            return
        self.app.state.clear_notice()
        self.app.state.screen = "paused" if self.app.state.paused else "serve"


def _name(item: dict[str, Any] | None, lang: str) -> str:
    """The ``name`` of an API item (``{"id", "name": {"ar", "en"}}``) in ``lang``."""
    return ((item or {}).get("name") or {}).get(lang, "")
