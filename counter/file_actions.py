"""The clerk's file keys: open a file for the citizen served, print its receipt, look one up,
move it (with the version seen, so another clerk's move is not overwritten), and record missing
documents or their return from the checklist."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from counter.receipts import ReceiptOutput, ReceiptShown
from counter.state import CounterState, service_id
from nafitha.client import Client
from nafitha.text import t


class FileActions:
    """Mixed into :class:`counter.actions.CounterActions`, which provides the plumbing."""

    state: CounterState
    client: Client
    receipts: ReceiptOutput
    _do: Callable[..., None]

    def open_file(
        self,
        name: str,
        national_id: str,
        phone: str,
        received: Sequence[int],
        note: str,
        notify: bool = False,
        lang: str = "ar",
    ) -> None:
        """Open a file for the citizen being served; ``received`` are indexes into the service's
        required documents. ``notify``: the citizen agreed to text messages at ``phone`` in
        ``lang`` (the server checks the number and refuses the whole file with the reason)."""
        ticket = dict(self.state.ticket)
        service = service_id(ticket)
        if not name.strip():
            self.state.say("name_required", "error")
            return
        citizen = {"name": name.strip()}
        if national_id.strip():
            citizen["national_id"] = national_id.strip()
        if phone.strip():
            citizen["phone"] = phone.strip()
        elif notify:
            self.state.say("sms_phone_needed", "error")
            return

        def call() -> dict[str, Any]:
            return self.client.open_file(
                service=service,
                citizen=citizen,
                documents_received=list(received),
                ticket=ticket.get("id"),
                note=note.strip() or None,
                notify=notify,
                lang=lang,
            )

        def done(answer: dict[str, Any]) -> None:
            self.state.file = answer
            self.state.say("file_opened", reference=answer["reference"])
            self.state.screen = "files"
            self.print_receipt()

        self._do(call, done)

    def print_receipt(self) -> None:
        file = dict(self.state.file)
        if not file:
            return
        center = self.state.center

        def done(printed: Any) -> None:
            if not isinstance(printed, ReceiptShown):
                self.state.say("receipt_printed")
                return
            self.state.receipt_image = printed.path
            self.state.screen = "receipt"
            if printed.error is None:
                self.state.say("receipt_on_screen")
                return
            self.state.say_message(printed.error.message, "error")
            self._alert_printer(printed.error)

        def failed(exc: Exception) -> None:
            self.state.say("printer_failed", "error", reason=str(exc))

        self._do(lambda: self.receipts.output(file, center), done, failed=failed)

    def _alert_printer(self, error: Any) -> None:
        """Tell the staff the counter's printer failed (best effort: the clerk already knows)."""
        self._do(
            lambda: self.client.post_alert(
                str(getattr(error, "code", "printer_error")),
                str((getattr(error, "message", None) or {}).get("en", error)),
                device=f"counter-{self.state.counter_id}",
            ),
            lambda _answer: None,
            busy=False,
            failed=lambda _exc: None,
        )

    def lookup_file(self, reference: str, show: bool = True, quiet: bool = False) -> None:
        reference = reference.strip()
        if not reference:
            return

        def done(answer: dict[str, Any]) -> None:
            self.state.file = answer
            if show:
                self.state.clear_notice()
                self.state.screen = "files"

        failed = (lambda exc: None) if quiet else None
        self._do(lambda: self.client.get_file(reference), done, busy=not quiet, failed=failed)

    def move_file(
        self,
        stage: str,
        note: str = "",
        missing: Sequence[Any] = (),
        reason: str = "",
        said: Callable[[dict[str, Any]], dict[str, str]] | None = None,
    ) -> None:
        """Move the file on screen; it carries the ``version`` the clerk saw, so a move another
        clerk made meanwhile is refused (``file_changed``) instead of being overwritten."""
        file = dict(self.state.file)
        if not file:
            return
        extra: dict[str, Any] = {}
        if missing:
            extra["missing"] = list(missing)
        if reason.strip():
            extra["reason"] = reason.strip()
        if file.get("version") is not None:
            extra["version"] = file["version"]

        def done(answer: dict[str, Any]) -> None:
            self.state.file = answer
            stage_name = (answer.get("stage") or {}).get("name") or {}
            self.state.notice = (said or self._moved)(stage_name)
            self.state.notice_kind = "info"

        self._do(
            lambda: self.client.move_file(
                file["reference"], stage, note=note.strip() or None, **extra
            ),
            done,
        )

    def _moved(self, stage_name: dict[str, str]) -> dict[str, str]:
        return {
            lang: self._texts("file_moved", lang, stage=stage_name.get(lang, ""))
            for lang in ("ar", "en")
        }

    def record_documents(self, missing: Sequence[int], note: str = "") -> None:
        """The checklist confirmed: what is ticked missing is recorded as missing; nothing missing
        on a file that waited for documents records that they were brought (the file resumes at
        its stage); nothing missing otherwise changes nothing, and says so."""
        file = dict(self.state.file)
        if not file:
            return
        if missing:
            required = self._required_documents(file)
            names = {
                lang: ("، " if lang == "ar" else ", ").join(
                    required[i].get(lang, "") for i in missing if 0 <= i < len(required)
                )
                for lang in ("ar", "en")
            }
            self.move_file(
                "missing_documents",
                note,
                missing=missing,
                said=lambda _stage: {
                    lang: self._texts("missing_recorded", lang, documents=names[lang])
                    for lang in ("ar", "en")
                },
            )
        elif file.get("status") == "missing_documents":
            self.move_file(
                (file.get("stage") or {}).get("id", ""),
                note,
                said=lambda stage: {
                    lang: self._texts("documents_returned", lang, stage=stage.get(lang, ""))
                    for lang in ("ar", "en")
                },
            )
        else:
            self.state.say("nothing_missing")

    def _required_documents(self, file: dict[str, Any]) -> list[dict[str, str]]:
        service = self.state.catalog.get((file.get("service") or {}).get("id", "")) or {}
        return list(service.get("documents") or [])

    @staticmethod
    def _texts(key: str, lang: str, **params: Any) -> str:
        return t(f"counter.{key}", lang, **params)
