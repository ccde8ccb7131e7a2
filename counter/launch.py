"""Starting the counter: window settings first (Kivy reads them when the window is created), then
the app."""

from __future__ import annotations

import os

from counter.config import CounterSettings


def configure_window(settings: CounterSettings) -> None:
    """Window size and mode, set before Kivy creates the window."""
    from kivy.config import Config

    width, height = settings.window_size
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "fullscreen", "auto" if settings.fullscreen else "0")
    Config.set("input", "mouse", "mouse,disable_multitouch")
    Config.set("kivy", "exit_on_escape", "0")


def run_counter(settings: CounterSettings) -> int:
    """Run the counter until its window closes."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    configure_window(settings)
    from counter.app import CounterApp

    CounterApp(settings).run()
    return 0
