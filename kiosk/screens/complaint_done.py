"""A complaint or suggestion sent: its reference (labelled "complaint reference"), the date the
answer is due, and the slip printing."""

from __future__ import annotations

from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)


class ComplaintDoneScreen(KioskScreen):
    screen_name = "complaint_done"
