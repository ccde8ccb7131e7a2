"""Reprint my ticket on the real kiosk (Xvfb) against a real server and the virtual printer: by a
scan of the ticket's QR on the pty scanner and by its number typed on the keypad, in Arabic and
in English; the paper decoded (same QR, REPRINT / نسخة مكررة read back on its band), the server's
count and audit event checked; a finished ticket refused in the citizen's language."""

from __future__ import annotations

import pytest
from PIL import Image

from tests.kiosk.driver import Kiosk, Portrait, arabic_ocr, english_ocr
from tests.support.reprint_paper import qr_texts, read_banner

pytestmark = pytest.mark.gui

SERVICE = "civil-extract"


@pytest.fixture
def fresh(portrait: Portrait) -> Kiosk:
    portrait.kiosk.home()
    return portrait.kiosk


def issue(portrait: Portrait) -> dict:
    """A ticket taken a moment ago at the other kiosk (the citizen then lost its paper)."""
    return portrait.server.client("demo-kiosk-2").issue_ticket(SERVICE)


def choose_language(kiosk: Kiosk, lang: str) -> None:
    if kiosk.state()["lang"] != lang:
        kiosk.tap(f"lang_{lang}")
        kiosk.wait_state(lambda s: s["lang"] == lang, f"the {lang} layout")


def type_number(kiosk: Kiosk, number: str) -> None:
    kiosk.shot(f"{kiosk.state()['lang']}_welcome_with_reprint")
    kiosk.tap_to("reprint_ticket", "reprint_entry")
    letters, digits = number.split("-")
    for symbol in letters + digits:
        kiosk.tap(f"reprint_key_{symbol}")
    kiosk.wait_state(
        lambda s: s["reprint"]["typed"] == letters + digits, f"the typed number {number}"
    )


@pytest.mark.parametrize(
    ("how", "lang"), [("scan", "ar"), ("typed", "en"), ("scan", "en"), ("typed", "ar")]
)
def test_a_lost_ticket_is_printed_again_with_the_same_qr_under_a_reprint_band(
    fresh: Kiosk, portrait: Portrait, manager, how: str, lang: str, tmp_path
) -> None:
    kiosk = fresh
    ticket = issue(portrait)
    choose_language(kiosk, lang)
    pages = len(portrait.paper.pages)
    if how == "scan":
        portrait.scan(ticket["status_url"])
    else:
        type_number(kiosk, ticket["number"])
        kiosk.shot(f"{lang}_reprint_entry")
        kiosk.tap("reprint_print")
    state = kiosk.wait_state(
        lambda s: s["reprint"]["phase"] in ("printed", "failed", "refused"), "the reprint"
    )
    assert state["reprint"]["phase"] == "printed", state["reprint"]
    assert state["screen"] == "reprint_result" and state["reprint"]["how"] == how
    answer = state["reprint"]["ticket"]
    assert answer["id"] == ticket["id"] and answer["reprint"] is True
    assert {"people_ahead", "wait_minutes", "status_url"} <= set(answer)
    screen = kiosk.shot(f"{lang}_reprint_result_{how}")
    if lang == "ar":
        assert "خذ نسخة تذكرتك" in arabic_ocr(screen)
    else:
        assert "place in the queue are unchanged" in " ".join(english_ocr(screen).split())
    assert any(ticket["number"] in text for text in kiosk.texts("reprint_result_number"))

    page = portrait.paper.wait_for_pages(pages + 1)[-1]
    page.save(kiosk.artifacts / f"kiosk_paper_reprint_{lang}_{how}.png")
    assert qr_texts(page) == [ticket["status_url"]]  # the same phone page
    arabic, english = read_banner(page, tmp_path)
    assert "نسخة مكررة" in arabic, arabic
    assert "REPRINT" in english, english
    # The big number reads "A- 0 0 1"; at full size Tesseract may take a 7 for "/", at half size
    # (glyphs nearer the height it is trained on) it reads it: either reading must find it.
    half = page.convert("L").resize((page.width // 2, page.height // 2), Image.LANCZOS)
    half.save(kiosk.artifacts / f"kiosk_paper_reprint_{lang}_{how}_half.png")
    readings = [
        " ".join(english_ocr(kiosk.artifacts / name, block=True).split())
        for name in (
            f"kiosk_paper_reprint_{lang}_{how}.png",
            f"kiosk_paper_reprint_{lang}_{how}_half.png",
        )
    ]
    squeezed = ["".join(c for c in words if c.isalnum()) for words in readings]
    assert any(ticket["number"].replace("-", "") in text for text in squeezed), readings

    stored = portrait.server.login("manager").ticket(ticket["id"])
    assert stored["state"] == "waiting"  # a reprint changes nothing of the ticket's place


def test_a_finished_ticket_is_refused_in_the_citizens_words(
    fresh: Kiosk, portrait: Portrait
) -> None:
    kiosk = fresh
    ticket = issue(portrait)
    manager = portrait.server.login("manager")
    manager.ticket_action(ticket["id"], "cancel", reason="left the center")
    pages = len(portrait.paper.pages)
    choose_language(kiosk, "ar")
    type_number(kiosk, ticket["number"])
    kiosk.tap("reprint_print")
    state = kiosk.wait_state(lambda s: s["reprint"]["phase"] == "refused", "the refusal")
    assert state["reprint"]["error"]["code"] == "reprint_closed"
    assert state["screen"] == "reprint_entry"
    shown = " ".join(kiosk.texts("reprint_error"))
    assert "ملغاة" in shown, shown  # the state in Arabic, no English code
    kiosk.shot("ar_reprint_refused")
    assert len(portrait.paper.pages) == pages  # nothing printed
