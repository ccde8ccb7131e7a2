"""Kivy's window set-up for the kiosk and the counter, done before Kivy creates the window."""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Mapping, Sequence

SMOOTHED = "2"  # Kivy's own default: polygon edges drawn with 2× multisampling


def multisamples(platform: str, dri_devices: Sequence[str], environ: Mapping[str, str]) -> str:
    """Kivy's ``graphics.multisamples`` for this PC: none where the CPU draws.

    A Linux PC with no kernel graphics device (``/dev/dri/card*``), or told to draw in software
    (``LIBGL_ALWAYS_SOFTWARE``), draws OpenGL with Mesa's llvmpipe on the CPU, where 2×
    multisampling makes every frame of a 1080×1920 kiosk about three times as long (measured in
    docs/benchmarks.md); only the edges of rounded shapes lose their smoothing. A value in
    ``KCFG_GRAPHICS_MULTISAMPLES`` always wins.
    """
    if "KCFG_GRAPHICS_MULTISAMPLES" in environ:
        return environ["KCFG_GRAPHICS_MULTISAMPLES"]
    forced = environ.get("LIBGL_ALWAYS_SOFTWARE", "").strip().lower() not in ("", "0", "false")
    if platform.startswith("linux") and (forced or not dri_devices):
        return "0"
    return SMOOTHED


def configure_window(width: int, height: int, fullscreen: bool) -> None:
    """Window size and mode, no Escape-to-quit, no multitouch emulation with the mouse, and no
    multisampling where the CPU draws (:func:`multisamples`).

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
    devices = glob.glob("/dev/dri/card*")
    Config.set("graphics", "multisamples", multisamples(sys.platform, devices, os.environ))
