"""Colours and sizes for screens citizens read from a metre away and touch with a whole finger.

Colours are RGBA tuples Kivy takes as they are. Sizes are physical (millimetres through Kivy's
metrics) or density-independent, never raw pixels, so a 21" portrait kiosk and a clerk's laptop both
get targets a finger can hit. Contrast (WCAG 2.1, computed by :func:`contrast_ratio` and checked by
tests/kiosk/test_contrast.py): every text on its fill at least 4.5:1 (most 7:1); every button's
boundary against the screen at least 3:1: a fill too close to the navy background (surface,
success, danger) gets an ``outline`` border (:func:`needs_border`), so it still looks like a button.
"""

from __future__ import annotations

from dataclasses import dataclass

Colour = tuple[float, float, float, float]


def rgb(hex_code: str, alpha: float = 1.0) -> Colour:
    """``"#0b2545"`` to Kivy's ``(r, g, b, a)`` in 0..1."""
    code = hex_code.lstrip("#")
    red, green, blue = (int(code[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (red, green, blue, alpha)


class Palette:
    """The colours, as class attributes (one palette; a center may subclass it)."""

    background: Colour = rgb("#0b2545")  # deep navy: white text on it is 15:1
    surface: Colour = rgb("#13315c")
    text: Colour = rgb("#ffffff")
    muted_text: Colour = rgb("#dbe4ee")
    primary: Colour = rgb("#ffc83d")  # amber button, near-black text: 13:1
    on_primary: Colour = rgb("#111111")
    secondary: Colour = rgb("#ffffff")
    on_secondary: Colour = rgb("#0b2545")
    closed: Colour = rgb("#4a5360")  # a closed service: white text on it is 8:1
    on_closed: Colour = rgb("#ffffff")
    danger: Colour = rgb("#b00020")
    on_danger: Colour = rgb("#ffffff")
    success: Colour = rgb("#0f6b3a")
    on_success: Colour = rgb("#ffffff")
    outline: Colour = rgb("#ffffff")  # the border of a button whose fill is close to background
    pressed_shade: float = 0.8  # a pressed button is drawn this much darker


PALETTE = Palette()

TOUCH_TARGET_MM = 15.0
"""The smallest side of anything a citizen touches (ISO 9241-9 and kiosk guidance: 15-20 mm)."""


@dataclass(frozen=True)
class Sizes:
    """Font sizes in sp and spacing in dp; the app may scale them all for a large screen."""

    body: float = 30
    title: float = 48
    button: float = 34
    huge: float = 150
    small: float = 24
    spacing: float = 16
    radius: float = 18

    def scaled(self, factor: float) -> Sizes:
        return Sizes(*(value * factor for value in self.__dict__.values()))


def touch_target() -> float:
    """The minimum touch target side in pixels for the current screen's density."""
    from kivy.metrics import mm

    return float(mm(TOUCH_TARGET_MM))


def _luminance(colour: Colour) -> float:
    """WCAG relative luminance of an sRGB colour."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in colour[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: Colour, second: Colour) -> float:
    """WCAG contrast ratio (1 to 21) of two opaque colours."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


MIN_TEXT_CONTRAST = 4.5
MIN_BOUNDARY_CONTRAST = 3.0


def needs_border(fill: Colour, background: Colour | None = None) -> bool:
    """True when a button of this fill cannot be told from the screen behind it without a border."""
    return contrast_ratio(fill, background or PALETTE.background) < MIN_BOUNDARY_CONTRAST


def darker(colour: Colour, factor: float = PALETTE.pressed_shade) -> Colour:
    red, green, blue, alpha = colour
    return (red * factor, green * factor, blue * factor, alpha)
