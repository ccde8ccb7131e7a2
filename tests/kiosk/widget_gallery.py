"""A small Kivy app showing the shared widgets, run in a child process by test_gui_widgets.py."""

from __future__ import annotations

import os

os.environ.setdefault("KIVY_NO_ARGS", "1")

from kivy.config import Config

Config.set("graphics", "width", "1000")
Config.set("graphics", "height", "900")

from kivy.app import App  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.uix.boxlayout import BoxLayout  # noqa: E402

from nafitha.gui.automation import serve_control  # noqa: E402
from nafitha.gui.bidi_label import BidiLabel  # noqa: E402
from nafitha.gui.buttons import BigButton, IconButton  # noqa: E402
from nafitha.gui.theme import PALETTE  # noqa: E402

ARABIC = "إخراج قيد فردي للمواطن صاحب التذكرة A-042 مع بطاقة الهوية وصورة شمسية حديثة"
ARABIC_SUBTITLE = "بطاقة هوية (جديدة أو بدل ضائع)"
ENGLISH_IN_ARABIC = "Identity card (new or replacement)"


class Gallery(App):
    taps = 0

    def build(self) -> BoxLayout:
        Window.clearcolor = PALETTE.background
        box = BoxLayout(orientation="vertical", padding=20, spacing=20)
        box.add_widget(
            BidiLabel(name="ar", logical=ARABIC, rtl=True, font_size=48, auto_height=True)
        )
        box.add_widget(BidiLabel(logical="Individual civil status extract", font_size=48))
        button = BigButton(name="count", logical="اضغط هنا", rtl=True, font_size=48)
        button.bind(on_release=self.count)
        box.add_widget(button)
        box.add_widget(IconButton(name="icon", title="جواز السفر", subtitle="مغلق", rtl=True))
        # an English layout with an Arabic subtitle, and an Arabic layout with an English line
        self.mixed_en = IconButton(
            name="mixed_en", title="Identity card", subtitle=ARABIC_SUBTITLE, rtl=False
        )
        self.mixed_ar = BidiLabel(name="mixed_ar", logical=ENGLISH_IN_ARABIC, rtl=True)
        box.add_widget(self.mixed_en)
        box.add_widget(self.mixed_ar)
        return box

    def count(self, *_: object) -> None:
        self.taps += 1

    def on_start(self) -> None:
        serve_control(
            {
                "taps": lambda: self.taps,
                # the lines as drawn (visual order), to check each line's own direction
                "drawn": lambda: {
                    "mixed_en": [ARABIC_SUBTITLE, self.mixed_en._subtitle.text],
                    "mixed_ar": [ENGLISH_IN_ARABIC, self.mixed_ar.text],
                },
            }
        )


if __name__ == "__main__":
    Gallery().run()
