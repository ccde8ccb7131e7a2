"""The citizen's phone pages in real headless Chromium: the ticket page shows the server's one
rounded wait in catalog words, says so when no counter serves the service, alerts a phone in a
pocket once the citizen tapped "alert me", and never leaves a citizen at a dead end; the file page
shows each stage's date apart from its name, in the center's zone."""

from __future__ import annotations

import uuid

import pytest

from nafitha.formats import format_date, format_wait
from nafitha.text import t
from tests.support.server import RunningServer

pytestmark = pytest.mark.browser

RECORD_VIBRATION = """
window.__vibrations = [];
Object.defineProperty(Navigator.prototype, 'vibrate', {
  configurable: true,
  value: function (pattern) { window.__vibrations.push(pattern); return true; },
});
"""


def issue(server: RunningServer, service: str) -> dict:
    return server.client(server.kiosk_token).issue_ticket(
        service, idempotency_key=str(uuid.uuid4())
    )


def token_of(ticket: dict) -> str:
    return ticket["status_url"].rsplit("/", 1)[-1]


def phone(open_page, lang: str):
    return open_page(390, 844, locale="ar-LB" if lang == "ar" else "en-US")


def open_ticket(open_page, server: RunningServer, ticket: dict, lang: str):
    recorded = phone(open_page, lang)
    page = recorded.page
    page.add_init_script(RECORD_VIBRATION)
    page.goto(f"{server.url}/t/{token_of(ticket)}?lang={lang}")
    page.wait_for_selector("#ticket:not(.hidden)")
    return page


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_ticket_page_shows_the_servers_rounded_wait_in_catalog_words(
    demo_server: RunningServer, open_page, lang: str
) -> None:
    demo_server.login("clerk8", counter="c8")  # counter 8 serves work permits: it opens
    for _ in range(3):
        issue(demo_server, "work-permit")
    mine = issue(demo_server, "work-permit")
    page = open_ticket(open_page, demo_server, mine, lang)
    answer = demo_server.client().request("GET", f"/api/v1/tickets/public/{token_of(mine)}")
    assert answer["callable"] is True and answer["wait_minutes"] is not None
    assert page.inner_text("#wait") == format_wait(answer["wait_minutes"], lang)
    assert page.inner_text("#ahead") == str(answer["people_ahead"])
    assert page.is_hidden("#not-callable")


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_ticket_no_open_counter_serves_is_told_so_never_that_it_is_next(
    demo_server: RunningServer, open_page, lang: str
) -> None:
    mine = issue(demo_server, "vehicle-transfer")  # counter 6 only; nobody opened it
    answer = demo_server.client().request("GET", f"/api/v1/tickets/public/{token_of(mine)}")
    assert answer["callable"] is False
    page = open_ticket(open_page, demo_server, mine, lang)
    assert not page.is_hidden("#not-callable")
    assert page.inner_text("#not-callable") == t("web.ticket_not_callable", lang)
    assert page.inner_text("#status") == t("web.ticket_status_waiting_no_counter", lang)
    assert page.inner_text("#wait") == "—"
    body = page.inner_text("body")
    assert "next" not in body.lower() and "التالي" not in body


def test_alert_me_unlocks_sound_and_vibration_and_the_call_rings(
    demo_server: RunningServer, open_page
) -> None:
    mine = issue(demo_server, "death-registration")
    page = open_ticket(open_page, demo_server, mine, "en")
    page.click("#notify")
    page.wait_for_selector("#notify-on:not(.hidden)")
    assert page.evaluate("window.NFTicket.audioState") == "running"
    assert page.evaluate("window.NFTicket.alerts.length") == 0
    clerk = demo_server.login("clerk3", counter="c3")
    called = clerk.call_next("c3")
    assert called["number"] == mine["number"]
    page.wait_for_function("window.NFTicket.alerts.length === 1", timeout=10000)
    alert = page.evaluate("window.NFTicket.alerts[0]")
    assert alert["vibrated"] is True and alert["sound"] is True
    assert page.evaluate("window.__vibrations.at(-1)") == [400, 200, 400, 200, 400]
    assert not page.is_hidden("#called")
    # A no-show is not a dead end: what to do next, in the page's language.
    clerk.ticket_action(called["id"], "recall")
    clerk.ticket_action(called["id"], "no-show")
    page.wait_for_selector("#next-steps:not(.hidden)", timeout=10000)
    assert page.inner_text("#next-steps") == t("web.ticket_no_show_help", "en")
    assert page.is_hidden("#notify-box")


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_an_unknown_ticket_or_reference_leads_somewhere(
    demo_server: RunningServer, open_page, lang: str
) -> None:
    clerk = demo_server.login("clerk1")
    opened = clerk.open_file("civil-extract", {"name": "Rania Haddad"}, [])
    page = phone(open_page, lang).page
    page.goto(f"{demo_server.url}/t/no-such-ticket-token?lang={lang}")
    page.wait_for_selector("#missing:not(.hidden)")
    assert t("web.ticket_not_found_help", lang) in page.inner_text("#missing")
    page.click("#missing a[href='/f']")
    page.wait_for_selector("#lookup:not(.hidden)")
    # An unknown reference: what to check, and a box to type another one.
    page.goto(f"{demo_server.url}/f/AAAA-AAAA-AA?lang={lang}")
    page.wait_for_selector("#problem-box:not(.hidden)")
    assert page.inner_text("#problem-help") == t("web.file_not_found_help", lang)
    page.fill("#lookup-input", opened["reference"].lower())
    page.click("#lookup-form button[type=submit]")
    page.wait_for_selector("#file:not(.hidden)")
    assert page.inner_text("#reference") == opened["reference"]


def test_the_file_page_keeps_each_date_apart_from_its_stage_in_arabic(
    demo_server: RunningServer, open_page
) -> None:
    clerk = demo_server.login("clerk1")
    opened = clerk.open_file("civil-extract", {"name": "Rania Haddad"}, [])
    track = demo_server.client().request("GET", f"/api/v1/track/{opened['reference']}")
    page = phone(open_page, "ar").page
    page.goto(f"{demo_server.url}/f/{opened['reference']}?lang=ar")
    page.wait_for_selector("#file:not(.hidden)")
    rows = page.eval_on_selector_all(
        "#history li",
        """els => els.filter(li => li.querySelector('.when')).map(li => {
             const name = li.querySelector('.stage-name').getBoundingClientRect();
             const when = li.querySelector('.when');
             const box = when.getBoundingClientRect();
             return {name: li.querySelector('.stage-name').textContent, when: when.textContent,
                     tag: when.tagName, dir: getComputedStyle(when).direction,
                     gap: Math.min(Math.abs(name.left - box.right),
                                   Math.abs(box.left - name.right)),
                     sameLine: Math.abs(name.top - box.top) < 4};
           })""",
    )
    assert rows, "the stage the file entered shows its date"
    zone = track["history"][0]["at"]
    for row in rows:
        assert row["when"] == format_date(zone, "Asia/Beirut")  # 29/11/2026, the center's day
        assert row["tag"] == "BDI" and row["dir"] == "ltr"
        assert not row["sameLine"] or row["gap"] >= 12, row
