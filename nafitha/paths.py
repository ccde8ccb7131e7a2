"""Where the shipped files live, found from the source tree, never from the working directory."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
FONTS = ASSETS / "fonts"
I18N = ASSETS / "i18n"
SOUNDS = ASSETS / "sounds"
IMAGES = ASSETS / "images"
DEMO = ASSETS / "demo"

FONT_REGULAR = FONTS / "Vazirmatn-Regular.ttf"
FONT_BOLD = FONTS / "Vazirmatn-Bold.ttf"
