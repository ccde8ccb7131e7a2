"""The clerk books an appointment for the citizen at the counter (key B), on a real server:
service, a day with free places, a slot and the citizen's number; the booking is made through the
public API as the clerk (who booked is recorded) and its code is said on the notice line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from counter.screens.book_for import free_of
from tests.support.server import running_server

pytestmark = pytest.mark.gui
SERVICE = "passport-renewal"  # bookable in the demo


def shown(app) -> set[str]:
    return set(app.app.call("names"))


def test_free_places_of_a_day_leave_out_closed_and_past_slots() -> None:
    slots = [
        {"free": 2, "closed": False, "past": False},
        {"free": 2, "closed": True, "past": False},
        {"free": 2, "closed": False, "past": True},
    ]
    assert free_of({"closed": False, "slots": slots}) == 2
    assert free_of({"closed": True, "slots": slots}) == 0


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_clerk_books_for_the_citizen(tmp_path: Path, counters, lang: str) -> None:
    with running_server(tmp_path / "server") as server:
        days = server.client().appointment_slots(SERVICE, None, 3)["days"]
        day = days[2]  # the day after tomorrow: every slot still ahead, even past midnight
        start = next(s["start"] for s in day["slots"] if s["free"] > 0)
        app = counters(server.url, "c4")
        app.login("clerk4", server.password)
        if lang == "en":
            app.press("f12")
        app.shot(f"serve-book-button-{lang}")
        if lang == "ar":
            app.press("b")  # the key
        else:
            app.tap("book_for")  # the button beside the services
        app.wait(lambda s: s["screen"] == "book_for", "the booking screen")
        app.app.wait_for(lambda: f"service_{SERVICE}" in shown(app), what="the services")
        app.tap("confirm")  # nothing chosen yet: says what to choose
        app.wait(lambda s: s["notice_kind"] == "error", "choose first")
        app.tap(f"service_{SERVICE}")
        app.app.wait_for(lambda: f"day_{day['day']}" in shown(app), what="the days")
        app.tap(f"day_{day['day']}")
        app.app.wait_for(lambda: f"slot_{start}" in shown(app), what="the slots")
        app.tap(f"slot_{start}")
        app.fill("phone", "03 123 456")
        app.shots_both(f"book-for-{lang}")
        app.tap("confirm")
        state = app.wait(lambda s: s["screen"] == "serve", "back to serving")
        assert state["notice_kind"] == "info"
        text = state["notice"][lang]
        code = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]", text).group(0)
        booking = server.client().appointment(code)
        assert (booking["day"], booking["start"], booking["status"]) == (
            day["day"],
            start,
            "booked",
        )
        assert booking["phone_masked"] and booking["phone_masked"].endswith("56")
        assert start in text
