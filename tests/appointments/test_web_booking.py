"""The booking pages in real headless Chromium against a real server process: /book → /a/<code>
→ move → cancel, in Arabic and in English, on a phone whose own zone is UTC (the center's is
Asia/Beirut): every time shown is the center's, Western digits, right-to-left in Arabic; each
change is asked once more before it is done. Screenshots in tests/artifacts/appointments/."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from nafitha.formats import format_time
from nafitha.text import t
from server.config import DEFAULT_CENTER
from tests.support.server import RunningServer, running_server
from tests.web.conftest import browser, open_page  # noqa: F401 - fixtures
from tests.web.test_pages import check_accessibility

pytestmark = pytest.mark.browser
SERVICE = "passport-renewal"  # bookable in the demo (its counters 4, 5 and 10)
ZONE = "Asia/Beirut"
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "appointments"


def phone(open_page, lang: str):  # noqa: F811
    recorded = open_page(390, 844, locale="ar-LB" if lang == "ar" else "en-US", timezone_id="UTC")
    return recorded, recorded.page


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


LEFT_TO_RIGHT = """(id) => {
  // x of the first and of the last character of the element's text, as drawn
  const text = document.getElementById(id).firstChild;
  const at = (i) => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1);
    return r.getBoundingClientRect().left; };
  return at(0) < at(text.length - 1);
}"""


def pick_slot(page, container: str = "") -> tuple[str, str]:
    """Choose the first day with free places and its first free slot: (day, start)."""
    day = page.locator(f"{container} #days button.choice:not([disabled])").nth(1)
    chosen_day = day.get_attribute("data-day")
    day.click()
    slot = page.locator(f"{container} #slots button.choice:not([disabled])").first
    start = slot.get_attribute("data-start")
    slot.click()
    return chosen_day, start


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[RunningServer]:
    """A server per test: each books, moves and cancels, within the per-address booking limit."""
    with running_server(tmp_path) as server:
        yield server


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_book_see_move_and_cancel_on_a_phone(
    demo_server: RunningServer,
    open_page,  # noqa: F811
    lang: str,
) -> None:
    recorded, page = phone(open_page, lang)
    page.goto(f"{demo_server.url}/book?lang={lang}")
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    page.click(f"button[data-service={SERVICE}]")
    page.wait_for_selector("#days button.choice:not([disabled])")
    day, start = pick_slot(page)
    page.wait_for_selector("#step-details:not(.hidden)")
    slots = demo_server.client().request(
        "GET", f"/api/v1/appointments/slots?service={SERVICE}&from={day}&days=1"
    )
    slot = next(s for s in slots["days"][0]["slots"] if s["start"] == start)
    # The slot's button shows the center's time of its instant (the phone is in UTC).
    assert format_time(slot["at"], ZONE) == start
    button = page.locator(f"#slots button[data-start='{start}'] .choice-name")
    assert button.inner_text() == start
    assert f"{slot['free']}" in page.locator(f"#slots button[data-start='{start}']").inner_text()
    shot(page, f"book-{lang}")
    check_accessibility(recorded)
    page.click("#submit")
    page.wait_for_url("**/a/**")
    page.wait_for_selector("#booking:not(.hidden)")
    code = page.inner_text("#code")
    booking = demo_server.client().appointment(code)
    assert booking["day"] == day and booking["start"] == start and booking["status"] == "booked"
    assert page.inner_text("#time").startswith(format_time(booking["at"], ZONE))
    assert page.evaluate(LEFT_TO_RIGHT, "time")  # "08:00 – 08:30" drawn left to right in Arabic
    assert page.inner_text("#status") == t("appointments.w_status_booked", lang)
    docs = page.locator("#documents li").all_inner_texts()
    assert docs == [d[lang] for d in booking["documents"]] and docs
    assert page.evaluate("document.getElementById('qr').naturalWidth") > 0
    shot(page, f"appointment-{lang}")
    check_accessibility(recorded)

    page.click("#move")
    page.wait_for_selector("#move-box #days button.choice:not([disabled])")
    new_day, new_start = pick_slot(page, "#move-box")
    page.wait_for_selector("#confirm-box:not(.hidden)")
    assert new_start in page.inner_text("#confirm-text")
    shot(page, f"move-confirm-{lang}")
    assert demo_server.client().appointment(code)["start"] == start  # nothing before the yes
    page.click("#confirm-yes")
    page.wait_for_selector("#confirm-box.hidden", state="attached")
    moved = demo_server.client().appointment(code)
    assert (moved["day"], moved["start"]) == (new_day, new_start) != (day, start)
    assert page.inner_text("#time").startswith(new_start)

    page.click("#cancel")
    page.wait_for_selector("#confirm-box:not(.hidden)")
    assert page.inner_text("#confirm-text") == t("appointments.w_cancel_ask", lang)
    page.click("#confirm-no")  # changed their mind: still booked
    assert demo_server.client().appointment(code)["status"] == "booked"
    page.click("#cancel")
    page.click("#confirm-yes")
    page.wait_for_function(
        "(text) => document.getElementById('status').textContent === text",
        arg=t("appointments.w_status_cancelled", lang),
    )
    assert demo_server.client().appointment(code)["status"] == "cancelled"
    assert page.is_hidden("#actions")
    shot(page, f"cancelled-{lang}")
    assert recorded.outside(demo_server.url) == []


def test_a_mistyped_code_says_so(demo_server: RunningServer, open_page) -> None:  # noqa: F811
    _, page = phone(open_page, "en")
    page.goto(f"{demo_server.url}/a/7HCF-AW6Q-R?lang=en")
    page.wait_for_selector("#problem-box:not(.hidden)")
    assert page.inner_text("#problem") in (
        t("appointments.w_code_mistyped", "en"),
        t("appointments.w_booking_missing", "en"),
    )


MARKUP = '<img src=x onerror="window.__xss=1"><b id=bold>renewal</b>'


def test_names_are_shown_as_text_never_as_markup(tmp_path: Path, open_page) -> None:  # noqa: F811
    """A service named with markup (an admin's paste) shows as its characters on /book and /join."""
    text = DEFAULT_CENTER.read_text(encoding="utf-8")
    named = text.replace('en = "Passport renewal" }', f"en = {json.dumps(MARKUP)} }}", 1)
    assert named != text
    center = tmp_path / "center.toml"
    center.write_text(named, encoding="utf-8")
    with running_server(tmp_path / "server", center=center) as server:
        server.login("clerk4", counter="c4")  # so /join offers passport renewals too
        for path in ("/book", "/join"):
            _, page = phone(open_page, "en")
            page.goto(f"{server.url}{path}?lang=en")
            button = page.locator("button[data-service=passport-renewal]")
            button.wait_for()
            assert MARKUP in button.inner_text()
            assert page.locator("#bold").count() == 0 and page.locator("img[src=x]").count() == 0
            assert page.evaluate("window.__xss") is None


def test_the_pages_run_under_the_content_security_policy(
    demo_server: RunningServer,
    open_page,  # noqa: F811
) -> None:
    day = demo_server.client().request(
        "GET", f"/api/v1/appointments/slots?service={SERVICE}&days=2"
    )["days"][1]
    start = next(s["start"] for s in day["slots"] if s["free"] > 0)
    code = demo_server.client().book(SERVICE, day["day"], start, "ar")["code"]
    pages = [
        ("/book?lang=ar", "#services button.choice"),
        (f"/a/{code}?lang=en", "#booking:not(.hidden)"),
        ("/join?lang=ar", "#join-form:not(.hidden)"),
    ]
    for path, ready in pages:
        recorded = open_page(390, 844, enforce_csp=True)
        page = recorded.page
        violations: list[str] = []
        page.on(
            "console",
            lambda message, seen=violations: (
                seen.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        answer = page.goto(f"{demo_server.url}{path}")
        assert "script-src 'self'" in answer.headers["content-security-policy"]
        page.wait_for_selector(ready, state="attached")
        assert violations == [], (path, violations)
