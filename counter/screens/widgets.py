"""Small widgets of the counter's screens: a named text field, a document check row, a service row.

Generic pieces (labels, buttons, theme) come from :mod:`nafitha.gui`; these are the counter's own.
Every one has a ``name`` so tests find it, and mirrors for right-to-left languages.
"""

from __future__ import annotations

from pathlib import Path

from kivy.core.text import Label as CoreLabel
from kivy.graphics import Color, Rectangle
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.gridlayout import GridLayout
from kivy.uix.textinput import TextInput

from nafitha.gui.bidi_label import BidiLabel  # noqa: F401  (the .kv rules use it)
from nafitha.gui.buttons import BigButton
from nafitha.gui.fonts import register_fonts
from nafitha.text import has_arabic, visual

register_fonts()
Builder.load_file(str(Path(__file__).with_name("widgets.kv")))


class CounterField(TextInput):
    """A one-line text field a test can find by ``name``; Enter is left to the screen's keys.

    Kivy's text input does no Arabic shaping or bidi, so a field holding Arabic draws it itself,
    shaped and right to left, on the field's ``canvas.after`` (the input clears its own canvas on
    every change, so no child widget can hold it), and hides the raw text, Kivy's cursor and its
    selection (which would sit at the raw text's positions). While the field is being edited, a
    caret of its own marks where the next letter goes: the prefix before the cursor is the part of
    a right-to-left line drawn from the right edge, so the caret sits at that prefix's width.
    """

    name = StringProperty("")
    CARET_WIDTH = 2

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._ink = tuple(self.foreground_color)
        self._cursor_ink = tuple(self.cursor_color)
        self._selection_ink = tuple(self.selection_color)
        with self.canvas.after:
            self._shaped_colour = Color(*self._ink)
            self._shaped = Rectangle(size=(0, 0))
            self._caret = Rectangle(size=(0, 0))
        for prop in ("focus", "text", "pos", "size", "font_size", "padding", "cursor"):
            self.fbind(prop, self._show_shaped)
        self._show_shaped()

    @property
    def shaped(self) -> bool:
        """Whether the text is drawn shaped over the field now (focused or not)."""
        return has_arabic(self.text)

    def _width_of(self, text: str) -> float:
        if not text:
            return 0.0
        label = CoreLabel(font_name=self.font_name, font_size=self.font_size)
        return float(label.get_extents(visual(text, "R"))[0])

    def _show_shaped(self, *_: object) -> None:
        red, green, blue, alpha = self._ink
        if not self.shaped:
            self._shaped.size = self._caret.size = (0, 0)
            self.foreground_color = (red, green, blue, alpha)
            self.cursor_color = self._cursor_ink
            self.selection_color = self._selection_ink
            return
        label = CoreLabel(
            text=visual(self.text, "R"), font_name=self.font_name, font_size=self.font_size
        )
        label.refresh()
        texture = label.texture
        room = self.width - self.padding[0] - self.padding[2]
        width = min(texture.width, room)
        right = self.right - self.padding[2]
        # Where the caret is, counted from the line's right edge (its start, right to left).
        caret_from_right = self._width_of(self.text[: self.cursor_index()]) if self.focus else 0
        # Too long for the field: show the start, or while editing the part around the caret.
        shift = max(0.0, min(caret_from_right - width, texture.width - width))
        if texture.width > width:
            u_right = 1 - shift / texture.width
            u_left = u_right - width / texture.width
            self._shaped.tex_coords = (u_left, 1, u_right, 1, u_right, 0, u_left, 0)
        else:
            self._shaped.tex_coords = texture.tex_coords
        self._shaped.texture = texture
        self._shaped.size = (width, texture.height)
        self._shaped.pos = (right - width, self.center_y - texture.height / 2)
        self.foreground_color = (red, green, blue, 0)
        self.cursor_color = (*self._cursor_ink[:3], 0)
        self.selection_color = (*self._selection_ink[:3], 0)
        if self.focus:
            x = right - min(caret_from_right - shift, width) - self.CARET_WIDTH
            self._caret.pos = (x, self.center_y - texture.height / 2)
            self._caret.size = (self.CARET_WIDTH, texture.height)
        else:
            self._caret.size = (0, 0)


class Row(GridLayout):
    """Children side by side, right to left when ``rtl`` (start side first either way)."""

    rtl = BooleanProperty(False)


class CheckRow(ButtonBehavior, Row):
    """One required document: tap (or Space on it) toggles received / missing."""

    name = StringProperty("")
    text = StringProperty("")
    checked = BooleanProperty(False)

    def on_release(self) -> None:
        self.checked = not self.checked


class ChoiceButton(BigButton):
    """One of several choices (a service, a counter, a reason); ``selected`` shows which."""

    selected = BooleanProperty(False)
    value = StringProperty("")
