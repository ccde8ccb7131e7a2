"""After the ticket, the real kiosk (Xvfb) offers "send me a message when my turn is near" when the
server sends text messages: a large keypad, the server's refusal in the reader's language, a
confirmation, the idle return to welcome; not offered by a server without ``[sms]``. Screenshots
in tests/artifacts/sms/."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from nafitha.harness.server import RunningServer
from nafitha.paths import ROOT
from printers.virtual import VirtualPrinter
from tests.kiosk.driver import Kiosk, Portrait, arabic_ocr, english_ocr, start_kiosk
from tests.support.server import running_server

pytestmark = pytest.mark.gui

SHOTS = ROOT / "tests" / "artifacts" / "sms"
CATEGORY, SERVICE = "civil-status", "civil-extract"


@dataclass
class SmsKiosk:
    kiosk: Kiosk
    server: RunningServer
    folder: Path


@pytest.fixture(scope="module")
def sms_kiosk(display: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmsKiosk]:
    root = tmp_path_factory.mktemp("sms_kiosk")
    SHOTS.mkdir(parents=True, exist_ok=True)
    config = root / "server.toml"
    config.write_text(f'[sms]\nmode = "folder"\nfolder = "{root / "modem"}"\n', "utf-8")
    with (
        running_server(root / "server", extra_args=["--config", str(config)]) as server,
        VirtualPrinter(out_dir=root / "paper") as paper,
    ):
        kiosk = start_kiosk(root / "kiosk", SHOTS, server.url, paper.url)
        try:
            yield SmsKiosk(kiosk, server, root / "modem")
        finally:
            kiosk.close()


def take_ticket(kiosk: Kiosk) -> dict:
    kiosk.tap_to("get_ticket", "categories")
    kiosk.tap_to(f"category_{CATEGORY}", "services")
    kiosk.tap_to(f"service_{SERVICE}", "confirm")
    kiosk.tap_to("print_ticket", "ticket")
    return kiosk.wait_state(lambda s: s["print_phase"] == "printed", "the ticket printed")["ticket"]


def banner(kiosk: Kiosk, shot: Path) -> Path:
    """The error banner alone, dark on light (OCR reads white on red poorly)."""
    box = kiosk.app.call("describe", name="sms_error")
    (x, y), (w, h) = box["pos"], box["size"]
    with Image.open(shot) as image:
        top = image.height - (y + h)  # Kivy counts from the bottom
        crop = image.convert("L").crop((int(x), int(top), int(x + w), int(top + h)))
    path = shot.with_name(shot.stem + "_banner.png")
    ImageOps.invert(crop).save(path)
    return path


def type_digits(kiosk: Kiosk, digits: str) -> None:
    for digit in digits:
        kiosk.tap(f"sms_key_{digit}")
    kiosk.wait_state(lambda s: s["sms"]["digits"] == len(digits), f"{len(digits)} digits typed")


def test_arabic_opt_in_with_a_refused_number_then_a_good_one(sms_kiosk: SmsKiosk) -> None:
    kiosk = sms_kiosk.kiosk
    kiosk.home()
    ticket = take_ticket(kiosk)
    assert kiosk.app.call("describe", name="sms_offer")["disabled"] is False
    kiosk.shot("ar_ticket_offer")
    kiosk.tap_to("sms_offer", "sms_optin")
    assert "+961" in " ".join(kiosk.texts("sms_hint"))
    type_digits(kiosk, "01123456")  # a Beirut landline
    kiosk.tap("sms_send")
    state = kiosk.wait_state(lambda s: s["sms"]["error"], "the server's refusal")
    assert state["sms"]["error"]["code"] == "sms_phone_refused"
    assert "ثابت" in " ".join(kiosk.texts("sms_error"))  # said in Arabic: a landline
    refused = kiosk.shot("ar_refused")
    assert "ثابت" in arabic_ocr(banner(kiosk, refused))  # shaped, in reading order
    kiosk.tap("sms_key_clear")
    type_digits(kiosk, "03123456")
    kiosk.shot("ar_keypad")
    kiosk.tap_to("sms_send", "sms_done")
    state = kiosk.state()
    assert state["sms"]["answer"]["phone"] == "+961…56" and state["sms"]["digits"] == 0
    done = kiosk.shot("ar_done")
    assert "سنرسل" in arabic_ocr(done)
    status = sms_kiosk.server.client().ticket_status(ticket["token"])
    assert status["sms"]["opted_in"] is True
    kiosk.app.call("idle_timeout", seconds=2.0, warning=1.0)  # the screen times out to welcome
    try:
        kiosk.wait_screen("welcome")
    finally:
        kiosk.app.call("idle_timeout", seconds=120.0)
    assert kiosk.state()["sms"] == {"phase": "idle", "digits": 0, "error": {}, "answer": {}}


def test_english_opt_in_with_the_international_prefix(sms_kiosk: SmsKiosk) -> None:
    kiosk = sms_kiosk.kiosk
    kiosk.home()
    kiosk.tap("lang_en")
    kiosk.wait_state(lambda s: s["lang"] == "en", "English")
    ticket = take_ticket(kiosk)
    kiosk.shot("en_ticket_offer")
    kiosk.tap_to("sms_offer", "sms_optin")
    kiosk.tap_to("back", "ticket")  # back keeps the ticket on screen
    kiosk.tap_to("sms_offer", "sms_optin")
    type_digits(kiosk, "0096170123456")
    for code in (ticket["status_url"], "7KQ4-2M9X-D"):  # the paper's QR, a file: scanned by mistake
        kiosk.app.call("scan", text=code)
        state = kiosk.state()  # the keypad stays, with what was typed
        assert state["screen"] == "sms_optin" and state["sms"]["digits"] == 13, state["screen"]
    kiosk.shot("en_keypad")
    kiosk.tap_to("sms_send", "sms_done")
    done = kiosk.shot("en_done")
    text = english_ocr(done)
    assert "We will text" in text and "when your number is called" in text.replace("\n", " ")
    assert kiosk.state()["sms"]["answer"]["phone"] == "+961…56"
    kiosk.tap_to("sms_done_ok", "welcome")


def test_not_offered_by_a_server_without_messages(portrait: Portrait) -> None:
    kiosk = portrait.kiosk
    kiosk.home()
    take_ticket(kiosk)
    offer = kiosk.app.call("describe", name="sms_offer")
    assert offer["disabled"] is True
    kiosk.tap("sms_offer")  # a tap where it would be does nothing
    kiosk.wait_state(lambda s: s["screen"] == "ticket", "still the ticket")
    kiosk.home()
