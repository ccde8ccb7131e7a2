"""The kiosk's composite widgets: the header bar, a message banner, the QR image.

They read the app's state (language, direction, scale) so every screen mirrors the same way.
"""

from __future__ import annotations

import io

from kivy.core.image import Image as CoreImage
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ColorProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.image import Image

import nafitha.gui.buttons  # noqa: F401 - registers BigButton and IconButton with the Factory
from nafitha.gui.bidi_label import BidiLabel
from nafitha.gui.theme import PALETTE

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
    BigButton:
        name: "switch_lang"
        logical: app.tr("common.language_name", "en" if app.state.lang == "ar" else "ar")
        rtl: app.state.lang == "en"
        font_size: app.scale * 32
        size_hint_x: None
        width: app.scale * 200
        background_color: PALETTE.surface
        color: PALETTE.text
        on_release: app.switch_lang()
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

<Banner>:
    size_hint_y: None
    height: (label.height + app.scale * 30) if root.text else 0
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


__all__ = ["Banner", "BidiLabel", "Header", "QrImage"]
