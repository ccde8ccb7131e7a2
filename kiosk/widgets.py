"""The kiosk's composite widgets: the header bar, a message banner, the QR image, the idle warning.

They read the app's state (language, direction, scale) so every screen mirrors the same way.
"""

from __future__ import annotations

import io

from kivy.core.image import Image as CoreImage
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ColorProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.image import Image

from nafitha.gui.automation import visible_widgets
from nafitha.gui.bidi_label import BidiLabel
from nafitha.gui.buttons import BigButton, IconButton, OutlinedButton
from nafitha.gui.theme import PALETTE, Colour

Builder.load_string(
    """
#:import PALETTE nafitha.gui.theme.PALETTE

<Header>:
    rows: 1
    size_hint_y: None
    height: app.scale * 150
    spacing: app.scale * 16
    orientation: "rl-tb" if app.state.rtl else "lr-tb"
    BigButton:
        name: "back"
        logical: app.tr("kiosk.back", app.state.lang)
        rtl: app.state.rtl
        font_size: app.scale * 34
        size_hint_x: None
        width: app.scale * 200 if root.show_back else 0
        opacity: 1 if root.show_back else 0
        disabled: not root.show_back
        background_color: PALETTE.secondary
        color: PALETTE.on_secondary
        on_release: app.back()
    BidiLabel:
        name: "title"
        logical: root.title
        rtl: app.state.rtl
        bold: True
        font_size: app.scale * (44 if len(root.title) < 26 else 36)
    LangSwitch:
        width: app.scale * 200
    BigButton:
        name: "home"
        logical: app.tr("kiosk.home", app.state.lang)
        rtl: app.state.rtl
        font_size: app.scale * 34
        size_hint_x: None
        width: app.scale * 200
        background_color: PALETTE.secondary
        color: PALETTE.on_secondary
        on_release: app.home()

<LangSwitch@BigButton>:
    name: "switch_lang"
    logical: app.tr("common.language_name", "en" if app.state.lang == "ar" else "ar")
    rtl: app.state.lang == "en"
    font_size: app.scale * 32
    size_hint_x: None
    background_color: PALETTE.surface
    color: PALETTE.text
    on_release: app.switch_lang()

<LangChoice@BigButton>:
    lang: "ar"
    name: "lang_" + self.lang
    logical: app.tr("common.language_name", self.lang)
    rtl: self.lang == "ar"
    font_size: app.scale * 38
    selectable: True
    selected: app.state.lang == self.lang
    background_color: PALETTE.primary if self.selected else PALETTE.surface
    color: PALETTE.on_primary if self.selected else PALETTE.text
    on_release: app.set_lang(self.lang)

<Banner>:
    size_hint_y: None
    height: max(root.reserve, (label.height + app.scale * 30) if root.text else 0)
    opacity: 1 if root.text else 0
    padding: app.scale * 20, app.scale * 15
    canvas.before:
        Color:
            rgba: root.background_color
        RoundedRectangle:
            pos: self.pos
            size: self.size
            radius: [app.scale * 14]
    BidiLabel:
        id: label
        name: root.name + "_text" if root.name else ""
        logical: root.text
        rtl: app.state.rtl
        auto_height: True
        color: root.text_color
        font_size: app.scale * 36
        bold: True

<IdleWarning>:
    canvas.before:
        Color:
            rgba: PALETTE.background  # the question alone on screen
        Rectangle:
            pos: self.pos
            size: self.size
    BoxLayout:
        orientation: "vertical"
        size_hint: 0.86, None
        height: app.scale * 640  # fixed: the countdown changing every second relays out nothing
        pos_hint: {"center_x": 0.5, "center_y": 0.5}
        padding: app.scale * 40
        spacing: app.scale * 30
        canvas.before:
            Color:
                rgba: PALETTE.surface
            RoundedRectangle:
                pos: self.pos
                size: self.size
                radius: [app.scale * 24]
            Color:
                rgba: PALETTE.outline
            Line:
                rounded_rectangle: (self.x, self.y, self.width, self.height, app.scale * 24)
                width: 2
        BidiLabel:
            name: "idle_question"
            logical: app.tr("kiosk.idle_question", app.state.lang)
            rtl: app.state.rtl
            align: "center"
            bold: True
            font_size: app.scale * 56
            size_hint_y: None
            height: app.scale * 130
        BidiLabel:
            name: "idle_countdown"
            logical: app.tr("kiosk.idle_countdown", app.state.lang, seconds=max(1, root.left))
            rtl: app.state.rtl
            align: "center"
            font_size: app.scale * 40
            size_hint_y: None
            height: app.scale * 60
        BigButton:
            name: "more_time"
            logical: app.tr("kiosk.idle_more_time", app.state.lang)
            rtl: app.state.rtl
            font_size: app.scale * 48
            size_hint_y: None
            height: app.scale * 170
            on_release: app.more_time()
        BigButton:
            name: "idle_home"
            logical: app.tr("kiosk.idle_start_over", app.state.lang)
            rtl: app.state.rtl
            font_size: app.scale * 38
            size_hint_y: None
            height: app.scale * 130
            background_color: PALETTE.secondary
            color: PALETTE.on_secondary
            on_release: app.home()
"""
)


