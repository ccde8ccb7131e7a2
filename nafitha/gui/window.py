"""Kivy's window set-up for the kiosk and the counter, done before Kivy creates the window."""

from __future__ import annotations

import os


def configure_window(width: int, height: int, fullscreen: bool) -> None:
    """Window size and mode, no Escape-to-quit, no multitouch emulation with the mouse.

    Kivy reads these when its window module is first imported, so this runs before any import of
    ``kivy.core.window``; ``KIVY_NO_ARGS`` keeps Kivy from reading our command-line flags.
    """
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    from kivy.config import Config

    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("graphics", "resizable", "0" if fullscreen else "1")
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("input", "mouse", "mouse,disable_multitouch")
