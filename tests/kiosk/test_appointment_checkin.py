"""Checking in for an appointment, and confirming a place taken from a phone, on the real kiosk
(Xvfb) against a real server process and the virtual printer (tests/kiosk/appointment_center.py:
the center's local time is about 10:00 in a zone that is neither the kiosk's nor the server's).

By a line on the serial scanner's pty (the booking's /a/<code> QR, the slip's bare barcode, a
place's /p/<token> QR) and by the code typed on the keypad; a typo caught on the keypad without
the server; every refusal on its own screen, in Arabic and English, with its times in the
center's zone; a late arrival's walk-in ticket. The printed tickets are decoded from the bytes
the printer received and read back (Tesseract, zxing)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nafitha.formats import format_time
from nafitha.reference import ALPHABET
from tests.kiosk.appointment_center import (
    AppointmentKiosk,
    appointment_kiosk,
    move_slot_into_the_past,
)
from tests.kiosk.driver import Kiosk, arabic_ocr, english_ocr
from tests.support.ocr import ocr_paper
from tests.support.reprint_paper import qr_texts

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def center(
    display: str, artifacts: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppointmentKiosk]:
    with appointment_kiosk(tmp_path_factory.mktemp("appointments"), artifacts) as running:
        yield running


@pytest.fixture
def kiosk(center: AppointmentKiosk) -> Kiosk:
    center.kiosk.home()
    return center.kiosk


def choose_language(kiosk: Kiosk, lang: str) -> None:
    if kiosk.state()["lang"] != lang:
        kiosk.tap(f"lang_{lang}")
        kiosk.wait_state(lambda s: s["lang"] == lang, f"the {lang} layout")


def settled(kiosk: Kiosk) -> dict:
    """The check-in's end: printed, failed to print, or refused."""
    return kiosk.wait_state(
        lambda s: s["checkin"]["phase"] in ("printed", "failed", "refused"), "the check-in"
    )


def type_code(kiosk: Kiosk, code: str) -> None:
    kiosk.tap_to("have_appointment", "appointment_entry")
    for symbol in code.replace("-", ""):
        kiosk.tap(f"booking_key_{symbol}")
    kiosk.wait_state(lambda s: s["checkin"]["typed"] == code.replace("-", ""), "the typed code")


def read_paper(center: AppointmentKiosk, pages: int, name: str) -> tuple:
    page = center.paper.wait_for_pages(pages + 1)[-1]
    page.save(center.kiosk.artifacts / f"paper_{name}.png")
    return page, qr_texts(page)


@pytest.mark.parametrize(("how", "lang"), [("scan", "ar"), ("typed", "en")])
def test_an_appointment_on_time_prints_its_ticket_with_the_slot(
    center: AppointmentKiosk, kiosk: Kiosk, how: str, lang: str, tmp_path: Path
) -> None:
    booking = center.book(after_min=0)  # the next slot: within the hour check-in opens before
    slot = format_time(booking["at"], center.zone)
    assert slot == booking["start"]
    choose_language(kiosk, lang)
    pages = len(center.paper.pages)
    if how == "scan":
        center.scan(booking["url"])  # the QR of the slip or of the phone page
    else:
        type_code(kiosk, booking["code"])
        kiosk.shot(f"appointment_entry_{lang}")
        kiosk.tap("booking_check_in")
    state = settled(kiosk)
    checkin = state["checkin"]
    assert checkin["phase"] == "printed", checkin
    assert checkin["outcome"] == "checked_in" and checkin["how"] == how
    assert state["screen"] == "appointment_result"
    ticket = checkin["ticket"]
    assert ticket["appointment_code"] == booking["code"]

    screen = kiosk.shot(f"appointment_checked_in_{how}_{lang}")
    line = " ".join(kiosk.texts("result_ticket_line"))
    if lang == "ar":  # read as a reader would: shaped, right to left
        assert line == f"تذكرة موعد — الساعة {slot}"
        read = arabic_ocr(screen)
        assert f"موعدك الساعة {slot}" in read and "تذكرة موعد" in read, read
    else:
        assert line == f"Appointment ticket — {slot}"
        read = " ".join(english_ocr(screen).split())
        assert f"Your appointment is at {slot}" in read, read
    assert ticket["number"] in " ".join(kiosk.texts("result_number"))

    page, qrs = read_paper(center, pages, f"appointment_ticket_{how}_{lang}")
    assert qrs == [ticket["status_url"]]
    words = ocr_paper(page, "ara" if lang == "ar" else "eng", tmp_path, psm="6")
    assert ("تذكرة موعد" if lang == "ar" else "Appointment ticket") in words, words
    assert slot in words, words

    seen = center.citizen().appointment(booking["code"])
    assert seen["status"] == "checked_in" and seen["ticket_number"] == ticket["number"]


