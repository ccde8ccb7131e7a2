"""The kiosk's one state object: what the screens show, as Kivy properties they bind to.

Screens read it and call the app's actions; only the app's controllers write it. Nothing here is
business state: the server owns tickets and files; this is what this kiosk is showing right now.
"""

from __future__ import annotations

from kivy.event import EventDispatcher
from kivy.properties import (
    BooleanProperty,
    DictProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    OptionProperty,
    StringProperty,
)

from kiosk.catalog import Catalog
from nafitha.text import is_rtl


class KioskState(EventDispatcher):
    lang = StringProperty("ar")
    rtl = BooleanProperty(True)
    portrait = BooleanProperty(True)

    # the catalog, and whether the server answered lately
    catalog = ObjectProperty(Catalog(), rebind=True)
    server_ok = BooleanProperty(False)
    catalog_loaded = BooleanProperty(False)

    # the ticket being chosen
    category_id = StringProperty("")
    service_id = StringProperty("")
    page = NumericProperty(0)
    priority = OptionProperty("none", options=["none", "elderly", "special_needs"])
    file_reference = StringProperty("")  # a return visit: the ticket is linked to this file
    person_input = StringProperty("")  # a limited service: the phone or id digits (forgotten)

    # issuing: "idle" → "issuing" → ("waiting_server" ↺) → "issued" | "refused"
    issue_phase = OptionProperty(
        "idle", options=["idle", "issuing", "waiting_server", "issued", "refused"]
    )
    retry_in = NumericProperty(0)
    attempts = NumericProperty(0)
    ticket = DictProperty({})
    refusal = DictProperty({})  # {"code", "message": {"ar","en"}} from the server

    # printing: "none" → "printing" → "printed" | "failed"
    print_phase = OptionProperty("none", options=["none", "printing", "printed", "failed"])
    print_error = DictProperty({})  # {"code", "message"}
    alert_sent = BooleanProperty(False)

    # where is my file
    reference_input = StringProperty("")
    track_phase = OptionProperty("idle", options=["idle", "looking", "found", "failed"])
    track = DictProperty({})
    track_error = DictProperty({})  # {"code", "message"}
    scan_error = DictProperty({})

    # the printer as last asked ({"state", "can_print", "message"}); {} before the first answer
    printer = DictProperty({})
    # seconds left before the idle reset, while "need more time?" is shown; 0 otherwise
    idle_left = NumericProperty(0)

    # timings for the benchmark (monotonic seconds)
    timings = DictProperty({})
    history = ListProperty([])  # the screens visited, newest last (tests read it)

    def on_lang(self, _instance: object, lang: str) -> None:
        self.rtl = is_rtl(lang)

    def start_over(self, lang: str) -> None:
        """Back to a fresh welcome screen: nothing chosen, the default language."""
        self.lang = lang
        self.category_id = self.service_id = self.file_reference = self.person_input = ""
        self.page = 0
        self.priority = "none"
        self.issue_phase = "idle"
        self.retry_in = 0
        self.attempts = 0
        self.ticket = {}
        self.refusal = {}
        self.print_phase = "none"
        self.print_error = {}
        self.alert_sent = False
        self.reference_input = ""
        self.track_phase = "idle"
        self.track = {}
        self.track_error = {}
        self.scan_error = {}
        self.idle_left = 0
