"""The kiosk's complaint flow under Xvfb, against a real server and the virtual printer: kind,
about, service, topic, a few words on the on-screen keyboard, the slip printed with the complaint
reference; then the answer read back at "where is my file?" by keypad and by scanner."""

from __future__ import annotations

import os
import tty
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import zxingcpp

from nafitha.reference import kind_of
from printers.virtual import VirtualPrinter
from tests.complaints.conftest import ARTIFACTS
from tests.kiosk.driver import Kiosk, start_kiosk
from tests.support.server import RunningServer, running_server

pytestmark = pytest.mark.gui


@dataclass
class Hall:
    kiosk: Kiosk
    server: RunningServer
    paper: VirtualPrinter
    scanner_fd: int

    def scan(self, code: str) -> None:
        os.write(self.scanner_fd, code.encode("utf-8") + b"\r\n")


@pytest.fixture(scope="module")
def hall(display: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hall]:
    root = tmp_path_factory.mktemp("complaint-kiosk")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    master, slave = os.openpty()
    tty.setraw(slave)
    with (
        running_server(root / "server") as server,
        VirtualPrinter(out_dir=root / "paper") as paper,
    ):
        kiosk = start_kiosk(
            root / "kiosk", ARTIFACTS, server.url, paper.url, scanner=os.ttyname(slave)
        )
        try:
            yield Hall(kiosk, server, paper, master)
        finally:
            kiosk.close()
            os.close(master)
            os.close(slave)


def complaints(state: dict) -> dict:
    return state["complaints"]


def test_a_complaint_filed_at_the_kiosk_prints_its_reference_and_reads_its_answer(
    hall: Hall,
) -> None:
    kiosk = hall.kiosk
    kiosk.home()
    kiosk.tap_to("complaint_button", "complaint_choose")
    kiosk.wait_for_name("complaint_kind_complaint")
    kiosk.shot("complaint_kind_ar")
    kiosk.tap("complaint_kind_complaint")
    kiosk.wait_for_name("complaint_about_service")
    kiosk.tap("complaint_about_service")
    kiosk.wait_for_name("complaint_service_civil-extract")
    kiosk.tap("complaint_service_civil-extract")
    kiosk.wait_for_name("complaint_topic_long_wait")
    kiosk.shot("complaint_topic_ar")
    kiosk.tap_to("complaint_topic_long_wait", "complaint_text")
    for key in ("ckey_ت", "ckey_أ", "ckey_خ", "ckey_ي", "ckey_ر", "ckey_space"):
        kiosk.tap(key)
    kiosk.tap("ckey_letters")
    kiosk.wait_for_name("ckey_Q")
    for key in ("ckey_A", "ckey_B"):
        kiosk.tap(key)
    kiosk.tap("ckey_digits")  # digits and punctuation: an amount, a ticket number, a question
    kiosk.wait_for_name("ckey_؟")
    for key in ("ckey_space", "ckey_4", "ckey_2", "ckey_؟"):
        kiosk.tap(key)
    kiosk.shot("complaint_digits_ar")
    kiosk.tap("ckey_letters")  # back to the language's letters
    kiosk.wait_for_name("ckey_ت")
    state = kiosk.wait_state(lambda s: complaints(s)["text"] == "تأخير AB 42؟", "the typed words")
    assert complaints(state)["choice"] == {
        "kind": "complaint",
        "about": "service",
        "service": "civil-extract",
        "topic": "long_wait",
    }
    kiosk.shot("complaint_text_ar")
    kiosk.tap_to("complaint_text_done", "complaint_done")  # no [sms]: no phone step
    state = kiosk.wait_state(lambda s: complaints(s)["phase"] == "printed", "the slip printed")
    reference = complaints(state)["filed"]["reference"]
    assert kind_of(reference) == "complaint"
    kiosk.shot("complaint_done_ar")
    (page,) = hall.paper.wait_for_pages(1)
    page.save(ARTIFACTS / "complaint_slip.png")
    codes = {found.text for found in zxingcpp.read_barcodes(page.convert("L"))}
    assert reference.replace("-", "") in codes
    assert any(code.endswith(f"/c/{reference}") for code in codes)
    manager = hall.server.login("manager")
    stored = manager.request("GET", f"/api/v1/complaints/{reference}")
    assert stored["text"] == "تأخير AB 42؟" and stored["channel"] == "kiosk"
    assert stored["phone"] is None and stored["service"]["id"] == "civil-extract"

    # before an answer: the keypad at "where is my file?" shows its status and due date
    kiosk.home()
    kiosk.tap_to("track_file", "track_entry")
    for symbol in reference.replace("-", ""):
        kiosk.tap(f"key_{symbol}")
    kiosk.tap_to("search", "complaint_result")
    kiosk.wait_state(lambda s: complaints(s)["found"].get("status") == "received", "found")
    kiosk.shot("complaint_result_received_ar")
    manager.request(
        "POST",
        f"/api/v1/complaints/{reference}/answer",
        json_body={"text": "نعتذر، أضفنا شباكاً ثانياً.", "lang": "ar"},
    )
    # the slip's QR scanned: the answer, in English once the citizen switches
    kiosk.home()
    kiosk.tap("lang_en")
    kiosk.wait_state(lambda s: s["lang"] == "en", "English")
    hall.scan(f"{hall.server.url}/c/{reference}")
    kiosk.wait_screen("complaint_result")
    state = kiosk.wait_state(lambda s: complaints(s)["found"].get("answer"), "the answer")
    assert complaints(state)["found"]["status"] == "answered"
    texts = kiosk.texts()
    assert "نعتذر، أضفنا شباكاً ثانياً." in " ".join(texts) or any(
        "Answered" in text for text in texts
    )
    assert any("Answered" in text for text in texts)
    kiosk.shot("complaint_result_answered_en")


def test_a_suggestion_in_english_with_a_topic_only(hall: Hall) -> None:
    kiosk = hall.kiosk
    kiosk.home()
    kiosk.tap("lang_en")
    kiosk.wait_state(lambda s: s["lang"] == "en", "English")
    kiosk.tap_to("complaint_button", "complaint_choose")
    kiosk.wait_for_name("complaint_kind_suggestion")
    kiosk.tap("complaint_kind_suggestion")
    kiosk.wait_for_name("complaint_about_center")
    kiosk.tap("complaint_about_center")
    kiosk.wait_for_name("complaint_topic_seating")
    kiosk.shot("complaint_topic_en")
    kiosk.tap_to("complaint_topic_seating", "complaint_text")
    kiosk.wait_state(lambda s: complaints(s)["letters"] == "en", "Latin letters")
    kiosk.shot("complaint_text_en")
    kiosk.tap_to("complaint_text_done", "complaint_done")
    state = kiosk.wait_state(lambda s: complaints(s)["phase"] == "printed", "the slip printed")
    filed = complaints(state)["filed"]
    assert filed["kind"] == "suggestion" and kind_of(filed["reference"]) == "complaint"
    kiosk.shot("complaint_done_en")
    # back from the topic step goes one step back, not home
    kiosk.home()
    kiosk.tap_to("complaint_button", "complaint_choose")
    kiosk.wait_for_name("complaint_kind_complaint")
    kiosk.tap("complaint_kind_complaint")
    kiosk.wait_state(lambda s: complaints(s)["step"] == "about", "the about step")
    kiosk.tap("back")
    kiosk.wait_state(lambda s: complaints(s)["step"] == "kind", "back to the kind step")
    assert kiosk.screen() == "complaint_choose"
