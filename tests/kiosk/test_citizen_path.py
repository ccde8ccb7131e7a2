"""What a citizen's fingers meet at the real kiosk (Xvfb): how many taps to a ticket, keys that stay
put, buttons that look like buttons, a warning before the idle reset, documents on every path."""

from __future__ import annotations

import pytest

from nafitha.gui.theme import MIN_BOUNDARY_CONTRAST, MIN_TEXT_CONTRAST, contrast_ratio
from nafitha.text import t
from tests.kiosk.driver import Kiosk, Portrait

pytestmark = pytest.mark.gui

CATEGORY = "civil-status"
SERVICE = "civil-extract"


@pytest.fixture
def fresh(portrait: Portrait) -> Kiosk:
    portrait.kiosk.home()
    return portrait.kiosk


def test_an_english_ticket_takes_five_taps_from_the_welcome_screen(fresh: Kiosk):
    """Language, get a ticket, category, service, print: the language is asked once (it was asked
    twice, and the second screen defaulted to Arabic right after the citizen chose English)."""
    kiosk = fresh
    assert kiosk.state()["taps"] == 0
    kiosk.tap("lang_en")
    kiosk.wait_state(lambda s: s["lang"] == "en", "English")
    kiosk.tap_to("get_ticket", "categories")
    assert kiosk.state()["lang"] == "en"  # still English: nothing asks again
    kiosk.tap_to(f"category_{CATEGORY}", "services")
    kiosk.tap_to(f"service_{SERVICE}", "confirm")
    kiosk.tap_to("print_ticket", "ticket")
    state = kiosk.wait_state(lambda s: s["print_phase"] == "printed", "the ticket to print")
    assert state["taps"] <= 5, state["history"]
    assert state["lang"] == "en" and state["ticket"]["number"]


def test_the_keypad_does_not_move_when_an_error_comes_and_goes(fresh: Kiosk):
    kiosk = fresh
    kiosk.tap_to("track_file", "track_entry")
    keys = ("key_0", "key_K", "key_Z", "key_back", "search")

    def positions() -> dict[str, list[float]]:
        return {key: kiosk.app.call("describe", name=key)["pos"] for key in keys}

    settled: list[dict] = [{}]

    def still() -> bool:  # the keypad is laid out on the frame after the screen shows
        now, settled[0] = positions(), positions()
        return now == settled[0]

    kiosk.app.wait_for(still, 10, "the keypad to be laid out")
    before = settled[0]
    kiosk.tap("search")  # nothing typed: an error banner appears above the keypad
    kiosk.wait_state(lambda s: s["track_error"].get("code") == "empty", "the empty error")
    kiosk.shot("ar_track_entry_error")
    assert kiosk.texts("track_error"), "the banner shows the error"
    assert positions() == before
    kiosk.tap("key_K")  # typing clears the error
    kiosk.wait_state(lambda s: not s["track_error"], "the error to clear")
    assert positions() == before


def boundary(button: dict) -> float:
    """How well a button stands out from the screen: its fill, or its drawn border."""
    fill = contrast_ratio(button["fill"], button["background"])
    border = button["border"]
    drawn = contrast_ratio(border, button["background"]) if border[3] > 0 else 1.0
    return max(fill, drawn)


def check_contrast(kiosk: Kiosk) -> list[dict]:
    buttons = kiosk.app.call("colours")
    assert buttons, "no button found"
    for button in buttons:
        where = f"{kiosk.screen()}: {button['name']}"
        assert contrast_ratio(button["text"], button["fill"]) >= MIN_TEXT_CONTRAST, where
        if not button["disabled"]:
            assert boundary(button) >= MIN_BOUNDARY_CONTRAST, where
    return buttons


def test_every_button_stands_out_and_a_choice_is_marked_by_more_than_colour(fresh: Kiosk):
    """Text ≥ 4.5:1 on its button, every button's edge ≥ 3:1 against the screen (the language
    toggle and the unselected options were 1.2:1); the chosen option has a tick and border."""
    kiosk = fresh
    welcome = {b["name"]: b for b in check_contrast(kiosk)}
    assert welcome["lang_ar"]["selected"] and not welcome["lang_en"]["selected"]
    kiosk.tap_to("get_ticket", "categories")
    check_contrast(kiosk)
    kiosk.tap_to(f"category_{CATEGORY}", "services")
    check_contrast(kiosk)
    kiosk.tap_to(f"service_{SERVICE}", "confirm")
    kiosk.tap("priority_elderly")
    kiosk.wait_state(lambda s: s["priority"] == "elderly", "the priority choice")
    kiosk.shot("ar_confirm_priority")
    options = {b["name"]: b for b in check_contrast(kiosk) if b["selectable"]}
    chosen = [name for name, b in options.items() if b["selected"]]
    assert chosen == ["priority_elderly"]
    assert options["priority_elderly"]["border"][3] > 0  # a border and a tick, not colour alone


def test_the_idle_reset_asks_first_and_more_time_keeps_the_citizen_where_they_were(
    fresh: Kiosk,
):
    kiosk = fresh
    kiosk.tap_to("get_ticket", "categories")
    kiosk.tap_to(f"category_{CATEGORY}", "services")
    # the warning shows for the last 20 s of 40: under Xvfb's software rendering each redraw of
    # the countdown costs seconds on a loaded machine, and so does each control call
    kiosk.app.call("idle_timeout", seconds=40, warning=20)
    try:
        kiosk.wait_for_name("idle_question", timeout=45)
        state = kiosk.state()
        assert state["screen"] == "services" and 0 < state["idle_left"] <= 20
        countdowns = {t("kiosk.idle_countdown", "ar", seconds=n) for n in range(1, 21)}
        assert set(kiosk.texts("idle_countdown")) & countdowns  # seconds shown, counting down
        kiosk.tap("more_time")
        kiosk.app.wait_for(lambda: "idle_question" not in kiosk.names(), 10, "the warning to go")
        assert kiosk.state()["screen"] == "services"  # the touch pressed nothing underneath
        kiosk.app.call("idle_timeout", seconds=8, warning=4)  # now nobody answers:
        kiosk.wait_for_name("idle_question", timeout=20)
        kiosk.shot("ar_idle_warning")
        state = kiosk.wait_state(lambda s: s["screen"] == "welcome", "the idle return", 30)
    finally:
        kiosk.app.call("idle_timeout", seconds=60)
    assert state["category_id"] == "" and "idle_question" not in kiosk.names()


def test_the_two_tap_path_shows_the_documents_before_printing(fresh: Kiosk, portrait: Portrait):
    kiosk = fresh
    quick = [n for n in kiosk.names() if n.startswith("quick_") and n != "quick_title"]
    service_id = quick[0].removeprefix("quick_")
    wanted = next(
        s for s in portrait.server.client().services()["services"] if s["id"] == service_id
    )["documents"]
    kiosk.tap_to(quick[0], "confirm")
    shown = [text for name in kiosk.names() if name.startswith("document_")
             for text in kiosk.texts(name)]  # fmt: skip
    assert wanted and all(any(d["ar"] in text for text in shown) for d in wanted)
    assert "print_ticket" in kiosk.names()
