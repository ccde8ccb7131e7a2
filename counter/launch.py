"""Starting the counter: window settings first (Kivy reads them when the window is created), then
the app."""

from __future__ import annotations

from counter.config import CounterSettings
from nafitha.gui.window import configure_window


def run_counter(settings: CounterSettings) -> int:
    """Run the counter until its window closes."""
    configure_window(*settings.window_size, settings.fullscreen)
    from counter.app import CounterApp

    CounterApp(settings).run()
    return 0
