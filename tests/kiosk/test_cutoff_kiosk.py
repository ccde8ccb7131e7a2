"""The honest cut-off and the person prompt on the real kiosk (Xvfb), against a real server
whose center is ``tests/support/cutoff_center.py`` (local time about 10:00 in a fixed-offset zone,
hours around now, two services limiting tickets per person)."""

from __future__ import annotations

from pathlib import Path

import pytest

from printers.virtual import VirtualPrinter
from tests.kiosk.driver import Kiosk, arabic_ocr, english_ocr, start_kiosk
from tests.support.cutoff_center import BY_ID, BY_PHONE, CATEGORY, LAST, LATE, cutoff_center
from tests.support.server import start_server

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def setup(display: str, artifacts: Path, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("cutoff-kiosk")
    center, times = cutoff_center(root)
    server = start_server(root / "server", center=center, ignore_hours=False)
    try:
        with VirtualPrinter(out_dir=root / "paper") as paper:
            kiosk = start_kiosk(
                root / "kiosk",
                artifacts,
                server.url,
                paper.url,
                settings={"quick_services": [LATE, LAST]},
            )
            try:
                yield kiosk, server, paper, times
            finally:
                kiosk.close()
    finally:
        server.stop()


def to_services(kiosk: Kiosk, lang: str) -> None:
    kiosk.home()
    if lang == "en":
        kiosk.tap("lang_en")
        kiosk.wait_state(lambda s: s["lang"] == "en", "English")
    kiosk.tap_to("get_ticket", "categories")
    kiosk.tap_to(f"category_{CATEGORY}", "services")


def button_text(kiosk: Kiosk, service: str) -> str:
    return " ".join(kiosk.texts(f"service_{service}"))


def test_the_buttons_tell_the_last_ticket_and_the_late_one_explains_without_issuing(setup):
    kiosk, server, paper, times = setup
    for lang in ("en", "ar"):
        to_services(kiosk, lang)
        kiosk.wait_for_name(f"service_{LATE}")
        shot = kiosk.shot(f"cutoff_services_{lang}")
        late, last = button_text(kiosk, LATE), button_text(kiosk, LAST)
        if lang == "en":
            assert f"No more tickets today (closes {times['late_close']})" in late
            assert f"Last ticket today: {times['last_ticket']}" in last
            read = english_ocr(shot)
            assert "No more tickets today" in read and times["last_ticket"] in read
        else:
            assert f"لا تذاكر جديدة اليوم (الإغلاق {times['late_close']})" in late
            assert f"آخر تذكرة اليوم: {times['last_ticket']}" in last
            assert "تذكرة" in arabic_ocr(shot)
        pages = len(paper.pages)
        kiosk.tap_to(f"service_{LATE}", "cutoff")
        notice = " ".join(kiosk.texts("cutoff_notice"))
        assert times["late_close"] in notice
        assert ("No ticket was issued" if lang == "en" else "لم تُصدر أي تذكرة") in notice
        kiosk.shot(f"cutoff_notice_{lang}")
        assert kiosk.state()["issue_phase"] == "idle" and len(paper.pages) == pages
        kiosk.tap_to("cutoff_back", "services")
    # nothing was issued for the late service: the server agrees with the button
    queue = server.login("manager").queue()
    rows = {row.get("service") or row.get("id"): row for row in queue.get("services", [])}
    assert rows.get(LATE, {}).get("waiting", 0) == 0


def type_digits(kiosk: Kiosk, digits: str, shown: int | None = None) -> None:
    for digit in digits:
        kiosk.tap(f"person_key_{digit}")
    expected = len(digits) if shown is None else shown
    kiosk.wait_state(lambda s: s["person_digits"] == expected, "the digits typed")


def test_a_limited_service_asks_for_the_phone_and_refuses_a_second_ticket(setup):
    kiosk, _server, paper, _times = setup
    to_services(kiosk, "en")
    kiosk.tap_to(f"service_{BY_PHONE}", "confirm")
    kiosk.tap_to("print_ticket", "person")
    assert "Type your phone number" in " ".join(kiosk.texts())
    assert kiosk.app.call("describe", name="person_print")["disabled"] is True
    type_digits(kiosk, "0933123456")
    kiosk.shot("person_phone_en")
    pages = len(paper.pages)
    kiosk.tap_to("person_print", "ticket")
    kiosk.wait_state(lambda s: s["print_phase"] == "printed", "the ticket to print")
    assert len(paper.pages) == pages + 1
    # the same phone again: refused by the server, in the citizen's language, nothing printed
    to_services(kiosk, "en")
    kiosk.tap_to(f"service_{BY_PHONE}", "confirm")
    kiosk.tap_to("print_ticket", "person")
    assert kiosk.state()["person_digits"] == 0  # the last citizen's digits are gone
    type_digits(kiosk, "0933123456")
    kiosk.tap_to("person_print", "issuing")
    state = kiosk.wait_state(lambda s: s["issue_phase"] == "refused", "the refusal")
    assert state["refusal"]["code"] == "person_limit_reached"
    assert "limit" in " ".join(kiosk.texts("issue_problem"))
    kiosk.shot("person_refused_en")
    assert len(paper.pages) == pages + 1


def test_the_id_digits_prompt_in_arabic(setup):
    kiosk, _server, _paper, _times = setup
    to_services(kiosk, "ar")
    kiosk.tap_to(f"service_{BY_ID}", "confirm")
    kiosk.tap_to("print_ticket", "person")
    type_digits(kiosk, "123456", shown=4)  # the keypad stops at four
    shot = kiosk.shot("person_id_digits_ar")
    assert "آخر 4 أرقام" in " ".join(kiosk.texts())
    assert "الوطني" in arabic_ocr(shot)
    kiosk.tap_to("person_print", "ticket")
    kiosk.wait_state(lambda s: s["print_phase"] == "printed", "the ticket to print")


def test_the_welcome_shortcut_of_a_late_service_says_so_and_explains(setup):
    kiosk, _server, paper, times = setup
    kiosk.home()
    kiosk.tap("lang_en")
    kiosk.wait_state(lambda s: s["lang"] == "en", "English")
    kiosk.wait_for_name(f"quick_{LATE}")
    late = " ".join(kiosk.texts(f"quick_{LATE}"))
    assert f"No more tickets today (closes {times['late_close']})" in late
    assert "No more tickets" not in " ".join(kiosk.texts(f"quick_{LAST}"))
    kiosk.shot("cutoff_welcome_en")
    pages = len(paper.pages)
    kiosk.tap_to(f"quick_{LATE}", "cutoff")
    assert times["late_close"] in " ".join(kiosk.texts("cutoff_notice"))
    assert kiosk.state()["issue_phase"] == "idle" and len(paper.pages) == pages
