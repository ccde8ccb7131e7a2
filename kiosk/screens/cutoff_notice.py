"""A service past its cut-off: a clear message instead of the confirm screen, and no ticket.

Reached by tapping a service button that already says "no more tickets today" (or its welcome
shortcut): the citizen learns why, with the closing time in the center's zone, before anything
is issued (docs/kiosk.md, "The cut-off").
"""

from __future__ import annotations

from kiosk.catalog import Catalog
from kiosk.cutoff import cutoff_notice
from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)


class CutoffScreen(KioskScreen):
    screen_name = "cutoff"

    @staticmethod
    def notice(service_id: str, lang: str, catalog: Catalog) -> str:
        return cutoff_notice(catalog.services.get(service_id), lang, catalog.timezone)
