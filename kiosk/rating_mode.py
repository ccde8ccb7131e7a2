"""``nafitha kiosk --mode rating --counter c3``: start the rating screen of one counter
(docs/ratings.md). Kivy is imported only after the window is configured (its size is fixed when
the window module loads), so the app itself lives in :mod:`kiosk.rating_app`.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from kiosk.config import KioskSettings

log = logging.getLogger("nafitha.kiosk.rating")
SMALL_SCREEN = "800x480"


def run_rating_screen(settings: KioskSettings, source: Path | None, size_given: bool) -> int:
    """Start the rating screen with these settings (``nafitha kiosk --mode rating``)."""
    from nafitha.gui.window import configure_window
    from nafitha.settings import ConfigError

    if not settings.counter:
        raise ConfigError(str(source or "<command line>"), "counter", "a rating screen needs one")
    if not size_given and settings.size == KioskSettings.model_fields["size"].default:
        settings = settings.model_copy(update={"size": SMALL_SCREEN})
    configure_window(*settings.window_size, settings.fullscreen)
    from kiosk.rating_app import RatingApp
    from nafitha.client import Client

    client = Client(
        settings.server,
        token=settings.token,
        timeout=settings.request_timeout_s,
        verify=settings.verify,
    )
    started = time.perf_counter()
    RatingApp(settings, client).run()
    log.info("rating screen ran %.0f s", time.perf_counter() - started)
    return 0
