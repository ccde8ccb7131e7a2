"""Booking an appointment at the real kiosk (Xvfb) against a real server and the virtual printer,
end to end, in Arabic and in English: service → day → time → optional phone → the booking slip.

The slip is decoded from the bytes the printer received: its QR holds the server's /a/<code>
link, its barcode the code; Tesseract reads the service, the day and the time in the center's
zone. Then the citizen comes back on the day: the slip's own QR, scanned, checks the booking in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp

from nafitha.formats import format_date, format_time
from nafitha.paths import DEMO
from printers.virtual import VirtualPrinter
from tests.kiosk.appointment_center import BOOKABLE, AppointmentKiosk, appointment_kiosk
from tests.kiosk.driver import Kiosk, arabic_ocr, english_ocr, start_kiosk
from tests.support.ocr import ocr_paper
from tests.support.server import running_server

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def center(
    display: str, artifacts: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppointmentKiosk]:
    with appointment_kiosk(tmp_path_factory.mktemp("booking"), artifacts) as running:
        yield running


@pytest.fixture
def kiosk(center: AppointmentKiosk) -> Kiosk:
    center.kiosk.home()
    return center.kiosk


def choose_language(kiosk: Kiosk, lang: str) -> None:
    if kiosk.state()["lang"] != lang:
        kiosk.tap(f"lang_{lang}")
        kiosk.wait_state(lambda s: s["lang"] == lang, f"the {lang} layout")


def walk_to_confirm(kiosk: Kiosk, slot: dict) -> None:
    """Book appointment → the service → the slot's day → the slot: its confirm screen."""
    kiosk.tap_to("book_appointment", "appointment_services")
    kiosk.wait_for_name(f"book_service_{BOOKABLE}")
    kiosk.tap_to(f"book_service_{BOOKABLE}", "appointment_days")
    kiosk.wait_for_name(f"book_day_{slot['day']}")
    kiosk.tap_to(f"book_day_{slot['day']}", "appointment_slots")
    kiosk.tap_to("book_slot_" + slot["start"].replace(":", ""), "appointment_confirm")


def codes_on(image) -> dict[str, str]:
    return {str(r.format): r.text for r in zxingcpp.read_barcodes(image.convert("L"))}


@pytest.mark.parametrize(("lang", "phone"), [("ar", "0991234567"), ("en", "")])
def test_booking_at_the_kiosk_prints_a_slip_whose_qr_checks_in_on_the_day(
    center: AppointmentKiosk, kiosk: Kiosk, lang: str, phone: str, tmp_path: Path
) -> None:
    choose_language(kiosk, lang)
    kiosk.shot(f"booking_welcome_{lang}")
    kiosk.tap_to("book_appointment", "appointment_services")
    kiosk.wait_for_name(f"book_service_{BOOKABLE}")
    kiosk.shot(f"booking_services_{lang}")
    kiosk.tap_to(f"book_service_{BOOKABLE}", "appointment_days")
    state = kiosk.wait_state(lambda s: s["booking"]["days"], "the days")
    today = state["booking"]["days"][0]
    assert today["free"] > 0, today
    kiosk.shot(f"booking_days_{lang}")
    kiosk.tap_to(f"book_day_{today['day']}", "appointment_slots")
    slot = center.next_slot(0, 0)  # the first time still to come (earlier ones are not shown)
    name = "book_slot_" + slot["start"].replace(":", "")
    kiosk.wait_for_name(name)
    assert not any(n.startswith("book_slot_") and n < name for n in kiosk.names())
    kiosk.shot(f"booking_slots_{lang}")
    kiosk.tap_to(name, "appointment_confirm")
    summary = " ".join(kiosk.texts("book_summary"))
    assert slot["start"] in summary, summary
    for digit in phone:
        kiosk.tap(f"book_phone_{digit}")
    kiosk.wait_state(lambda s: s["booking"]["phone_digits"] == len(phone), "the phone typed")
    kiosk.shot(f"booking_confirm_{lang}")
    pages = len(center.paper.pages)
    kiosk.tap("book_print")
    state = kiosk.wait_state(
        lambda s: s["booking"]["phase"] in ("printed", "print_failed", "refused"), "the booking"
    )
    booking = state["booking"]["booking"]
    assert state["booking"]["phase"] == "printed", state["booking"]
    assert state["screen"] == "appointment_slip"
    assert booking["start"] == slot["start"] and booking["lang"] == lang
    assert state["booking"]["phone_digits"] == 0  # not kept on screen once booked
    screen = kiosk.shot(f"booking_slip_{lang}")
    assert " ".join(kiosk.texts("slip_code")) == booking["code"]
    if lang == "ar":
        read = arabic_ocr(screen)
        assert "تم حجز موعدك" in read or "احتفظ بالإيصال" in read, read
    else:
        assert "Your appointment is booked" in english_ocr(screen)

    stored = center.citizen().appointment(booking["code"])
    assert stored["status"] == "booked"
    assert bool(stored["phone_masked"]) == bool(phone)  # the number went only when typed

    page = center.paper.wait_for_pages(pages + 1)[-1]
    page.save(kiosk.artifacts / f"paper_kiosk_booking_slip_{lang}.png")
    codes = codes_on(page)
    assert codes.get("QR Code") == booking["url"] == f"{center.server.url}/a/{booking['code']}"
    assert codes.get("Code 128") == booking["code"].replace("-", "")
    day = format_date(booking["at"], center.zone)
    time = format_time(booking["at"], center.zone)
    if lang == "ar":
        words = " / ".join(ocr_paper(page, "ara", tmp_path, psm=psm) for psm in ("4", "6"))
        assert "تجديد جواز سفر" in words and day in words and f"من {time}" in words, words
    else:
        words = ocr_paper(page, "eng", tmp_path, psm="6")
        assert "Passport renewal" in words and day in words and f"{time} to" in words, words
        assert "The old passport" in words  # the documents to bring

    # on the day: the slip's QR, as decoded from the paper, checks the booking in
    kiosk.home()
    center.scan(codes["QR Code"])
    state = kiosk.wait_state(
        lambda s: s["checkin"]["phase"] in ("printed", "failed", "refused"), "the check-in"
    )
    assert state["checkin"]["outcome"] == "checked_in", state["checkin"]
    assert center.citizen().appointment(booking["code"])["status"] == "checked_in"