def test_the_slips_barcode_is_a_bare_code_and_checks_in_too(
    center: AppointmentKiosk, kiosk: Kiosk
) -> None:
    booking = center.book(after_min=0)
    center.scan(booking["code"].replace("-", ""))  # what a 1D scanner reads from the slip
    checkin = settled(kiosk)["checkin"]
    assert checkin["outcome"] == "checked_in" and checkin["phase"] == "printed", checkin


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_typo_is_caught_on_the_keypad_without_asking_the_server(
    center: AppointmentKiosk, kiosk: Kiosk, lang: str
) -> None:
    booking = center.book(day_offset=1)
    code = booking["code"].replace("-", "")
    wrong = code[:3] + next(s for s in ALPHABET if s != code[3]) + code[4:]
    choose_language(kiosk, lang)
    type_code(kiosk, wrong)
    kiosk.tap("booking_check_in")
    state = kiosk.wait_state(lambda s: s["checkin"]["phase"] == "refused", "the typo")
    assert state["checkin"]["error"]["code"] == "reference_mistyped"
    assert state["screen"] == "appointment_entry"  # the code stays, to correct one symbol
    shown = " ".join(kiosk.texts("booking_error"))
    expected = {"ar": "رمز الحجز هذا غير صحيح", "en": "This booking code is not right"}[lang]
    assert expected in shown, shown
    kiosk.shot(f"appointment_typo_{lang}")
    assert center.citizen().appointment(booking["code"])["status"] == "booked"


REFUSALS = {
    # outcome: (title ar, title en, words of the body OCR must read ar, en)
    "too_early": ("وصلت مبكراً", "You are early", "لتسجيل حضورك", "Come back at"),
    "wrong_day": (
        "موعدك ليس اليوم",
        "Your appointment is not today",
        "في ذلك اليوم",
        "Check in on that day",
    ),
    "already": (
        "سجّلت حضورك من قبل",
        "You have already checked in",
        "حجزك هذا أخذ التذكرة",
        "This booking already has ticket",
    ),
    "cancelled": (
        "هذا الحجز ملغى",
        "This booking was cancelled",
        "يمكنك أخذ تذكرة",
        "You can take a ticket",
    ),
}


