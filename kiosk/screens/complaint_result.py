"""A complaint or suggestion found by its reference at "where is my file?": its status and the
answer (or the date it is due)."""

from __future__ import annotations

from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)


class ComplaintResultScreen(KioskScreen):
    screen_name = "complaint_result"