def test_a_slot_taken_meanwhile_is_refused_in_the_citizens_words_and_nothing_prints(
    center: AppointmentKiosk, kiosk: Kiosk
) -> None:
    choose_language(kiosk, "ar")
    slot = center.next_slot(1, 0)  # tomorrow's first time
    walk_to_confirm(kiosk, slot)
    for _ in range(slot["free"]):  # others book its last places on their phones meanwhile
        center.clerk().book(BOOKABLE, slot["day"], slot["start"], "ar")
    pages = len(center.paper.pages)
    kiosk.tap("book_print")
    state = kiosk.wait_state(lambda s: s["booking"]["phase"] == "refused", "the refusal")
    assert state["booking"]["error"]["code"] == "slot_full"
    assert state["screen"] == "appointment_confirm"
    shown = " ".join(kiosk.texts("book_error"))
    assert shown and not any("a" <= c.lower() <= "z" for c in shown), shown  # Arabic, no code
    kiosk.shot("booking_slot_full_ar")
    assert len(center.paper.pages) == pages
    # back to the times: the one just taken is read again as full, and cannot be chosen
    kiosk.tap_to("back", "appointment_slots")
    kiosk.wait_state(
        lambda s: (
            s["booking"]["days"] and any(d["day"] == slot["day"] for d in s["booking"]["days"])
        ),
        "the days read again",
    )
    name = "book_slot_" + slot["start"].replace(":", "")
    kiosk.app.wait_for(
        lambda: kiosk.app.call("describe", name=name)["disabled"], 20, "the full time greyed"
    )
    kiosk.shot("booking_slots_after_full_ar")


def test_a_center_with_nothing_bookable_shows_no_appointment_buttons(
    display: str, artifacts: Path, tmp_path: Path
) -> None:
    text = (DEMO / "center.toml").read_text(encoding="utf-8")
    center = tmp_path / "center.toml"
    center.write_text(re.sub(r"^appointments = true.*\n", "", text, flags=re.M), "utf-8")
    with (
        running_server(tmp_path / "server", center=center) as server,
        VirtualPrinter(out_dir=tmp_path / "paper") as paper,
    ):
        assert server.client().appointment_services()["services"] == []
        kiosk = start_kiosk(tmp_path / "kiosk", artifacts / "kiosk", server.url, paper.url)
        try:
            kiosk.wait_for_name("track_file")
            names = kiosk.names()
            assert "have_appointment" not in names and "book_appointment" not in names
            assert kiosk.state()["booking"]["offered"] is False
            kiosk.shot("welcome_nothing_bookable_ar")
            kiosk.tap_to("track_file", "track_entry")  # the others still where a finger expects
        finally:
            kiosk.close()


def test_a_slip_that_cannot_print_leaves_the_code_and_qr_on_screen_and_alerts_the_staff(
    center: AppointmentKiosk, kiosk: Kiosk
) -> None:
    slot = center.next_slot(3, 0)
    choose_language(kiosk, "en")
    center.paper.state = "paper_out"
    try:
        walk_to_confirm(kiosk, slot)
        kiosk.tap("book_print")
        state = kiosk.wait_state(
            lambda s: (
                s["booking"]["phase"] == "print_failed" and "printer_paper_out" in s["alerts_sent"]
            ),
            "the failed slip and its alert",
        )
    finally:
        center.paper.state = "ok"
    booking = state["booking"]["booking"]
    assert state["booking"]["print_error"]["code"] == "paper_out"
    assert state["screen"] == "appointment_slip"  # booked: the code and its QR stay on screen
    assert " ".join(kiosk.texts("slip_code")) == booking["code"]
    shown = " ".join(kiosk.texts("slip_print_status"))
    assert "booking slip could not be printed" in shown and "Your booking is made" in shown
    kiosk.shot("booking_slip_paper_out_en")
    alerts = center.server.login("manager").alerts()
    mine = [a for a in alerts if a["kind"] == "printer_paper_out"]
    assert mine and booking["code"] in mine[-1]["message"], alerts
    assert center.citizen().appointment(booking["code"])["status"] == "booked"
