"""Small widgets of the counter's screens: a named text field, a document check row, a service row.

Generic pieces (labels, buttons, theme) come from :mod:`nafitha.gui`; these are the counter's own.
Every one has a ``name`` so tests find it, and mirrors for right-to-left languages.
"""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.gridlayout import GridLayout
from kivy.uix.textinput import TextInput

from nafitha.gui.bidi_label import BidiLabel
from nafitha.gui.buttons import BigButton
from nafitha.gui.fonts import register_fonts
from nafitha.text import has_arabic

register_fonts()
Builder.load_file(str(Path(__file__).with_name("widgets.kv")))


class CounterField(TextInput):
    """A one-line text field a test can find by ``name``; Enter is left to the screen's keys.

    Kivy's text input does no Arabic shaping or bidi: while the field is not being edited, Arabic
    text is drawn by a :class:`BidiLabel` laid over it (shaped, right to left), and the raw text
    is hidden; while editing, the raw text shows.
    """

    name = StringProperty("")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._ink = tuple(self.foreground_color)
        self._shaped = BidiLabel(rtl=True, color=self._ink, wrap=False)
        self.add_widget(self._shaped)
        for prop in ("focus", "text", "pos", "size", "font_size", "padding"):
            self.fbind(prop, self._show_shaped)
        self._show_shaped()

    def _show_shaped(self, *_: object) -> None:
        shaped = not self.focus and has_arabic(self.text)
        label = self._shaped
        label.logical = self.text if shaped else ""
        label.font_size = self.font_size
        label.pos = (self.x + self.padding[0], self.y)
        label.size = (self.width - self.padding[0] - self.padding[2], self.height)
        red, green, blue, alpha = self._ink
        self.foreground_color = (red, green, blue, 0 if shaped else alpha)


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
