"""Registering the bundled Vazirmatn face with Kivy, so Arabic and Latin come from one font.

Kivy does not fall back between fonts: a label drawn in a Latin-only face shows boxes for Arabic.
Every widget of ``nafitha.gui`` uses :data:`FONT_NAME`.
"""

from __future__ import annotations

from nafitha.paths import FONT_BOLD, FONT_REGULAR

FONT_NAME = "Vazirmatn"
_registered = False


def register_fonts() -> str:
    """Register Vazirmatn (regular and bold) once; return the name widgets use as ``font_name``."""
    global _registered
    if not _registered:
        from kivy.core.text import LabelBase

        LabelBase.register(name=FONT_NAME, fn_regular=str(FONT_REGULAR), fn_bold=str(FONT_BOLD))
        _registered = True
    return FONT_NAME
