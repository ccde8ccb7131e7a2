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

from nafitha.gui.bidi_label import BidiLabel  # noqa: F401  (registers the class for the .kv)
from nafitha.gui.buttons import BigButton
from nafitha.gui.fonts import register_fonts

register_fonts()
Builder.load_file(str(Path(__file__).with_name("widgets.kv")))


class CounterField(TextInput):
    """A one-line text field a test can find by ``name``; Enter is left to the screen's keys."""

    name = StringProperty("")


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
