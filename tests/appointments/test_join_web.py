"""/join and /p/<token> in real headless Chromium against a real server process, in Arabic and in
English, on a phone in UTC (the center is in Asia/Beirut): the place shows the server's figures
(people ahead, the one rounded wait in catalog words, the come-back time in the center's zone),
its QR, turns into the ticket once the kiosk confirms it, and the same number is refused a second
place. Screenshots in tests/artifacts/appointments/."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from nafitha.formats import format_time, format_wait
from nafitha.text import t
from tests.support.server import RunningServer, running_server
from tests.web.conftest import browser, open_page  # noqa: F401 - fixtures
from tests.web.test_pages import check_accessibility

pytestmark = pytest.mark.browser
ZONE = "Asia/Beirut"
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "appointments"
NUMBERS = {"ar": "03 123 456", "en": "70 123 456"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("server")) as running:
        running.login("clerk8", counter="c8")  # counter 8 serves work permits: it opens
        yield running


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_join_from_a_phone_then_confirm_at_the_kiosk(
    server: RunningServer,
    open_page,  # noqa: F811
    lang: str,
) -> None:
    recorded = open_page(390, 844, locale="ar-LB" if lang == "ar" else "en-US", timezone_id="UTC")
    page = recorded.page
    kiosk = server.client(server.kiosk_token)
    for _ in range(2):  # two walk-ins ahead of the place
        kiosk.issue_ticket("work-permit", idempotency_key=str(uuid.uuid4()))
    page.goto(f"{server.url}/join?lang={lang}")
    page.wait_for_selector("button[data-service=work-permit]")
    page.click("button[data-service=work-permit]")
    page.fill("#phone", NUMBERS[lang])
    shot_path = SHOTS / f"join-{lang}.png"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot_path), full_page=True)
    check_accessibility(recorded)
    page.click("#submit")
    page.wait_for_url("**/p/**")
    page.wait_for_selector("#place:not(.hidden)")
    token = page.url.rsplit("/", 1)[-1].split("?")[0]
    place = server.client().place(token)
    assert place["state"] == "waiting" and place["people_ahead"] >= 2
    assert page.inner_text("#ahead") == str(place["people_ahead"])
    assert page.inner_text("#wait") == format_wait(place["wait_minutes"], lang)
    assert page.inner_text("#come-back") == format_time(place["come_back_at"], ZONE)
    assert format_time(place["expires_at"], ZONE) in page.inner_text("#confirm-by")
    assert page.evaluate("document.getElementById('qr').naturalWidth") > 0
    page.screenshot(path=str(SHOTS / f"place-{lang}.png"), full_page=True)
    check_accessibility(recorded)

    assert page.is_hidden("#come-now")
    other = "en" if lang == "ar" else "ar"
    page.click("[data-switch-lang]")  # the switch: texts and direction change, figures stay
    assert page.get_attribute("html", "dir") == ("rtl" if other == "ar" else "ltr")
    assert page.inner_text("#state") == t("appointments.w_place_state_waiting", other)
    assert page.inner_text("#wait") == format_wait(place["wait_minutes"], other)
    assert page.inner_text("#come-back") == format_time(place["come_back_at"], ZONE)
    page.click("[data-switch-lang]")
    clerk = server.login("clerk8", counter="c8")
    while server.client().place(token)["people_ahead"] > 0:  # the place itself is never called
        called = clerk.call_next("c8")
        assert called is not None
        clerk.request("POST", f"/api/v1/tickets/{called['id']}/finish")
    page.wait_for_selector("#come-now:not(.hidden)")
    assert page.inner_text("#ahead") == "0"
    assert page.inner_text("#come-now") == t("appointments.w_come_now", lang)
    answer = server.client(server.kiosk_token).confirm_place(token)
    number = answer["ticket"]["number"]
    expected = t("appointments.w_place_state_confirmed", lang, number=number)
    page.wait_for_function(
        "(text) => document.getElementById('state').textContent === text", arg=expected
    )
    assert page.get_attribute("#ticket-link", "href") == answer["ticket"]["status_url"].replace(
        server.url, ""
    )
    page.screenshot(path=str(SHOTS / f"place-confirmed-{lang}.png"), full_page=True)

    page.goto(f"{server.url}/join?lang={lang}")  # the same number again: refused, and told why
    page.click("button[data-service=work-permit]")
    page.fill("#phone", NUMBERS[lang])
    page.click("#submit")
    page.wait_for_selector("#error:not(.hidden)")
    assert page.inner_text("#error") == t("appointments.error_place_limit_reached", lang)
    assert recorded.outside(server.url) == []


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_with_no_counter_open_the_page_says_so_and_asks_for_no_phone(
    tmp_path: Path,
    open_page,  # noqa: F811
    lang: str,
) -> None:
    with running_server(tmp_path / "server") as closed:  # nobody has opened a counter
        recorded = open_page(390, 844, locale="ar-LB" if lang == "ar" else "en-US")
        page = recorded.page
        page.goto(f"{closed.url}/join?lang={lang}")
        page.wait_for_selector("#no-services:not(.hidden)")
        assert page.inner_text("#no-services") == t("appointments.w_no_services", lang)
        assert page.locator("#services button").count() == 0
        assert page.is_hidden("#phone") and page.is_hidden("#submit")
        page.screenshot(path=str(SHOTS / f"join-nothing-open-{lang}.png"), full_page=True)
        check_accessibility(recorded)

        closed.login("clerk8", counter="c8")  # a counter opens: reloading offers its service
        page.reload()
        page.wait_for_selector("button[data-service=work-permit]")
        assert page.is_hidden("#no-services") and page.is_visible("#phone")
