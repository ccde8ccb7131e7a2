"""The issued ticket on screen, with its QR code: what a citizen keeps if the printer fails."""

from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)


class TicketScreen(KioskScreen):
    screen_name = "ticket"
