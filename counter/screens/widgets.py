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

    Kivy's text input does no Arabic shaping or bidi: while the field is not being edited, Arabic
    text is drawn shaped and right to left on the field's ``canvas.after`` (the input clears its
    own canvas on every change, so no child widget can hold it) and the raw text is hidden; while
    editing, the raw text shows.
    """

    name = StringProperty("")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._ink = tuple(self.foreground_color)
        with self.canvas.after:
            self._shaped_colour = Color(*self._ink)
            self._shaped = Rectangle(size=(0, 0))
        for prop in ("focus", "text", "pos", "size", "font_size", "padding"):
            self.fbind(prop, self._show_shaped)
        self._show_shaped()

    @property
    def shaped(self) -> bool:
        """Whether the text is drawn shaped over the field now."""
        return not self.focus and has_arabic(self.text)

    def _show_shaped(self, *_: object) -> None:
        red, green, blue, alpha = self._ink
        if not self.shaped:
            self._shaped.size = (0, 0)
            self.foreground_color = (red, green, blue, alpha)
            return
        label = CoreLabel(
            text=visual(self.text, "R"), font_name=self.font_name, font_size=self.font_size
        )
        label.refresh()
        texture = label.texture
        room = self.width - self.padding[0] - self.padding[2]
        width = min(texture.width, room)
        self._shaped.texture = texture
        self._shaped.size = (width, texture.height)
        self._shaped.tex_coords = (
            (1 - width / texture.width, 1, 1, 1, 1, 0, 1 - width / texture.width, 0)
            if texture.width > width
            else texture.tex_coords
        )
        self._shaped.pos = (
            self.right - self.padding[2] - width,
            self.center_y - texture.height / 2,
        )
        self.foreground_color = (red, green, blue, 0)


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
