"""The kiosk's screens: one class and one ``.kv`` file each, all reachable by name."""

from kiosk.screens.categories import CategoriesScreen
from kiosk.screens.confirm import ConfirmScreen
from kiosk.screens.cutoff_notice import CutoffScreen
from kiosk.screens.issuing import IssuingScreen
from kiosk.screens.person import PersonScreen
from kiosk.screens.reprint_entry import ReprintEntryScreen
from kiosk.screens.reprint_result import ReprintResultScreen
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
    CutoffScreen,
    PersonScreen,
    IssuingScreen,
    TicketScreen,
    TrackEntryScreen,
    TrackResultScreen,
    ReprintEntryScreen,
    ReprintResultScreen,
)
