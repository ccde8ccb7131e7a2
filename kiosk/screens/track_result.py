"""A file's stage, dated history, what is missing, where to go; a ticket when it waits on us."""

from __future__ import annotations

from kiosk.screens.base import KioskScreen, load_kv
from nafitha.formats import format_date, format_datetime
from nafitha.gui.bidi_label import BidiLabel
from nafitha.gui.theme import PALETTE

load_kv(__file__)


def center_time(moment: str | None, timezone: str, date_only: bool = False) -> str:
    """An ISO time from the server as the center's date and time, ``29/11/2026 14:05``.

    In the center's zone (the catalog's ``timezone``), never this PC's: kiosk PCs are often left
    in UTC. Formatted by :mod:`nafitha.formats`, as on the paper, counter, board and phone.
    """
    if not moment:
        return ""
    try:
        if date_only:
            return format_date(moment, timezone)
        return format_datetime(moment, timezone)
    except ValueError:
        return moment


class TrackResultScreen(KioskScreen):
    screen_name = "track_result"

    def refresh(self) -> None:
        app = self.app
        state = app.state
        lang = state.lang
        track = dict(state.track)
        zone = state.catalog.timezone
        box = self.ids.details
        box.clear_widgets()

        def line(
            name: str, text: str, size: float = 36, bold: bool = False, colour: tuple = PALETTE.text
        ) -> None:
            if text:
                box.add_widget(
                    BidiLabel(
                        name=name,
                        logical=text,
                        rtl=state.rtl,
                        auto_height=True,
                        font_size=app.scale * size,
                        bold=bold,
                        color=colour,
                    )
                )

        name = (track.get("service") or {}).get("name") or {}
        stage = (track.get("stage") or {}).get("name") or {}
        line("track_service", name.get(lang, ""), 40, True)
        line(
            "track_stage",
            self.tr("kiosk.track_stage", stage=stage.get(lang, "")),
            48,
            True,
            PALETTE.primary,
        )
        status = track.get("status", "")
        if track.get("ready"):
            line("track_status", self.tr("kiosk.track_ready"), 40, True)
        elif status in ("missing_documents", "cancelled", "closed"):
            line("track_status", self.tr(f"kiosk.track_status_{status}"), 40, True)
        if track.get("expected_ready_at") and not track.get("ready") and status == "open":
            line(
                "track_expected",
                self.tr(
                    "kiosk.track_expected", date=center_time(track["expected_ready_at"], zone, True)
                ),
            )
        missing = track.get("missing_documents") or []
        if missing:
            line("track_missing_title", self.tr("kiosk.track_missing_title"), 38, True)
            for number, document in enumerate(missing, 1):
                line(f"track_missing_{number}", f"• {document.get(lang, '')}", 36)
        where = track.get("where") or {}
        if where.get(lang):
            line("track_where", self.tr("kiosk.track_where", where=where[lang]), 38, True)
        history = track.get("history") or []
        if history:
            line(
                "track_history_title",
                self.tr("kiosk.track_history_title"),
                36,
                True,
                PALETTE.muted_text,
            )
        for number, entry in enumerate(reversed(history), 1):
            stage_name = (entry.get("stage_name") or {}).get(lang, entry.get("stage", ""))
            note = entry.get("note") or ""
            text = f"{center_time(entry.get('at'), zone)}  —  {stage_name}" + (
                f"  ({note})" if note else ""
            )
            line(f"track_history_{number}", text, 30)
