"""Where is my file: typed on the keypad or scanned by a serial scanner (a pty), at the kiosk; a
scanner unplugged at start is waited for and reported to the staff."""

from __future__ import annotations

import os
import re
import time
import tty
from pathlib import Path

import pytest

from nafitha.formats import format_datetime
from nafitha.reference import ALPHABET, kind_of, new_reference, normalize
from tests.kiosk.driver import Kiosk, Portrait, arabic_ocr, english_ocr, start_kiosk

pytestmark = pytest.mark.gui

SERVICE = "civil-extract"


@pytest.fixture(scope="module")
def clerk(portrait: Portrait):
    return portrait.server.login("clerk1", "c1")


@pytest.fixture(scope="module")
def waiting_file(clerk) -> str:
    """A file opened with one of its two documents: it waits on the citizen to bring the other."""
    answer = clerk.open_file(SERVICE, {"name": "Rana Haddad", "national_id": "123456"}, [0])
    return answer["reference"]


@pytest.fixture(scope="module")
def moving_file(clerk) -> str:
    """A complete file in the center's hands."""
    answer = clerk.open_file(SERVICE, {"name": "Omar Saleh"}, [0, 1], note="urgent")
    return answer["reference"]


@pytest.fixture
def fresh(portrait: Portrait) -> Kiosk:
    portrait.kiosk.home()
    return portrait.kiosk


def type_reference(kiosk: Kiosk, reference: str) -> None:
    kiosk.tap_to("track_file", "track_entry")
    for symbol in reference.replace("-", ""):
        kiosk.tap(f"key_{symbol}")
    kiosk.wait_state(
        lambda s: s["reference_input"] == reference.replace("-", ""), "the typed reference"
    )


def test_typing_a_reference_shows_stage_history_missing_documents_and_offers_a_ticket(
    fresh: Kiosk, portrait: Portrait, waiting_file: str, clerk
):
    kiosk = fresh
    type_reference(kiosk, waiting_file)
    kiosk.shot("ar_track_entry")
    kiosk.tap_to("search", "track_result")
    state = kiosk.state()
    assert state["track"]["reference"] == waiting_file and state["track"]["waits_on_citizen"]
    names = kiosk.names()
    assert "track_missing_1" in names and "track_history_1" in names and "file_ticket" in names
    result_png = kiosk.shot("ar_track_result")
    assert "طابع مالي" in arabic_ocr(result_png)  # the missing document, read as a reader would
    # the history in the center's zone (Beirut), not the kiosk PC's (UTC here), as on paper
    history = state["track"]["history"]
    newest = history[-1]["at"]
    shown = kiosk.texts("track_history_1")[0]
    assert shown.startswith(format_datetime(newest, "Asia/Beirut")), (newest, shown)
    assert format_datetime(newest, "UTC") not in shown
    kiosk.tap("switch_lang")
    kiosk.wait_state(lambda s: s["lang"] == "en", "English")
    kiosk.shot("en_track_result")
    assert any("Fiscal stamp" in text for text in kiosk.texts())

    # the return visit: a ticket linked to the file
    pages = len(portrait.paper.pages)
    kiosk.tap_to("file_ticket", "confirm")
    kiosk.shot("en_confirm_file_ticket")
    assert kiosk.state()["file_reference"] == waiting_file.replace("-", "")
    # no priority question (the server ranks a return visit itself); the reference with dashes;
    # what to bring back listed
    assert not "".join(kiosk.texts("priority_title"))
    assert "priority_elderly" not in kiosk.names()
    assert any(waiting_file in text for text in kiosk.texts("confirm_notice"))
    assert any("Fiscal stamp" in text for text in kiosk.texts("document_1"))
    kiosk.tap_to("print_ticket", "ticket")
    state = kiosk.wait_state(lambda s: s["print_phase"] == "printed", "the file's ticket")
    stored = clerk.ticket(state["ticket"]["id"])
    assert stored["file"].replace("-", "") == waiting_file.replace("-", "")
    assert stored["priority"] is True  # a return visit goes to the front (files issue)
    page = portrait.paper.wait_for_pages(pages + 1)[-1]
    path = kiosk.artifacts / "kiosk_paper_return_visit.png"
    page.save(path)
    words = " ".join(english_ocr(path, block=True).split())
    printed_ref = re.search(r"Return visit for file (\S+)", words)
    assert printed_ref, words
    # with its dashes; OCR may read 0 as O or add a stray mark, so compare as the server would
    seen = re.sub(r"[^0-9A-Za-z-]", "", printed_ref.group(1))
    ocr_alike = str.maketrans("65814", "GSBIA")  # glyphs Tesseract confuses on thermal paper
    assert seen.count("-") == 2, seen
    assert normalize(seen).translate(ocr_alike) == normalize(waiting_file).translate(ocr_alike)
    assert "Bring with you" in words and "Fiscal stamp" in words
    assert "Priority" not in words


def test_a_file_in_progress_has_no_ticket_offer(fresh: Kiosk, moving_file: str):
    kiosk = fresh
    type_reference(kiosk, moving_file)
    kiosk.tap_to("search", "track_result")
    state = kiosk.state()
    assert state["track"]["status"] == "open" and not state["track"]["waits_on_citizen"]
    assert kiosk.app.call("describe", name="file_ticket")["disabled"]


