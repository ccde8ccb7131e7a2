"""The kiosk app: screens, the state they show, and the actions their buttons call.

The app is given its core objects (settings, server client, printer, scanner) rather than making
them, so tests and the demo choose real or dummy ones. Every server or printer call goes through
:class:`~nafitha.gui.background.Background`; nothing here waits on the network.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import NumericProperty
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk.alerts import AlertOutbox
from kiosk.appointment_booking import BookingFlow
from kiosk.appointments import CheckInFlow
from kiosk.catalog import Catalog, parse_catalog, queue_text
from kiosk.complaints import ComplaintFlow
from kiosk.config import KioskSettings
from kiosk.control import IDLE_WARNING_S, control_commands
from kiosk.cutoff import needs_person, past_cutoff, person_complete
from kiosk.issuing import TicketIssuer
from kiosk.printer_watch import PrinterWatch
from kiosk.printing import TicketPrinter, print_phase_text, queue_figures
from kiosk.reprint import ReprintFlow
from kiosk.sms_optin import SmsOptinFlow
from kiosk.state import KioskState
from kiosk.tracking import FileLookup
from nafitha.gui.automation import serve_control
from nafitha.gui.background import Background
from nafitha.gui.fonts import register_fonts
from nafitha.gui.theme import PALETTE
from nafitha.reference import LENGTH, kind_of
from nafitha.reference import normalize as compact
from nafitha.scanner import DummyScanner, ScanError, Scanner
from nafitha.text import both, t
from printers.queue_words import queue_lines

log = logging.getLogger("nafitha.kiosk")

CATALOG_REFRESH_S = 15.0  # the services' queue figures (waiting, about how long) stay fresh
# Screens a scan does not leave: a ticket on its way or on screen, and the keypads and keyboards
# where a citizen is typing (a scan there, often of the ticket just printed, would throw away
# what was typed).
SCANS_IGNORED_ON = (
    "issuing", "ticket", "confirm", "appointment_confirm",
    "sms_optin", "complaint_phone", "complaint_text", "person",
)  # fmt: skip
BACK = {
    "categories": "welcome",
    "services": "categories",
    "track_entry": "welcome",
    "track_result": "track_entry",
    "reprint_entry": "welcome",  # reprint my ticket (kiosk/reprint.py)
    "reprint_result": "welcome",
    "cutoff": "services",  # a service past its cut-off (kiosk/cutoff.py)
    "person": "confirm",  # who takes the ticket, for a limited service
    "sms_optin": "ticket",  # text me when my turn is near (kiosk/sms_optin.py)
    "appointment_entry": "welcome",  # I have an appointment (kiosk/appointments.py)
    "appointment_result": "welcome",
    "appointment_services": "welcome",  # book an appointment (kiosk/appointment_booking.py)
    "appointment_days": "appointment_services",
    "appointment_slots": "appointment_days",
    "appointment_confirm": "appointment_slots",
    "appointment_slip": "welcome",
}


class KioskApp(App):
    title = "Nafitha kiosk"
    scale = NumericProperty(1.0)

    def __init__(
        self,
        settings: KioskSettings,
        client: Any,
        printer: TicketPrinter,
        scanner: Scanner | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.settings = settings
        self.client = client
        self.printer = printer
        self.scanner = scanner or DummyScanner()
        self.state = KioskState(lang=settings.lang)
        self.started_at = time.perf_counter()
        self.first_frame_s: float | None = None
        self.idle_timeout_s = settings.idle_timeout_s
        self.idle_warning_s = IDLE_WARNING_S
        self.ticket_screen_s = settings.ticket_screen_s
        self._last_touch = time.monotonic()
        self._ticket_since: float | None = None
        self._confirm_back = "services"
        self._catalog_event: Any = None
        self.taps = 0  # touches since the last return to welcome: the path's length, for tests

    # ------------------------------------------------------------------ building
    def build(self) -> ScreenManager:
        from kiosk.screens import SCREENS
        from kiosk.widgets import Header  # noqa: F401 - registers the kv rules the screens use

        register_fonts()
        Window.clearcolor = PALETTE.background
        self.background = Background(workers=3, name="kiosk-io")
        self.alerts = AlertOutbox(self.background, self.client, self.settings.device_name)
        self.issuer = TicketIssuer(
            self.state,
            self.background,
            self.client,
            self.printer,
            self.alerts,
            self.go,
            self.settings.retry_interval_s,
        )
        self.lookup = FileLookup(self.state, self.background, self.client, self.go)
        self.reprint = ReprintFlow(
            self.state, self.background, self.client, self.printer, self.alerts, self.go
        )
        self.printer_watch = PrinterWatch(self.state, self.background, self.printer)
        self.complaints = ComplaintFlow(  # complaints and suggestions (kiosk/complaints.py)
            self.state, self.background, self.client, self.printer, self.alerts, self.go
        )
        self.sms = SmsOptinFlow(self.state, self.background, self.client, self.go)  # docs/sms.md
        self.booking = BookingFlow(
            self.state, self.background, self.client, self.printer, self.alerts, self.go
        )
        self.checkin = CheckInFlow(
            self.state,
            self.background,
            self.client,
            self.printer,
            self.alerts,
            self.go,
            lambda: self.booking.early_checkin_min,
        )
        Window.bind(on_resize=self._resized)
        self._resized(Window, *Window.size)
        self.manager = ScreenManager(transition=NoTransition())
        for screen in SCREENS:
            self.manager.add_widget(screen())
        self.state.bind(catalog=self._catalog_changed, idle_left=self._idle_changed)
        from kiosk.widgets import IdleWarning

        self.idle_warning = IdleWarning()
        Window.bind(on_touch_down=self._touched, on_key_down=self._touched)
        Window.bind(on_touch_down=self._count_tap)
        Clock.schedule_interval(self._tick, 0.5)
        return self.manager

    def on_start(self) -> None:
        self.scanner.start(self._scanned_on_any_thread, self._scan_error_on_any_thread)
        self._load_catalog()
        serve_control(self.control_commands())
        Clock.schedule_once(self._first_frame, 0)

    def on_stop(self) -> None:
        self.scanner.stop()
        self.background.shutdown()

    def _first_frame(self, _dt: float) -> None:
        self.first_frame_s = time.perf_counter() - self.started_at

    def _resized(self, _window: Any, width: int, height: int) -> None:
        self.scale = min(width, height) / 1080
        self.state.portrait = height >= width

    # ------------------------------------------------------------------ texts for the kv files
    def tr(self, key: str, lang: str, **params: Any) -> str:
        return t(key, lang, **params)

    @staticmethod
    def field(data: Any, *path: str) -> Any:
        """``data[path[0]][path[1]]…`` or "" when any step is missing.

        The kv files call this with the state's dict as an argument: kv re-evaluates an expression
        when an argument property changes, but not a ``dict.get`` chain on it.
        """
        for key in path:
            if not isinstance(data, dict) or key not in data or data[key] is None:
                return ""
            data = data[key]
        return data

    def center_name(self, lang: str, catalog: Catalog) -> str:
        return catalog.center_name.get(lang) or t("common.center_name", lang)

    def service_name(self, service_id: str, lang: str, catalog: Catalog) -> str:
        service = catalog.services.get(service_id)
        return service.title(lang) if service else ""

    def wait_text(self, ticket: dict[str, Any], lang: str) -> str:
        """The ticket's queue lines: the paper's very words (:mod:`printers.queue_words`)."""
        if not ticket:
            return ""
        ahead, minutes, callable_ = queue_figures(ticket)
        return "\n".join(queue_lines(ahead, minutes, callable_, lang))

    def queue_text(self, service_id: str, lang: str, catalog: Catalog) -> str:
        service = catalog.services.get(service_id)
        return queue_text(service, lang) if service else ""

    def documents_of(self, service_id: str, catalog: Catalog, track: dict[str, Any]) -> list:
        """What the confirm screen lists: a return visit's missing documents, else the service's."""
        if self.state.file_reference:
            return [dict(d) for d in track.get("missing_documents") or ()]
        service = catalog.services.get(service_id)
        return [dict(d) for d in service.documents] if service else []

    def printer_text(self, printer: dict[str, Any], lang: str) -> str:
        """The welcome screen's word on the printer: empty while it can print."""
        if not printer or printer.get("can_print", True):
            return ""
        reason = (printer.get("message") or {}).get(lang, "")
        return t("kiosk.printer_down", lang, reason=reason)

    def print_text(self, phase: str, error: dict[str, Any], lang: str) -> str:
        return print_phase_text(phase, error, lang, printed="kiosk.take_ticket")

    # ------------------------------------------------------------------ navigation
    def go(self, name: str) -> None:
        self._last_touch = time.monotonic()
        if name == "ticket":
            self._ticket_since = None
        self.manager.current = name
        self.state.history.append(name)

    def back(self) -> None:
        current = self.manager.current
        if current == "confirm":
            self.go(self._confirm_back)
        elif current.startswith("complaint_"):
            self.complaints.back(current)
        else:
            self.go(BACK.get(current, "welcome"))

    def home(self) -> None:
        """Back to the welcome screen in the default language, whatever was under way."""
        self.issuer.cancel()
        self.issuer.finish()
        self.reprint.reset()
        self.complaints.reset()
        self.sms.reset()
        self.checkin.reset()
        self.booking.reset()
        self.state.start_over(self.settings.lang)
        self.go("welcome")
        self.taps = 0

    def switch_lang(self) -> None:
        self.state.lang = "en" if self.state.lang == "ar" else "ar"

    def set_lang(self, lang: str) -> None:
        self.state.lang = lang

    # ------------------------------------------------------------------ the ticket flow
    def start_ticket(self) -> None:
        """ "Get a ticket": straight to the categories in the language already chosen on welcome."""
        self.state.category_id = self.state.service_id = self.state.file_reference = ""
        self.state.page = 0
        self.go("categories")
        self._load_catalog()  # fresh queue figures for the service buttons

    def choose_category(self, category_id: str) -> None:
        self.state.category_id = category_id
        self.state.page = 0
        self.go("services")

    def choose_service(self, service_id: str) -> None:
        self.state.service_id = service_id
        self.state.file_reference = self.state.person_input = ""
        self.state.priority = "none"
        self._confirm_back = "services"
        self.go("cutoff" if past_cutoff(self.state.catalog.services.get(service_id)) else "confirm")

    def quick_service(self, service_id: str) -> None:
        """From the welcome screen: straight to confirming (the second tap prints)."""
        service = self.state.catalog.services.get(service_id)
        if service is None or not service.is_open:
            return
        self.state.service_id = service_id
        self.state.category_id = service.category
        self.state.file_reference = self.state.person_input = ""
        self.state.priority = "none"
        self._confirm_back = "welcome"
        self.go("cutoff" if past_cutoff(service) else "confirm")

    def set_priority(self, choice: str) -> None:
        self.state.priority = choice

    def confirm(self) -> None:
        """Issue; a service limiting tickets per person first asks who takes it."""
        service = self.state.catalog.services.get(self.state.service_id)
        if needs_person(service) and not person_complete(
            self.state.person_input, service.identify_by
        ):
            self.go("person")
            return
        self.issuer.confirm()

    def cancel_issue(self) -> None:
        refused = self.state.issue_phase == "refused"
        self.issuer.cancel()
        if refused and self.state.category_id:
            self.go("services")
        elif refused:
            self.go("welcome")
        else:
            self.go("confirm")

    # ------------------------------------------------------------------ where is my file
    def key_in(self, symbol: str) -> None:
        if len(compact(self.state.reference_input)) < LENGTH:
            self.state.reference_input = compact(self.state.reference_input + symbol)
        self.state.track_error = {}
        self.state.scan_error = {}

    def key_back(self) -> None:
        self.state.reference_input = self.state.reference_input[:-1]
        self.state.track_error = {}

    def key_clear(self) -> None:
        self.state.reference_input = ""
        self.state.track_error = {}

    def search(self) -> None:
        """Look the file up; a booking code typed here is a check-in and a complaint reference
        shows its answer (one keypad, any code). A one-symbol typo of a file reference passes
        another kind's check one time in 31: when no booking or complaint has the code either,
        the keypad says so and keeps it to correct, instead of "no such booking"."""
        typed = self.state.reference_input
        kind = kind_of(typed)
        if kind == "booking":
            self.checkin.typed_on_track(typed, self._unknown_code)
        elif kind == "complaint":
            self.complaints.look_up(typed, self._unknown_code)
        else:
            self.lookup.look_up(typed)

    def _unknown_code(self) -> None:
        """Nothing at this center has the code typed at "where is my file?"."""
        self.state.track = {}
        self.state.track_error = {
            "code": "reference_mistyped",
            "message": both("kiosk.track_unknown_code"),
        }
        self.state.track_phase = "failed"
        self.go("track_entry")

    def ticket_for_file(self) -> None:
        """A return visit: a ticket for the file's service, linked to the file."""
        track = self.state.track
        if not track.get("waits_on_citizen"):
            return
        self.state.file_reference = compact(track.get("reference", ""))
        self.state.service_id = (track.get("service") or {}).get("id", "")
        self.state.priority = "none"  # not asked: the server ranks a return visit itself
        self._confirm_back = "track_result"
        self.go("confirm")

    def scanned(self, text: str) -> None:
        """A code from the scanner (on the UI thread): look the file up, from any calm screen."""
        self._last_touch = time.monotonic()
        if self.manager.current in SCANS_IGNORED_ON:
            return
        if self.reprint.scanned(text):  # a ticket's QR: print it again
            return
        if self.manager.current == "track_entry" and "://" not in text:
            self.state.reference_input = compact(text)  # a bare code: as if typed here
            self.search()
            return
        if self.checkin.scanned(text):  # a booking's or a phone place's code: its ticket
            return
        if self.complaints.scanned(text):  # a complaint slip: its status and answer
            return
        if self.manager.current != "track_entry":
            self.go("track_entry")
        self.lookup.look_up(text)

    def _scanned_on_any_thread(self, text: str) -> None:
        Clock.schedule_once(lambda _dt: self.scanned(text), 0)

    def _scan_error_on_any_thread(self, error: ScanError) -> None:
        def show(_dt: float) -> None:
            self.state.scan_error = {"code": error.code, "message": dict(error.message)}
            if error.code == "device_lost":  # reported once per loss: staff should plug it back
                self.alerts.send("scanner_lost", both("kiosk.alert_scanner_lost"))

        Clock.schedule_once(show, 0)

    # ------------------------------------------------------------------ the catalog
    def _load_catalog(self, *_: object) -> None:
        self._schedule_catalog(None)  # a load asked for now replaces the one that was due
        self.background.run(self.client.services, self._catalog_loaded, self._catalog_failed)

    def _schedule_catalog(self, delay: float | None) -> None:
        """One refresh due at a time: each load ends by asking for the next, so without the
        cancel every early load ("get a ticket") would start one more endless refresh loop."""
        if self._catalog_event is not None:
            self._catalog_event.cancel()
            self._catalog_event = None
        if delay is not None:
            self._catalog_event = Clock.schedule_once(self._load_catalog, delay)

    def _catalog_loaded(self, payload: dict[str, Any]) -> None:
        self.state.catalog = parse_catalog(payload)
        self.state.catalog_loaded = True
        self.state.server_ok = True
        self.booking.refresh_offer()  # whether the welcome screen offers appointments
        self.alerts.flush()
        self._schedule_catalog(CATALOG_REFRESH_S)

    def _catalog_failed(self, error: Exception) -> None:
        log.warning("services not loaded: %r", error)
        self.state.server_ok = False
        self._schedule_catalog(self.settings.retry_interval_s)

    def _catalog_changed(self, *_: object) -> None:
        if self.manager.current in ("welcome", "categories", "services"):
            self.manager.current_screen.refresh()

    # ------------------------------------------------------------------ idle and timers
    def _touched(self, *_: object) -> None:
        self._last_touch = time.monotonic()
        self.state.idle_left = 0

    def _idle_changed(self, _state: object, left: float) -> None:
        """Show "need more time?" over everything while the countdown runs."""
        if left:
            self.idle_warning.left = left
        if left and self.idle_warning.parent is None:
            Window.add_widget(self.idle_warning)
        elif not left and self.idle_warning.parent is not None:
            # later, so the touch that dismissed the warning is swallowed by it, not by a button
            Clock.schedule_once(lambda _dt: self._hide_idle_warning(), 0)

    def _hide_idle_warning(self) -> None:
        if not self.state.idle_left and self.idle_warning.parent is not None:
            Window.remove_widget(self.idle_warning)

    def _count_tap(self, *_: object) -> None:
        self.taps += 1

    def more_time(self) -> None:
        """ "Yes, more time": the idle countdown starts over."""
        self._touched()

    def _tick(self, _dt: float) -> None:
        now = time.monotonic()
        current = self.manager.current
        self.printer_watch.tick(now, calm=current == "welcome")
        if current == "ticket" and self.state.print_phase in ("printed", "failed"):
            if self._ticket_since is None:
                self._ticket_since = now
            limit = self.ticket_screen_s
            if self.state.print_phase == "failed":
                limit *= 3
            if now - max(self._ticket_since, self._last_touch) > limit:
                self.home()
            return
        idle = now - self._last_touch
        if current != "welcome" and idle > self.idle_timeout_s:
            self.home()
        elif current != "welcome" and current != "issuing":
            warn = min(self.idle_warning_s, self.idle_timeout_s / 2)
            left = self.idle_timeout_s - idle
            self.state.idle_left = max(1, math.ceil(left)) if left <= warn else 0
        elif (
            current == "welcome"
            and self.state.lang != self.settings.lang
            and now - self._last_touch > self.idle_timeout_s
        ):
            self.state.lang = self.settings.lang

    # ------------------------------------------------------------------ automation (tests, bench)
    def control_commands(self) -> dict[str, Any]:
        return control_commands(self)
