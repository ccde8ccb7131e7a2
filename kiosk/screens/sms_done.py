"""The opt-in's confirmation: to which number (masked) and when the messages will come."""

from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)


class SmsDoneScreen(KioskScreen):
    screen_name = "sms_done"
