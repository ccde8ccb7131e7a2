"""The counter's rating screen (``nafitha kiosk --mode rating``): waiting, asking, thanking.

Three screens of one small window: ``rating_idle`` while no visit was just finished at the
counter, ``rating_ask`` with five big faces (very bad to excellent, each named in Arabic and in
English) and ``rating_thanks``. The faces are drawn here (no picture files, no emoji font).
"""

from __future__ import annotations

from typing import Any

from kivy.graphics import Color, Ellipse, Line
from kivy.properties import BooleanProperty, NumericProperty
from kivy.uix.screenmanager import Screen
from kivy.uix.widget import Widget

from kiosk.screens.base import load_kv
from nafitha.gui.theme import rgb

FACE_COLOURS = {
    1: rgb("#e25555"),
    2: rgb("#f08a24"),
    3: rgb("#f2c94c"),
    4: rgb("#8fd16f"),
    5: rgb("#2fb36b"),
}
INK = rgb("#111111")


class Face(Widget):
    """A round face whose mouth curves from a frown (1) to a broad smile (5); the tap is its
    cell's (a face and its two words, ``FaceChoice`` in rating.kv)."""

    level = NumericProperty(3)
    pressed = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(pos=self._draw, size=self._draw, pressed=self._draw, level=self._draw)

    def _draw(self, *_: object) -> None:
        level = int(self.level)
        side = min(self.width, self.height) * 0.92
        cx, cy = self.center
        shade = 0.75 if self.pressed else 1.0
        red, green, blue, alpha = FACE_COLOURS.get(level, FACE_COLOURS[3])
        curve = (level - 3) / 2  # -1 (frown) .. 1 (smile)
        self.canvas.clear()
        with self.canvas:
            Color(red * shade, green * shade, blue * shade, alpha)
            Ellipse(pos=(cx - side / 2, cy - side / 2), size=(side, side))
            Color(*INK)
            eye = side * 0.1
            for dx in (-0.18, 0.18):
                Ellipse(pos=(cx + dx * side - eye / 2, cy + 0.1 * side), size=(eye, eye))
            y = cy - side * 0.16
            half = side * 0.24
            bend = curve * side * 0.22
            Line(
                bezier=[cx - half, y + bend / 2, cx, y - bend, cx + half, y + bend / 2],
                width=max(1.5, side * 0.035),
                cap="round",
            )


class RatingScreen(Screen):
    """What the three screens share: the app's texts in both languages."""

    @property
    def app(self) -> Any:
        from kivy.app import App

        return App.get_running_app()


class RatingIdleScreen(RatingScreen):
    pass


class RatingAskScreen(RatingScreen):
    pass


class RatingThanksScreen(RatingScreen):
    pass


load_kv(__file__)

SCREENS = (
    lambda: RatingIdleScreen(name="rating_idle"),
    lambda: RatingAskScreen(name="rating_ask"),
    lambda: RatingThanksScreen(name="rating_thanks"),
)
