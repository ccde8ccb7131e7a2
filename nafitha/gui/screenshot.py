"""Saving what the window shows to a PNG of our choosing.

Kivy's ``Window.screenshot`` always inserts a counter into the file name; this saves under the exact
path asked for, so tests and docs can name their images.
"""

from __future__ import annotations

import os
from pathlib import Path


def save_screenshot(path: Path | str) -> Path:
    """Write the window's current frame to ``path`` (PNG); return the path."""
    from kivy.core.window import Window

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    written = Window.screenshot(name=str(target.with_name(f".{target.stem}.png")))
    if not written:
        raise RuntimeError(f"the window could not be captured to {target}")
    os.replace(written, target)
    return target
