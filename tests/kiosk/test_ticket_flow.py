"""A citizen gets a ticket at the real kiosk (Xvfb) from a real server, on the virtual printer."""

from __future__ import annotations

import time

import pytest
import zxingcpp
from PIL import Image

from printers.virtual import VirtualPrinter
from tests.kiosk.driver import Kiosk, Portrait, arabic_ocr, english_ocr

pytestmark = pytest.mark.gui

SERVICE = "civil-extract"
CATEGORY = "civil-status"
SERVICE_AR = "إخراج قيد فردي"


@pytest.fixture
def fresh(portrait: Portrait) -> Kiosk:
    portrait.kiosk.home()
    return portrait.kiosk


@pytest.fixture
def paper(portrait: Portrait) -> VirtualPrinter:
    return portrait.paper


def waiting(manager, service: str) -> int:
    queue = manager.queue()
    rows = queue.get("services", queue)
    for row in rows:
        if row.get("service") == service or row.get("id") == service:
            return int(row.get("waiting", 0))
    return 0


def decoded_qr(page: Image.Image) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(page.convert("L"))]


def test_arabic_path_from_welcome_to_a_printed_ticket(fresh: Kiosk, manager, paper: VirtualPrinter):
    kiosk = fresh
    pages_before = len(paper.pages)
    waiting_before = waiting(manager, SERVICE)
    kiosk.shot("ar_welcome")
    kiosk.tap_to("get_ticket", "categories")
    kiosk.shot("ar_categories")
    kiosk.tap_to(f"category_{CATEGORY}", "services")
    services_png = kiosk.shot("ar_services")
    kiosk.tap_to(f"service_{SERVICE}", "confirm")
    kiosk.tap("priority_elderly")
    kiosk.wait_state(lambda s: s["priority"] == "elderly", "the priority choice")
    kiosk.shot("ar_confirm")
    kiosk.tap_to("print_ticket", "ticket")
    state = kiosk.wait_state(lambda s: s["print_phase"] == "printed", "the ticket to print")
    kiosk.shot("ar_ticket")

    ticket = state["ticket"]
    assert state["lang"] == "ar" and state["rtl"]
    # the server holds exactly this one ticket, with the priority chosen
    assert waiting(manager, SERVICE) == waiting_before + 1
    stored = manager.ticket(ticket["id"])
    assert stored["number"] == ticket["number"] and stored["priority"] is True
    assert stored["service"]["id"] == SERVICE
    # the paper: one page whose QR code is the ticket's phone page
    page = paper.wait_for_pages(pages_before + 1)[-1]
    assert decoded_qr(page) == [ticket["status_url"]]
    # the screen: the number in big, and Arabic a reader (OCR) reads word for word
    assert ticket["number"] in kiosk.texts("ticket_number")
    assert SERVICE_AR in arabic_ocr(services_png)


def test_english_path_shows_english_left_to_right(fresh: Kiosk, paper: VirtualPrinter):
    kiosk = fresh
    kiosk.tap("lang_en")
    kiosk.wait_state(lambda s: s["lang"] == "en", "English")
    kiosk.shot("en_welcome")
    kiosk.tap_to("get_ticket", "categories")
    kiosk.shot("en_categories")
    kiosk.tap_to(f"category_{CATEGORY}", "services")
    services_png = kiosk.shot("en_services")
    kiosk.tap_to(f"service_{SERVICE}", "confirm")
    kiosk.shot("en_confirm")
    kiosk.tap_to("print_ticket", "ticket")
    state = kiosk.wait_state(lambda s: s["print_phase"] == "printed", "the ticket to print")
    kiosk.shot("en_ticket")
    assert not state["rtl"] and state["priority"] == "none"
    assert "Individual civil status extract" in english_ocr(services_png)


def test_two_taps_from_welcome_to_a_ticket_for_a_common_service(
    fresh: Kiosk, paper: VirtualPrinter
):
    kiosk = fresh
    pages_before = len(paper.pages)
    quick = [n for n in kiosk.names() if n.startswith("quick_") and n != "quick_title"]
    assert len(quick) >= 3
    kiosk.tap_to(quick[0], "confirm")  # tap one
    kiosk.tap_to("print_ticket", "ticket")  # tap two
    state = kiosk.wait_state(lambda s: s["print_phase"] == "printed", "the ticket to print")
    assert state["service_id"] == quick[0].removeprefix("quick_")
    assert len(paper.wait_for_pages(pages_before + 1)) == pages_before + 1


def print_in_english(kiosk: Kiosk) -> None:
    """The whole path in English, from the welcome screen to a printed ticket."""
    kiosk.tap("lang_en")
    kiosk.wait_state(lambda s: s["lang"] == "en", "English")
    kiosk.tap_to("get_ticket", "categories")
    kiosk.tap_to(f"category_{CATEGORY}", "services")
    kiosk.tap_to(f"service_{SERVICE}", "confirm")
    kiosk.tap_to("print_ticket", "ticket")
    kiosk.wait_state(lambda s: s["print_phase"] == "printed", "the ticket to print")


def test_done_on_the_ticket_screen_returns_to_welcome_in_the_default_language(fresh: Kiosk):
    kiosk = fresh
    print_in_english(kiosk)
    kiosk.tap_to("done", "welcome")
    state = kiosk.state()
    assert state["lang"] == "ar" and state["ticket"] == {} and state["service_id"] == ""


def test_the_ticket_screen_returns_to_welcome_by_itself_after_its_time(fresh: Kiosk):
    """A citizen takes the ticket and walks away: the next one finds the welcome screen."""
    kiosk = fresh
    kiosk.app.call("ticket_screen_timeout", seconds=3)
    try:
        print_in_english(kiosk)
        printed = time.monotonic()
        assert kiosk.state()["screen"] == "ticket"
        state = kiosk.wait_state(lambda s: s["screen"] == "welcome", "the return to welcome", 15)
        assert time.monotonic() - printed >= 2.5  # the ticket stayed on screen for its time
    finally:
        kiosk.app.call("ticket_screen_timeout", seconds=15)
    assert state["lang"] == "ar" and state["ticket"] == {} and state["service_id"] == ""


def test_back_and_header_buttons_are_mirrored_in_arabic(fresh: Kiosk):
    kiosk = fresh
    kiosk.tap_to("get_ticket", "categories")
    back_ar = kiosk.app.call("describe", name="back")["pos"][0]
    kiosk.tap("switch_lang")
    kiosk.wait_state(lambda s: s["lang"] == "en", "English")
    kiosk.shot("en_categories_switched")
    back_en = kiosk.app.call("describe", name="back")["pos"][0]
    width = kiosk.app.call("window_size")[0]
    assert back_ar > width / 2 > back_en  # right edge in Arabic, left edge in English
    kiosk.tap_to("back", "welcome")


def test_idle_anywhere_returns_to_welcome_and_resets_the_language(fresh: Kiosk):
    kiosk = fresh
    kiosk.tap("lang_en")
    kiosk.wait_state(lambda s: s["lang"] == "en", "English")
    kiosk.tap_to("get_ticket", "categories")
    kiosk.tap_to(f"category_{CATEGORY}", "services")
    kiosk.app.call("idle_timeout", seconds=2)
    try:
        state = kiosk.wait_state(lambda s: s["screen"] == "welcome", "the idle return", 15)
    finally:
        kiosk.app.call("idle_timeout", seconds=60)
    assert (
        state["lang"] == "ar" and state["category_id"] == "" and state["history"][-2] == "services"
    )
