"""Big, high-contrast touch buttons: a text button and a button with an icon and a second line.

Both carry a ``name`` so tests (and :mod:`nafitha.gui.automation`) can find and tap them, are never
smaller than the theme's touch target, and mirror for right-to-left languages. A fill too close to
the screen's background gets an outline (:func:`~nafitha.gui.theme.needs_border`), so every button
looks like one. An option among several (``selectable``) shows when it is ``selected`` by more than
its colour: a thick border and a tick drawn on its start side.
"""

from __future__ import annotations

from collections.abc import Sequence

from kivy.lang import Builder
from kivy.metrics import dp
from kivy.properties import (
    BooleanProperty,
    ColorProperty,
    NumericProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from nafitha.gui.bidi_label import BidiLabel
from nafitha.gui.theme import PALETTE, Colour, needs_border, touch_target

Builder.load_string(
    """
#:import darker nafitha.gui.theme.darker
<OutlinedButton>:
    canvas.after:
        Color:
            rgba: self.edge(self.background_color, self.border_color, self.selected, self.disabled)
        Line:
            rounded_rectangle: self.outline_box(self.pos, self.size, self.radius)
            width: dp(4) if self.selected else dp(2)
        Color:
            rgba: self.tick_color if self.selected else (0, 0, 0, 0)
        Line:
            points: self.tick_points(self.pos, self.size, self.rtl)
            width: dp(3.5)
            joint: "round"
            cap: "round"

<BigButton>:
    bold: True
    align: "center"
    padding: self.room_for_tick(self.selectable, self.rtl, self.height)
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


class OutlinedButton:
    """The outline and selection mark both button kinds draw (a mixin; kv rule above)."""

    border_color = ColorProperty(PALETTE.outline)
    selectable = BooleanProperty(False)
    """One option among several (priority, language): leaves room for the tick."""
    selected = BooleanProperty(False)

    @staticmethod
    def edge(fill: Colour, border: Colour, selected: bool, disabled: bool) -> Colour:
        """The border's colour: shown when selected, or when the fill alone shows no boundary."""
        if selected or (needs_border(fill) and not disabled):
            return border
        return (0.0, 0.0, 0.0, 0.0)

    @staticmethod
    def outline_box(pos: Sequence[float], size: Sequence[float], radius: float) -> list[float]:
        inset = dp(2)
        return [pos[0] + inset, pos[1] + inset, size[0] - 2 * inset, size[1] - 2 * inset, radius]

    @staticmethod
    def room_for_tick(selectable: bool, rtl: bool, height: float) -> list[float]:
        """Padding (left, top, right, bottom) that keeps the text clear of the tick's side."""
        start = dp(10) + (min(height * 0.24, 44.0) + dp(16) if selectable else dp(6))
        end = dp(16)
        return [end, dp(8), start, dp(8)] if rtl else [start, dp(8), end, dp(8)]

    @staticmethod
    def tick_points(pos: Sequence[float], size: Sequence[float], rtl: bool) -> list[float]:
        """A tick on the start side (right when ``rtl``), about a quarter of the button high."""
        (x, y), (width, height) = pos, size
        side = min(height * 0.24, 44.0)
        margin = dp(10)
        left = x + width - margin - side if rtl else x + margin
        bottom = y + height / 2 - side * 0.45
        return [
            left,
            bottom + side * 0.45,
            left + side * 0.38,
            bottom,
            left + side,
            bottom + side * 0.9,
        ]


class BigButton(OutlinedButton, ButtonBehavior, BidiLabel):
    """A text button, bold and centred, at least one touch target high and wide."""

    background_color = ColorProperty(PALETTE.primary)
    radius = NumericProperty(18)
    tick_color = ColorProperty(PALETTE.on_primary)

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("color", PALETTE.on_primary)
        target = touch_target()
        kwargs.setdefault("size_hint_min", (target, target))  # layouts never squeeze it smaller
        super().__init__(**kwargs)


class IconButton(OutlinedButton, ButtonBehavior, BoxLayout):
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
    tick_color = ColorProperty(PALETTE.on_secondary)

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