class Header(GridLayout):
    """Back, the screen's title, the other language, home: mirrored in Arabic."""

    title = StringProperty("")
    show_back = BooleanProperty(True)


class Banner(BoxLayout):
    """A coloured message box that takes no room while it has no text."""

    name = StringProperty("")
    text = StringProperty("")
    background_color = ColorProperty(PALETTE.danger)
    text_color = ColorProperty(PALETTE.on_danger)
    reserve = NumericProperty(0)
    """Room kept while empty: a banner above a keypad must not move the keys when it comes and
    goes (a finger aimed at one key lands on the next)."""


class IdleWarning(FloatLayout):
    """The idle warning over the whole window, with the seconds left; any touch gives more time."""

    left = NumericProperty(0)  # the app's ``state.idle_left``; kept at 1 or more while shown

    def on_touch_down(self, touch: object) -> bool:
        super().on_touch_down(touch)
        return True  # nothing under the warning is pressed by the touch that dismisses it


def button_colours(background: Colour) -> list[dict[str, object]]:
    """Every visible button's fill, text colour and drawn border, for the contrast test."""
    found = []
    for widget in visible_widgets():
        if not isinstance(widget, OutlinedButton) or widget.opacity == 0:
            continue
        text = widget.text_color if isinstance(widget, IconButton) else widget.color
        border = widget.edge(
            widget.background_color, widget.border_color, widget.selected, widget.disabled
        )
        found.append(
            {
                "name": widget.name,
                "kind": "icon" if isinstance(widget, IconButton) else "text",
                "fill": list(widget.background_color),
                "text": list(text),
                "border": list(border),
                "disabled": bool(widget.disabled),
                "selectable": bool(widget.selectable),
                "selected": bool(widget.selected),
                "background": list(background),
            }
        )
    return found


class QrImage(Image):
    """A QR code of ``data``, drawn crisp (nearest neighbour) with a quiet zone."""

    name = StringProperty("")
    data = StringProperty("")

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("fit_mode", "contain")  # as large as the room allows, never cropped
        super().__init__(**kwargs)

    def on_data(self, _instance: object, data: str) -> None:
        if not data:
            self.texture = None
            return
        import qrcode

        code = qrcode.QRCode(border=4, box_size=8)
        code.add_data(data)
        code.make(fit=True)
        buffer = io.BytesIO()
        code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
        buffer.seek(0)
        texture = CoreImage(buffer, ext="png").texture
        texture.mag_filter = "nearest"
        texture.min_filter = "nearest"
        self.texture = texture


__all__ = ["Banner", "BidiLabel", "BigButton", "Header", "IdleWarning", "QrImage"]
