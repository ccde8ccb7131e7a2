"""The kiosk's screens: one class and one ``.kv`` file each, all reachable by name."""

from kiosk.screens.appointment_confirm import AppointmentConfirmScreen
from kiosk.screens.appointment_days import AppointmentDaysScreen
from kiosk.screens.appointment_entry import AppointmentEntryScreen
from kiosk.screens.appointment_result import AppointmentResultScreen
from kiosk.screens.appointment_services import AppointmentServicesScreen
from kiosk.screens.appointment_slip import AppointmentSlipScreen
from kiosk.screens.appointment_slots import AppointmentSlotsScreen
from kiosk.screens.categories import CategoriesScreen
from kiosk.screens.complaint_choose import ComplaintChooseScreen
from kiosk.screens.complaint_done import ComplaintDoneScreen
from kiosk.screens.complaint_phone import ComplaintPhoneScreen
from kiosk.screens.complaint_result import ComplaintResultScreen
from kiosk.screens.complaint_text import ComplaintTextScreen
from kiosk.screens.confirm import ConfirmScreen
from kiosk.screens.cutoff_notice import CutoffScreen
from kiosk.screens.issuing import IssuingScreen
from kiosk.screens.person import PersonScreen
from kiosk.screens.reprint_entry import ReprintEntryScreen
from kiosk.screens.reprint_result import ReprintResultScreen
from kiosk.screens.services import ServicesScreen
from kiosk.screens.sms_done import SmsDoneScreen
from kiosk.screens.sms_optin import SmsOptinScreen
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
    SmsOptinScreen,
    SmsDoneScreen,
    TrackEntryScreen,
    TrackResultScreen,
    ReprintEntryScreen,
    ReprintResultScreen,
    ComplaintChooseScreen,  # issue 20: complaints and suggestions (kiosk/complaints.py)
    ComplaintTextScreen,
    ComplaintPhoneScreen,
    ComplaintDoneScreen,
    ComplaintResultScreen,
    AppointmentEntryScreen,  # issue 19: check in, confirm a phone place (kiosk/appointments.py)
    AppointmentResultScreen,
    AppointmentServicesScreen,  # book at the kiosk (kiosk/appointment_booking.py)
    AppointmentDaysScreen,
    AppointmentSlotsScreen,
    AppointmentConfirmScreen,
    AppointmentSlipScreen,
)
