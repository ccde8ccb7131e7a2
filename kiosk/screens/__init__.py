"""The kiosk's screens: one class and one ``.kv`` file each, all reachable by name."""

from kiosk.screens.categories import CategoriesScreen
from kiosk.screens.confirm import ConfirmScreen
from kiosk.screens.issuing import IssuingScreen
from kiosk.screens.services import ServicesScreen
from kiosk.screens.ticket import TicketScreen
from kiosk.screens.track_entry import TrackEntryScreen
from kiosk.screens.track_result import TrackResultScreen
from kiosk.screens.welcome import WelcomeScreen

SCREENS = (
    WelcomeScreen,
    CategoriesScreen,
    ServicesScreen,
    ConfirmScreen,
    IssuingScreen,
    TicketScreen,
    TrackEntryScreen,
    TrackResultScreen,
)