def one_symbol_typo(reference: str, lands_on: str | None) -> str:
    """``reference`` with its fourth symbol mistyped so that the result passes the check of
    ``lands_on`` (a booking or a complaint), or of no kind at all."""
    code = normalize(reference)
    for symbol in ALPHABET:
        wrong = code[:3] + symbol + code[4:]
        if symbol != code[3] and kind_of(wrong) == lands_on:
            return wrong
    raise AssertionError(f"no typo of {code} lands on {lands_on}")


def test_mistyped_and_unknown_references_each_get_their_own_message(
    fresh: Kiosk, portrait: Portrait, waiting_file: str
):
    kiosk = fresh
    kiosk.tap_to("track_file", "track_entry")
    wrong = one_symbol_typo(waiting_file, None)
    portrait.scan(wrong.lower())  # as a person might type it too: the server checks the symbol
    state = kiosk.wait_state(lambda s: s["track_phase"] == "failed", "the mistyped answer")
    assert state["track_error"]["code"] == "reference_mistyped"
    assert state["reference_input"] == wrong  # kept, to correct one symbol
    kiosk.shot("ar_track_mistyped")
    kiosk.tap("key_back")
    kiosk.wait_state(lambda s: len(s["reference_input"]) == 8, "one symbol deleted")
    portrait.scan(new_reference().printed)
    state = kiosk.wait_state(
        lambda s: s["track_error"].get("code") == "file_not_found", "the unknown answer"
    )
    assert state["track_error"]["message"]["ar"] != state["track_error"]["message"]["en"]
    assert state["screen"] == "track_entry"


@pytest.mark.parametrize("lands_on", ["complaint", "booking"])
def test_a_typo_that_passes_another_kinds_check_is_said_on_the_keypad_and_kept(
    fresh: Kiosk, waiting_file: str, lands_on: str
):
    """One typo in 31 turns a file reference into a well-formed booking or complaint code: with
    none at the center, the keypad says nothing has this number (not "no such booking" on another
    screen) and keeps it to correct."""
    kiosk = fresh
    wrong = one_symbol_typo(waiting_file, lands_on)
    type_reference(kiosk, wrong)
    kiosk.tap("search")
    state = kiosk.wait_state(lambda s: s["track_phase"] == "failed", "the unknown code")
    assert state["screen"] == "track_entry" and state["reference_input"] == wrong
    assert state["track_error"]["code"] == "reference_mistyped"
    message = state["track_error"]["message"]
    assert "No file, booking or complaint" in message["en"] and "شكوى" in message["ar"]
    kiosk.shot(f"ar_track_typo_as_{lands_on}")
    kiosk.tap("key_clear")  # typed again, right, the file is found
    kiosk.wait_state(lambda s: s["reference_input"] == "" and not s["track_error"], "cleared")
    for symbol in normalize(waiting_file):
        kiosk.tap(f"key_{symbol}")
    kiosk.tap_to("search", "track_result")
    assert kiosk.state()["track"]["reference"] == waiting_file


def test_a_serial_scanner_reading_the_receipts_qr_opens_the_file_from_the_welcome_screen(
    fresh: Kiosk, portrait: Portrait, waiting_file: str
):
    kiosk = fresh
    portrait.scan(f"{portrait.server.url}/f/{waiting_file}")
    state = kiosk.wait_state(lambda s: s["screen"] == "track_result", "the scanned file")
    assert state["track"]["reference"] == waiting_file
    portrait.scan("\x01\x02")  # line noise: refused with a message, nothing looked up
    state = kiosk.wait_state(lambda s: s["scan_error"].get("code") == "not_text", "the refusal")


def test_a_scanner_unplugged_at_start_alerts_the_staff_and_works_once_plugged_in(
    display: str, artifacts: Path, tmp_path: Path, portrait: Portrait, waiting_file: str
):
    """The kiosk starts without its USB scanner (no device node yet), then it is plugged in."""
    port = tmp_path / "ttyACM-scanner"  # appears later, like /dev/ttyACM0 when plugged in
    kiosk = start_kiosk(
        tmp_path / "kiosk",
        artifacts,
        portrait.server.url,
        portrait.paper.url,
        size="1280x800",
        scanner=str(port),
        settings={"device_name": "entrance-right"},
    )
    master, slave = os.openpty()
    try:
        manager = portrait.server.login("manager")
        deadline = time.monotonic() + 20
        while not [a for a in manager.alerts() if a["kind"] == "scanner_lost"]:
            assert time.monotonic() < deadline, "no scanner_lost alert reached the staff"
            time.sleep(0.3)
        alert = [a for a in manager.alerts() if a["kind"] == "scanner_lost"][-1]
        assert "entrance-right" in str(alert) and "plug it back" in alert["message"]
        tty.setraw(slave)
        port.symlink_to(os.ttyname(slave))  # plugged in
        kiosk.wait_state(lambda s: s["screen"] == "welcome", "the welcome screen")
        deadline = time.monotonic() + 15
        while kiosk.state()["screen"] != "track_result":  # the reader reopens every 2 s
            assert time.monotonic() < deadline, "the plugged-in scanner is not read"
            os.write(master, f"{portrait.server.url}/f/{waiting_file}\r\n".encode())
            time.sleep(1)
        assert kiosk.state()["track"]["reference"] == waiting_file
    finally:
        kiosk.close()
        os.close(master)
        os.close(slave)
