"""Big, high-contrast touch buttons: a text button and a button with an icon and a second line.

Both carry a ``name`` so tests (and :mod:`nafitha.gui.automation`) can find and tap them, are never
smaller than the theme's touch target, and mirror for right-to-left languages.
"""

from __future__ import annotations

from kivy.lang import Builder
from kivy.properties import (
    BooleanProperty,
    ColorProperty,
    NumericProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from nafitha.gui.bidi_label import BidiLabel
from nafitha.gui.theme import PALETTE, touch_target

Builder.load_string(
    """
#:import darker nafitha.gui.theme.darker
<BigButton>:
    bold: True
    align: "center"
    padding: dp(16), dp(8)
    canvas.before:
        Color:
            rgba: darker(self.background_color) if self.state == "down" else self.background_color
        RoundedRectangle:
            pos: self.pos
            size: self.size
            radius: [self.radius]

<IconButton>:
    padding: dp(16), dp(10)
    spacing: dp(18)
    canvas.before:
        Color:
            rgba: darker(self.background_color) if self.state == "down" else self.background_color
        RoundedRectangle:
            pos: self.pos
            size: self.size
            radius: [self.radius]
"""
)


class BigButton(ButtonBehavior, BidiLabel):
    """A text button, bold and centred, at least one touch target high and wide."""

    background_color = ColorProperty(PALETTE.primary)
    radius = NumericProperty(18)

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("color", PALETTE.on_primary)
        target = touch_target()
        kwargs.setdefault("size_hint_min", (target, target))  # layouts never squeeze it smaller
        super().__init__(**kwargs)


class IconButton(ButtonBehavior, BoxLayout):
    """An icon on the start side; beside it a title and an optional second line (hours)."""

    name = StringProperty("")
    icon = StringProperty("")
    title = StringProperty("")
    subtitle = StringProperty("")
    rtl = BooleanProperty(False)
    background_color = ColorProperty(PALETTE.secondary)
    text_color = ColorProperty(PALETTE.on_secondary)
    title_size = NumericProperty(34)
    subtitle_size = NumericProperty(24)
    radius = NumericProperty(18)

    def __init__(self, **kwargs: object) -> None:
        from kivy.uix.image import Image

        super().__init__(**kwargs)
        self.orientation = "horizontal"
        self._image = Image(size_hint=(None, 1), fit_mode="contain")
        self._texts = BoxLayout(orientation="vertical", spacing=4)
        self._title = BidiLabel(bold=True)
        self._subtitle = BidiLabel()
        self._texts.add_widget(self._title)
        self._texts.add_widget(self._subtitle)
        for prop in (
            "icon",
            "title",
            "subtitle",
            "rtl",
            "text_color",
            "title_size",
            "subtitle_size",
            "height",
        ):
            self.fbind(prop, self._update)
        self._update()
        self.size_hint_min_y = touch_target()

    def _update(self, *_: object) -> None:
        self._image.source = self.icon
        self._image.width = self.height * 0.7 if self.icon else 0
        self._image.opacity = 1 if self.icon else 0
        for label, text, size in (
            (self._title, self.title, self.title_size),
            (self._subtitle, self.subtitle, self.subtitle_size),
        ):
            label.logical = text
            label.rtl = self.rtl
            label.color = self.text_color
            label.disabled_color = self.text_color  # a closed service stays readable
            label.font_size = size
        self._subtitle.size_hint_y = 0.7 if self.subtitle else 0.001
        self._subtitle.opacity = 1 if self.subtitle else 0
        self.clear_widgets()
        order = [self._image, self._texts]
        for widget in reversed(order) if self.rtl else order:
            self.add_widget(widget)

    @property
    def texts(self) -> tuple[str, str]:
        """The logical title and subtitle, as a test reads them."""
        return self.title, self.subtitle
