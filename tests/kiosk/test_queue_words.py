"""The server's queue figures at the real kiosk and on its paper: the same words, never rounded
again, "no counter serving" said before the ticket is taken, and "paper out" said on welcome."""

from __future__ import annotations

import pytest

from kiosk.catalog import parse_catalog, queue_text
from nafitha.formats import format_wait
from printers.queue_words import queue_lines
from tests.kiosk.driver import Kiosk, Portrait, english_ocr

pytestmark = pytest.mark.gui

CATEGORY = "civil-status"
SERVED = "family-extract"  # counter c1 serves it, and it is opened below
UNSERVED = "birth-registration"  # only counter c3 serves it, and c3 stays closed


@pytest.fixture(scope="module")
def counter_open(portrait: Portrait):
    """A clerk signed in at c1, and two citizens already waiting for SERVED."""
    clerk = portrait.server.login("clerk1", "c1")
    kiosk_client = portrait.server.client(token=portrait.server.kiosk_token)
    for _ in range(2):
        kiosk_client.issue_ticket(SERVED)
    return clerk


@pytest.fixture
def fresh(portrait: Portrait, counter_open) -> Kiosk:
    portrait.kiosk.home()
    return portrait.kiosk


def english_words(path) -> str:
    return " ".join(english_ocr(path, block=True).split())


def to_services(kiosk: Kiosk) -> None:
    kiosk.tap("lang_en")
    kiosk.wait_state(lambda s: s["lang"] == "en", "English")
    kiosk.tap_to("get_ticket", "categories")
    kiosk.tap_to(f"category_{CATEGORY}", "services")


def test_service_buttons_say_who_waits_and_how_long_or_that_nobody_serves(
    fresh: Kiosk, portrait: Portrait, artifacts
):
    kiosk = fresh
    to_services(kiosk)
    catalog = parse_catalog(portrait.server.client().services())
    served, unserved = catalog.services[SERVED], catalog.services[UNSERVED]
    assert served.queue.callable and served.queue.waiting >= 2 and not unserved.queue.callable
    expected = queue_text(served, "en")
    assert format_wait(served.queue.wait_minutes, "en") in expected  # the server's figure
    kiosk.app.wait_for(
        lambda: expected in kiosk.texts(f"service_{SERVED}"), 20, "the queue on the button"
    )
    assert "No counter is serving this service right now" in kiosk.texts(f"service_{UNSERVED}")
    kiosk.shot("en_services_queue")


def test_an_unserved_service_says_so_before_the_ticket_and_the_ticket_never_says_next(
    fresh: Kiosk, portrait: Portrait
):
    kiosk = fresh
    pages = len(portrait.paper.pages)
    to_services(kiosk)
    kiosk.tap_to(f"service_{UNSERVED}", "confirm")
    notice = " ".join(kiosk.texts("confirm_notice"))
    assert "No counter is serving this service right now" in notice
    kiosk.shot("en_confirm_unserved")
    kiosk.tap_to("print_ticket", "ticket")
    state = kiosk.wait_state(lambda s: s["print_phase"] == "printed", "the ticket to print")
    ticket = state["ticket"]
    assert ticket["callable"] is False and ticket["wait_minutes"] is None
    screen = " ".join(kiosk.texts("ticket_wait"))
    assert "No counter is serving this service" in screen and "next" not in screen.lower()
    page = portrait.paper.wait_for_pages(pages + 1)[-1]
    path = kiosk.artifacts / "kiosk_paper_unserved.png"
    page.save(path)
    words = english_words(path)
    assert "No counter is serving this service" in words and "next" not in words.lower()


def test_screen_and_paper_show_the_servers_wait_in_the_same_words(fresh: Kiosk, portrait: Portrait):
    kiosk = fresh
    pages = len(portrait.paper.pages)
    to_services(kiosk)
    kiosk.tap_to(f"service_{SERVED}", "confirm")
    kiosk.tap_to("print_ticket", "ticket")
    state = kiosk.wait_state(lambda s: s["print_phase"] == "printed", "the ticket to print")
    ticket = state["ticket"]
    assert ticket["callable"] and ticket["people_ahead"] >= 2
    lines = queue_lines(ticket["people_ahead"], ticket["wait_minutes"], True, "en")
    assert format_wait(ticket["wait_minutes"], "en") in lines[-1]  # the server's one rounding
    assert kiosk.texts("ticket_wait") == ["\n".join(lines)]
    kiosk.shot("en_ticket_wait")
    page = portrait.paper.wait_for_pages(pages + 1)[-1]
    path = kiosk.artifacts / "kiosk_paper_wait.png"
    page.save(path)
    words = english_words(path)
    assert all(line in words for line in lines), (lines, words)


def test_paper_out_is_said_on_the_welcome_screen_before_anyone_commits(
    fresh: Kiosk, portrait: Portrait
):
    kiosk, paper = fresh, portrait.paper
    kiosk.app.call("printer_check", seconds=1)
    try:
        paper.state = "paper_out"
        kiosk.app.wait_for(
            lambda: any(text.strip() for text in kiosk.texts("printer_banner")),
            15,
            "the printer banner",
        )
        assert kiosk.state()["printer"]["state"] == "paper_out"
        assert any("الطابعة" in text for text in kiosk.texts("printer_banner"))
        kiosk.shot("ar_welcome_paper_out")
        paper.state = "ok"
        kiosk.app.wait_for(
            lambda: not any(text.strip() for text in kiosk.texts("printer_banner")),
            15,
            "the banner to go once the paper is back",
        )
    finally:
        paper.state = "ok"
        kiosk.app.call("printer_check", seconds=20)
