"""A Kivy label that shows Arabic shaped and right-to-left, and English left-to-right.

Set ``logical`` (the text as written, in reading order) and ``rtl`` (the language's direction); the
label wraps the logical text to its width by measuring each candidate line as it will be drawn,
reorders each line with :func:`nafitha.text.visual`, and aligns the lines to the start side (right
in Arabic). Kivy itself does no bidi (kivy/kivy#7704, #7918, #8189), so never put logical Arabic in
``text`` directly.
"""

from __future__ import annotations

from functools import lru_cache

from bidi import get_display
from kivy.clock import Clock
from kivy.core.text import Label as CoreLabel
from kivy.lang import Builder
from kivy.properties import BooleanProperty, OptionProperty, StringProperty
from kivy.uix.label import Label

from nafitha.gui.fonts import register_fonts
from nafitha.gui.theme import PALETTE
from nafitha.gui.wrapping import wrap_logical
from nafitha.text import first_strong, has_arabic, visual

Builder.load_string(
    """
<BidiLabel>:
    text_size: (self.width, None) if self.auto_height else self.size
    height: self.texture_size[1] if self.auto_height else self.height
    size_hint_y: None if self.auto_height else self.size_hint_y
    valign: "middle"
    # room for ink past a glyph's advance (the hamza of an initial إ at the right edge, italics)
    padding: self.font_size * 0.15, 0
"""
)


@lru_cache(maxsize=8192)
def line_visual(line: str, rtl: bool) -> str:
    """One logical line in drawing order, in its own direction.

    A line takes the direction of its first letter (an Arabic subtitle in the English layout reads
    right to left, its parenthesis at the left end); a line with no letter (the "08:00–12:00"
    that wrapped onto its own line) takes the layout's direction, as around it.
    """
    direction = first_strong(line) or ("R" if rtl else "L")
    if direction == "R" and not has_arabic(line):
        return get_display(line, base_dir="R")
    return visual(line, direction)


class BidiLabel(Label):
    """A label fed logical text; see the module docstring."""

    name = StringProperty("")
    """Found by this name in tests (:func:`nafitha.gui.automation.find`)."""
    logical = StringProperty("")
    """The text in reading order, Arabic or English or both."""
    rtl = BooleanProperty(False)
    """True when the language reads right-to-left: the paragraph direction and alignment."""
    align = OptionProperty("start", options=["start", "center", "end"])
    """Where lines sit: ``start`` is the right edge in Arabic and the left edge in English."""
    auto_height = BooleanProperty(False)
    """Grow to fit the wrapped text (in a scroll view or a vertical box), not a fixed size."""
    wrap = BooleanProperty(True)

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("font_name", register_fonts())
        kwargs.setdefault("color", PALETTE.text)
        # -1: laid out before the coming frame is drawn, not in the frame after it (one frame
        # sooner on screen; a software-rendered frame can take half a second on a busy PC)
        self._relayout = Clock.create_trigger(self._apply, -1)
        super().__init__(**kwargs)
        for prop in (
            "logical",
            "rtl",
            "align",
            "wrap",
            "width",
            "font_size",
            "bold",
            "font_name",
            "padding",
        ):
            self.fbind(prop, self._relayout)
        self._apply()

    def visual_lines(self) -> list[str]:
        """The lines as drawn (visual order), top to bottom."""
        return self.text.split("\n") if self.text else []

    def _apply(self, *_: object) -> None:
        width = self.width - self.padding[0] - self.padding[2] - 2 if self.wrap else 0
        font = (self.font_name, float(self.font_size), bool(self.bold))
        lines = wrap_logical(
            self.logical, width, lambda line: _width_of(font, line_visual(line, self.rtl))
        )
        self.text = "\n".join(line_visual(line, self.rtl) for line in lines)
        start, end = ("right", "left") if self.rtl else ("left", "right")
        self.halign = {"start": start, "center": "center", "end": end}[self.align]


# A screen is built again on each language switch and each refresh of its figures: its labels'
# lines are the same as last time, so their shaping and measuring are remembered (a kiosk PC
# without a graphics chip spends its time on drawing, not on this).
@lru_cache(maxsize=32)
def _measurer(font: tuple[str, float, bool]) -> CoreLabel:
    name, size, bold = font
    return CoreLabel(font_name=name, font_size=size, bold=bold)


@lru_cache(maxsize=16384)
def _width_of(font: tuple[str, float, bool], drawn: str) -> float:
    """The drawn width of ``drawn`` (visual order) in ``font`` (name, size, bold)."""
    return _measurer(font).get_extents(drawn)[0]
