"""Arabic first, then English: the choice that sets direction and texts for the whole visit."""

from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)


class LanguageScreen(KioskScreen):
    screen_name = "language"
