"""While the server is asked: "issuing", "cannot reach the system, trying again", or a refusal."""

from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)


class IssuingScreen(KioskScreen):
    screen_name = "issuing"
