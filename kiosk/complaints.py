"""A complaint or suggestion at the kiosk, and following one by its reference.

Filing: kind → what it is about (a service, today's visit, the center) → [which service] → a
common topic (one touch: typing on a screen is hard for many) → optional words on an on-screen
keyboard (Arabic or Latin letters) → [an optional phone for the answer, only when the center
sends messages] → sent: a slip is printed with the reference, labelled "complaint reference",
and the date the answer is due. Anonymous unless a phone is given. The server decides and
numbers; nothing is kept here once the kiosk starts over.

Following: a complaint reference typed at "where is my file?" or scanned (the slip's Code128 or
QR) shows its status and the answer (:func:`kiosk.app.KioskApp.search` routes by kind).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kivy.clock import Clock
from kivy.event import EventDispatcher
from kivy.properties import DictProperty, OptionProperty, StringProperty

from kiosk.alerts import AlertOutbox
from kiosk.complaint_lookup import ComplaintLookup, call_error
from kiosk.printing import print_phase_text
from kiosk.state import KioskState
from nafitha.formats import format_date
from nafitha.gui.background import Background
from nafitha.text import LANGS, both, t
from printers.complaint_slip import ComplaintSlip, render_complaint_slip
from printers.errors import PrinterError

log = logging.getLogger("nafitha.kiosk")

TEXT_MAX = 300  # what a kiosk keyboard lets one type (the server takes up to 1000)
PHONE_DIGITS = (6, 15)
ARABIC_KEYS = "ضصثقفغعهخحجدشسيبلاتنمكطذئءؤرىةوزظأإآ"
LATIN_KEYS = "QWERTYUIOPASDFGHJKLZXCVBNM"
# Digits (the same Western digits both languages print) and the punctuation people write with
# them: an amount, a date, a ticket number, a question, in Arabic or in English.
DIGIT_KEYS = "1234567890.،,؟?!:-/%"  # two full rows of ten
STEPS = ("kind", "about", "service", "topic")


class ComplaintState(EventDispatcher):
    """What the complaint screens show; written on the UI thread only."""

    phase = OptionProperty(
        "idle",
        options=["idle", "loading", "ready", "failed", "sending", "refused", "printing",
                 "printed", "print_failed"],
    )  # fmt: skip
    step = OptionProperty("kind", options=list(STEPS))
    options = DictProperty({})
    choice = DictProperty({})  # kind, about, service, topic chosen so far
    text = StringProperty("")
    letters = OptionProperty("ar", options=["ar", "en", "digits"])  # the keyboard's keys
    phone = StringProperty("")
    filed = DictProperty({})  # the server's answer
    error = DictProperty({})
    print_error = DictProperty({})
    found = DictProperty({})  # a complaint looked up by reference

    def reset(self, lang: str) -> None:
        self.phase = "idle"
        self.step = "kind"
        self.choice = {}
        self.text = ""
        self.letters = "ar" if lang == "ar" else "en"
        self.phone = ""
        self.filed = {}
        self.error = {}
        self.print_error = {}
        self.found = {}


class ComplaintFlow:
    def __init__(
        self,
        kiosk: KioskState,
        background: Background,
        client: Any,
        printer: Any,
        alerts: AlertOutbox,
        go: Callable[[str], None],
    ) -> None:
        self.kiosk = kiosk
        self.state = ComplaintState()
        self.background = background
        self.client = client
        self.printer = printer
        self.alerts = alerts
        self.go = go
        self._asked = 0
        self.lookup = ComplaintLookup(kiosk, self.state, background, client, go)

    def reset(self) -> None:
        self._asked += 1
        self.lookup.reset()
        self.state.reset(self.kiosk.lang)

    # ------------------------------------------------------------------ choosing
    def start(self) -> None:
        """ "Complaint or suggestion" on the welcome screen."""
        self.reset()
        self.go("complaint_choose")
        self._asked += 1
        asked = self._asked
        self.state.phase = "loading"

        def loaded(answer: dict[str, Any]) -> None:
            if asked == self._asked:
                self.kiosk.server_ok = True
                self.state.options = answer
                self.state.phase = "ready"

        def failed(error: Exception) -> None:
            if asked == self._asked:
                self.state.error = call_error(self.kiosk, error)
                self.state.phase = "failed"

        self.background.run(self.client.complaint_options, loaded, failed)

    def choices(self, step: str, options: dict[str, Any], choice: dict[str, Any]) -> list:
        """(id, bilingual name) of the buttons the current step offers."""
        if not options:
            return []
        if step == "kind":
            return [(k["id"], k["name"]) for k in options.get("kinds", ())]
        if step == "about":
            return [(a["id"], a["name"]) for a in options.get("abouts", ())]
        if step == "service":
            return [(s["id"], s["name"]) for s in options.get("services", ())]
        kind = next((k for k in options.get("kinds", ()) if k["id"] == choice.get("kind")), None)
        return [(topic["id"], topic["name"]) for topic in (kind or {}).get("topics", ())]

    def title(self, step: str, lang: str) -> str:
        key = {"kind": "k_choose_kind", "about": "k_choose_about", "service": "k_choose_service"}
        return t(f"complaints.{key.get(step, 'k_choose_topic')}", lang)

    def choose(self, value: str) -> None:
        state = self.state
        choice = dict(state.choice)
        choice[state.step] = value
        state.choice = choice
        state.error = {}
        if state.step == "kind":
            state.step = "about"
        elif state.step == "about":
            state.step = "service" if value == "service" else "topic"
        elif state.step == "service":
            state.step = "topic"
        else:
            self.go("complaint_text")

    def back(self, screen: str) -> None:
        """The header's back: one step back within the complaint's screens."""
        state = self.state
        if screen == "complaint_choose":
            if state.step == "kind":
                self.go("welcome")
                return
            previous = {"about": "kind", "service": "about"}
            about = state.choice.get("about")
            state.step = previous.get(state.step, "service" if about == "service" else "about")
        elif screen == "complaint_text":
            self.go("complaint_choose")
        elif screen == "complaint_phone":
            self.go("complaint_text")
        elif screen == "complaint_result":
            self.go("track_entry")
        else:
            self.go("welcome")

    # ------------------------------------------------------------------ the keyboard
    def keys(self, letters: str) -> str:
        return {"ar": ARABIC_KEYS, "en": LATIN_KEYS}.get(letters, DIGIT_KEYS)

    def type_key(self, key: str) -> None:
        state = self.state
        if key == "erase":
            state.text = state.text[:-1]
        elif key == "clear":
            state.text = ""
        elif key == "letters":  # from digits, back to the language's letters
            if state.letters == "digits":
                state.letters = "ar" if self.kiosk.lang == "ar" else "en"
            else:
                state.letters = "en" if state.letters == "ar" else "ar"
        elif key == "digits":
            state.letters = "digits"
        elif len(state.text) < TEXT_MAX:
            state.text += " " if key == "space" else key

    def text_done(self) -> None:
        if self.state.options.get("sms"):
            self.go("complaint_phone")
        else:
            self.send()

    def phone_key(self, key: str) -> None:
        state = self.state
        if key == "clear":
            state.phone = ""
        elif key == "erase":
            state.phone = state.phone[:-1]
        elif key.isdigit() and len(state.phone) < PHONE_DIGITS[1]:
            state.phone += key
        state.error = {}

    def phone_ok(self, phone: str) -> bool:
        return phone.isdigit() and PHONE_DIGITS[0] <= len(phone) <= PHONE_DIGITS[1]

    # ------------------------------------------------------------------ sending and printing
    def send(self, with_phone: bool = False) -> None:
        state = self.state
        if state.phase in ("sending", "printing"):
            return
        phone = state.phone if with_phone and self.phone_ok(state.phone) else None
        choice = dict(state.choice)
        body = {
            "kind": choice.get("kind"),
            "about": choice.get("about"),
            "service": choice.get("service"),
            "topic": choice.get("topic"),
            "text": state.text.strip() or None,
            "anonymous": phone is None,
            "phone": phone,
            "lang": self.kiosk.lang,
        }
        self._asked += 1
        asked = self._asked
        lang = self.kiosk.lang
        catalog = self.kiosk.catalog
        state.error = {}
        state.phase = "sending"
        names = self._names(choice)

        def work() -> tuple[dict[str, Any], dict[str, Any]]:
            answer = self.client.file_complaint(**body)
            Clock.schedule_once(lambda _dt: self._filed(asked, answer), 0)
            slip = ComplaintSlip(
                center_name=dict(catalog.center_name) or both("common.center_name"),
                reference=str(answer["reference"]),
                url=str(answer["url"]),
                kind_name=names[0],
                topic_name=names[1],
                deadline=str(answer["deadline"]),
                timezone=catalog.timezone,
                lang=lang,
            )
            try:
                self.printer.print_image(render_complaint_slip(slip, self.printer.options(lang)))
                return answer, {}
            except PrinterError as error:
                return answer, {"code": error.code, "message": dict(error.message)}
            except Exception as exc:  # filed: a print bug must not look refused
                log.error("printing complaint slip %s failed: %r", answer.get("reference"), exc)
                return answer, {"code": "unexpected", "message": both("kiosk.error_unexpected")}

        self.background.run(
            work,
            lambda result: self._printed(asked, *result),
            lambda error: self._refused(asked, error),
        )

    def _names(self, choice: dict[str, Any]) -> tuple[dict[str, str], dict[str, str] | None]:
        options = self.state.options
        kind = next((k for k in options.get("kinds", ()) if k["id"] == choice.get("kind")), {})
        topic = next((x for x in kind.get("topics", ()) if x["id"] == choice.get("topic")), None)
        return dict(kind.get("name") or both("complaints.slip_title")), (
            dict(topic["name"]) if topic else None
        )

    def _filed(self, asked: int, answer: dict[str, Any]) -> None:
        if asked != self._asked:
            return
        self.kiosk.server_ok = True
        self.state.filed = dict(answer)
        self.state.text = ""  # not kept on screen once sent
        self.state.phone = ""
        self.state.phase = "printing"
        self.go("complaint_done")

    def _printed(self, asked: int, answer: dict[str, Any], problem: dict[str, Any]) -> None:
        if asked != self._asked:
            return
        if not problem:
            self.state.phase = "printed"
            return
        self.state.phase = "print_failed"
        self.state.print_error = problem
        reason = dict(problem.get("message") or both("kiosk.error_unexpected"))
        message = {
            lang: t(
                "kiosk.print_failed", lang, reason=f"{answer.get('reference', '')} {reason[lang]}"
            )
            for lang in LANGS
        }
        self.alerts.send(f"printer_{problem.get('code', 'unexpected')}", message)

    def _refused(self, asked: int, error: Exception) -> None:
        if asked != self._asked:
            return
        self.state.error = call_error(self.kiosk, error)
        self.state.phase = "refused"

    # ------------------------------------------------------------------ following one
    def scanned(self, text: str) -> bool:
        """A scanned complaint reference: its status and answer (else False, not one)."""
        return self.lookup.scanned(text)

    def look_up(self, reference: str, on_unknown: Callable[[], None] | None = None) -> None:
        self.lookup.look_up(reference, on_unknown)

    # ------------------------------------------------------------------ texts for the screens
    def deadline_text(self, filed: dict[str, Any], lang: str) -> str:
        deadline = filed.get("deadline")
        if not deadline:
            return ""
        return t(
            "complaints.k_deadline", lang, date=format_date(deadline, self.kiosk.catalog.timezone)
        )

    def next_text(self, text: str, lang: str) -> str:
        """ "Continue" once something is typed, else "continue without writing"."""
        return t("complaints.k_next" if text.strip() else "complaints.k_skip", lang)

    def print_text(self, phase: str, print_error: dict[str, Any], lang: str) -> str:
        return print_phase_text(phase, print_error, lang, printed=None, failed_phase="print_failed")

    def snapshot(self) -> dict[str, Any]:
        state = self.state
        return {
            "phase": state.phase,
            "step": state.step,
            "choice": dict(state.choice),
            "text": state.text,
            "letters": state.letters,
            "phone_digits": len(state.phone),
            "sms": bool(state.options.get("sms")),
            "filed": dict(state.filed),
            "error": dict(state.error),
            "print_error": dict(state.print_error),
            "found": dict(state.found),
        }
