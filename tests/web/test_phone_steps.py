"""The phone page of a visit through several counters, in headless Chromium: after the first
step it says "step 2 of 3" and the step's name under the service chosen, in Arabic and English;
a visit of one step shows no step line."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from nafitha.text import t
from tests.support.server import RunningServer

pytestmark = pytest.mark.browser


def issue(server: RunningServer, service: str) -> dict:
    return server.client(server.kiosk_token).issue_ticket(
        service, idempotency_key=str(uuid.uuid4())
    )


def open_ticket(open_page, server: RunningServer, ticket: dict, lang: str):
    recorded = open_page(390, 844, locale="ar-LB" if lang == "ar" else "en-US")
    page = recorded.page
    token = ticket["status_url"].rsplit("/", 1)[-1]
    page.goto(f"{server.url}/t/{token}?lang={lang}")
    page.wait_for_selector("#ticket:not(.hidden)")
    return page


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_phone_says_which_step_of_the_visit_the_ticket_is_at(
    demo_server: RunningServer, open_page, artifacts: Path, lang: str
) -> None:
    ticket = issue(demo_server, "passport-new")
    page = open_ticket(open_page, demo_server, ticket, lang)
    services = {s["id"]: s for s in demo_server.client().services()["services"]}
    first = t("web.ticket_step", lang, step=1, steps=3, name=services["passport-new"]["name"][lang])
    page.wait_for_function("text => document.getElementById('step').innerText === text", arg=first)
    demo_server.login("clerk11", counter="c11")  # the cashier is open: the next step callable
    clerk = demo_server.login("clerk4", counter="c4")
    while (called := clerk.call_next("c4")) and called["id"] != ticket["id"]:
        clerk.ticket_action(called["id"], "finish", outcome="served")
    clerk.ticket_action(ticket["id"], "finish", outcome="served", note="ok")
    second = t("web.ticket_step", lang, step=2, steps=3, name=services["cashier"]["name"][lang])
    page.wait_for_function(  # the live stream moves the page on by itself
        "text => document.getElementById('step').innerText === text", arg=second
    )
    assert page.inner_text("#service") == services["passport-new"]["name"][lang]
    assert page.inner_text("#number") == ticket["number"]
    assert page.inner_text("#status") == t("web.ticket_status_waiting", lang)
    page.screenshot(path=str(artifacts / f"web-phone-step-{lang}.png"))


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_visit_ended_without_resolution_tells_the_citizen_why(
    demo_server: RunningServer, open_page, lang: str
) -> None:
    ticket = issue(demo_server, "passport-new")
    page = open_ticket(open_page, demo_server, ticket, lang)
    clerk = demo_server.login("clerk4", counter="c4")
    while (called := clerk.call_next("c4")) and called["id"] != ticket["id"]:
        clerk.ticket_action(called["id"], "finish", outcome="served")
    clerk.ticket_action(ticket["id"], "finish", outcome="missing_documents")
    services = {s["id"]: s for s in demo_server.client().services()["services"]}
    missing = next(
        o for o in services["passport-new"]["outcomes"] if o["id"] == "missing_documents"
    )
    said = t("web.ticket_visit_ended", lang, outcome=missing["name"][lang])
    page.wait_for_function(
        "text => document.getElementById('next-steps-text').innerText === text", arg=said
    )
    assert page.inner_text("#status") == t("web.ticket_status_done", lang)
    assert page.inner_text("#step") == t(
        "web.ticket_step", lang, step=1, steps=3, name=services["passport-new"]["name"][lang]
    )


def test_a_visit_of_one_step_shows_no_step_line(demo_server: RunningServer, open_page) -> None:
    ticket = issue(demo_server, "work-permit")
    page = open_ticket(open_page, demo_server, ticket, "en")
    assert page.is_hidden("#step")


def test_the_board_calls_each_step_to_its_own_counter_and_says_so(
    demo_server: RunningServer, open_page
) -> None:
    from tests.web.test_board import expected_clips, open_board

    ticket = issue(demo_server, "passport-new")
    page = open_board(open_page, demo_server, "ar").page
    page.wait_for_function("window.NFBoard.Voice.enabled")  # its clips known: calls are said
    submit = demo_server.login("clerk4", counter="c4")
    cashier = demo_server.login("clerk11", counter="c11")
    while (called := submit.call_next("c4")) and called["id"] != ticket["id"]:
        submit.ticket_action(called["id"], "finish", outcome="served")
    shown = "([n, c]) => document.getElementById('now-ticket').textContent === n"
    shown += " && document.getElementById('now-counter').textContent === c"
    page.wait_for_function(shown, arg=[ticket["number"], "4"])
    submit.ticket_action(ticket["id"], "finish", outcome="served")
    # waiting for the cashier: off the board's list of calls until called there
    page.wait_for_function(
        "n => ![...document.querySelectorAll('#recent li')].some(li => li.dataset.number === n)"
        " && document.getElementById('now-ticket').textContent !== n",
        arg=ticket["number"],
    )
    while (called := cashier.call_next("c11")) and called["id"] != ticket["id"]:
        cashier.ticket_action(called["id"], "finish", outcome="served")
    page.wait_for_function(shown, arg=[ticket["number"], "11"])
    # the announcement names counter 11 (the clips the board plans for this call)
    said = "plan => JSON.stringify(window.NFBoard.Voice.announced.slice(-1)[0]) === plan"
    page.wait_for_function(
        said, arg=json.dumps(expected_clips(ticket["number"], 11), separators=(",", ":"))
    )


def test_the_dashboard_shows_first_visit_resolution_as_the_tickets_say(
    demo_server: RunningServer, open_page, artifacts: Path
) -> None:
    import sqlite3

    from tests.web.conftest import login_in_page

    stopped = issue(demo_server, "passport-new")
    submit = demo_server.login("clerk4", counter="c4")
    while (called := submit.call_next("c4")) and called["id"] != stopped["id"]:
        submit.ticket_action(called["id"], "finish", outcome="served")
    submit.ticket_action(stopped["id"], "finish", outcome="missing_documents")
    permit = issue(demo_server, "work-permit")  # and one visit of one step, served
    desk = demo_server.login("clerk8", counter="c8")
    while (called := desk.call_next("c8")) and called["id"] != permit["id"]:
        desk.ticket_action(called["id"], "finish", outcome="served")
    desk.ticket_action(permit["id"], "finish", outcome="served")
    catalog = demo_server.client().services()["services"]
    resolved = {(s["id"], o["id"]) for s in catalog for o in s["outcomes"] if o["resolved"]}
    with sqlite3.connect(demo_server.db) as conn:
        day, rows = (
            stopped["day"],
            conn.execute(
                "SELECT coalesce(visit_service, service), service, outcome FROM tickets"
                " WHERE state = 'done' AND outcome IS NOT NULL AND day = ?",
                [stopped["day"]],
            ).fetchall(),
        )
    assert rows
    rate = sum((service, outcome) in resolved for _v, service, outcome in rows) / len(rows)
    per_visit = [r for r in rows if r[0] == "passport-new"]
    passport = sum((s, o) in resolved for _v, s, o in per_visit) / len(per_visit)
    assert 0 < rate < 1

    page = open_page(1400, 1000, locale="en-GB").page
    page.goto(f"{demo_server.url}/dashboard?lang=en&from={day}&to={day}")
    login_in_page(page, demo_server, "manager")
    page.wait_for_function("d => document.body.dataset.statsLoaded === d", arg=f"{day}/{day}")
    tile = page.locator('[data-figure="overall.resolution"]')
    assert float(tile.get_attribute("data-value")) == pytest.approx(rate)
    assert tile.inner_text() == f"{round(rate * 100)}%"
    cell = page.locator('[data-figure="service.passport-new.resolution"]')
    assert float(cell.get_attribute("data-value")) == pytest.approx(passport)
    assert page.locator('[data-figure="counter.c4.resolution"]').count() == 0
    page.screenshot(path=str(artifacts / "web-dashboard-resolution-en.png"), full_page=True)