def refused_booking(center: AppointmentKiosk, outcome: str) -> tuple[dict, str]:
    """A booking the kiosk must refuse as ``outcome``, and the words its screen must hold."""
    zone = center.zone
    if outcome == "too_early":
        booking = center.book(after_min=150)  # check-in opens 60 minutes before
        come_back = format_time(booking["at"] - 3600, zone)
        return booking, come_back
    if outcome == "wrong_day":
        booking = center.book(day_offset=2)
        return booking, "/".join(reversed(booking["day"].split("-")))
    booking = center.book(after_min=0)
    if outcome == "already":
        ticket = center.server.client(center.server.kiosk_tokens[1]).check_in(booking["code"])
        return booking, ticket["ticket"]["number"]
    center.clerk().cancel_appointment(booking["code"])
    return booking, ""


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("outcome", list(REFUSALS))
def test_each_refusal_has_its_own_clear_screen_and_prints_nothing(
    center: AppointmentKiosk, kiosk: Kiosk, outcome: str, lang: str
) -> None:
    booking, detail = refused_booking(center, outcome)
    choose_language(kiosk, lang)
    pages = len(center.paper.pages)
    center.scan(booking["url"])
    state = settled(kiosk)
    checkin = state["checkin"]
    assert checkin["phase"] == "refused" and checkin["outcome"] == outcome, checkin
    assert state["screen"] == "appointment_result"
    title = " ".join(kiosk.texts("result_title"))
    assert title == REFUSALS[outcome][0 if lang == "ar" else 1]
    body = " ".join(kiosk.texts("result_reason"))
    assert detail in body, body  # come back at HH:MM, the day, the ticket it already has
    if outcome in ("too_early", "wrong_day"):
        assert format_time(booking["at"], center.zone) in body, body  # the slot, center's zone
    screen = kiosk.shot(f"appointment_{outcome}_{lang}")
    read = arabic_ocr(screen) if lang == "ar" else " ".join(english_ocr(screen).split())
    assert REFUSALS[outcome][2 if lang == "ar" else 3] in read, read
    # the number's letter is read as a digit at times (P as 6): its digits must be there
    assert (detail.split("-")[-1] if outcome == "already" else detail) in read, read
    assert len(center.paper.pages) == pages  # nothing printed


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_late_beyond_the_grace_gets_a_walk_in_ticket_and_is_told(
    center: AppointmentKiosk, kiosk: Kiosk, lang: str, tmp_path: Path
) -> None:
    booking = center.book(after_min=0)
    slot = move_slot_into_the_past(center.server.db, booking["code"], center.zone, 40)
    choose_language(kiosk, lang)
    pages = len(center.paper.pages)
    center.scan(booking["url"])
    state = settled(kiosk)
    checkin = state["checkin"]
    assert checkin["phase"] == "printed" and checkin["outcome"] == "late", checkin
    assert checkin["ticket"]["appointment_at"] is None  # a walk-in's ticket
    body = " ".join(kiosk.texts("result_body"))
    assert slot in body, body
    assert kiosk.texts("result_ticket_line") in ([], [""])  # no appointment line on screen
    kiosk.shot(f"appointment_late_{lang}")
    page, qrs = read_paper(center, pages, f"appointment_late_{lang}")
    assert qrs == [checkin["ticket"]["status_url"]]
    words = ocr_paper(page, "ara" if lang == "ar" else "eng", tmp_path, psm="6")
    assert ("تذكرة موعد" if lang == "ar" else "Appointment ticket") not in words, words


def test_a_place_taken_on_a_phone_is_confirmed_by_scanning_its_qr(
    center: AppointmentKiosk, kiosk: Kiosk, tmp_path: Path
) -> None:
    center.server.login("clerk8", counter="c8")  # counter 8 opens: work permits are served
    phone = center.citizen()
    place = phone.join_queue("work-permit", "+963991234567", "ar")
    link = place["qr"]  # what the place's QR on the phone holds: its /p/<token> page
    assert link == f"{center.server.url}/p/{place['token']}"
    pages = len(center.paper.pages)
    center.scan(link)
    state = settled(kiosk)
    checkin = state["checkin"]
    assert checkin["kind"] == "place" and checkin["outcome"] == "place", checkin
    assert checkin["phase"] == "printed"
    ticket = checkin["ticket"]
    assert ticket["service"]["id"] == "work-permit"
    assert " ".join(kiosk.texts("result_title")) == "تم تأكيد مكانك"
    kiosk.shot("place_confirmed_ar")
    _, qrs = read_paper(center, pages, "place_ticket_ar")
    assert qrs == [ticket["status_url"]]
    assert phone.place(place["token"])["state"] == "confirmed"

    kiosk.home()
    center.scan(link)  # scanned again: the same ticket, never a second one
    again = settled(kiosk)["checkin"]
    assert again["ticket"]["id"] == ticket["id"], again


def test_a_booking_code_typed_on_the_where_is_my_file_keypad_checks_in(
    center: AppointmentKiosk, kiosk: Kiosk
) -> None:
    booking = center.book(after_min=0)
    choose_language(kiosk, "en")
    kiosk.tap_to("track_file", "track_entry")
    for symbol in booking["code"].replace("-", ""):
        kiosk.tap(f"key_{symbol}")
    kiosk.wait_state(
        lambda s: s["reference_input"] == booking["code"].replace("-", ""), "the typed code"
    )
    kiosk.tap("search")
    state = settled(kiosk)
    assert state["checkin"]["outcome"] == "checked_in", state["checkin"]
    assert state["track_phase"] != "failed"  # never refused as a mistyped file reference
