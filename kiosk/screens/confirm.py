"""Confirm the service and choose a priority (elderly, special needs); the tap that issues."""

from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)


class ConfirmScreen(KioskScreen):
    screen_name = "confirm"
