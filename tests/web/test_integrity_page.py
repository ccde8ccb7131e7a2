"""The published integrity report against a real server process after a driven day: the JSON, the
page in Chromium (Arabic and English) and the board's rotation show what a count written here
from the events table says; the head the page prints verifies with ``nafitha audit verify --head``
and a tampered one does not; free text (names, markup) never reaches the public."""

from __future__ import annotations

import re
import shlex
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nafitha.paths import DEMO
from tests.support.cli import run_nafitha
from tests.support.integrity_count import count_day, share_text
from tests.support.server import RunningServer, running_server

pytestmark = pytest.mark.browser

NAME_AND_MARKUP = 'Nour Haddad, cousin of the clerk <img src=x onerror="window.__xss=1">'
NOTE = "appointment: booked by Samir Khoury"
SECRETS = ("Haddad", "Nour", "Khoury", "Samir", "<img", "onerror", "cousin", "booked")
# The center's own reasons; one's name is markup (an admin's typo or worse): shown as text.
MARKUP_AR = "<svg onload=window.__xss=3>"
MARKUP_EN = "<b>VIP</b>"
REASONS = f"""
[[center.out_of_order_reasons]]
id = "appointment"
name = {{ ar = "موعد مسبق", en = "Appointment" }}

[[center.out_of_order_reasons]]
id = "markup"
name = {{ ar = "{MARKUP_AR}", en = "{MARKUP_EN}" }}

[[center.out_of_order_reasons]]
id = "other"
name = {{ ar = "سبب آخر", en = "Other" }}
"""
KNOWN = {"appointment", "markup", "other"}


@pytest.fixture(scope="module")
def center_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo center with a quick board rotation: the summary after 3 s, for a whole minute."""
    text = (DEMO / "center.toml").read_text(encoding="utf-8")
    text = text.replace(
        'call_policy = "longest_wait"\n',
        'call_policy = "longest_wait"\nboard_rotation_s = 3\nboard_integrity_s = 60\n' + REASONS,
        1,
    )
    assert "board_rotation_s" in text
    path = tmp_path_factory.mktemp("center") / "center.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory, center_file: Path) -> Iterator[RunningServer]:
    """A real server after a day: calls in order, out of order (coded, noted, free text with a
    name and markup), a transfer, priority tickets."""
    with running_server(tmp_path_factory.mktemp("integrity"), center=center_file) as server:
        kiosk = server.client(server.kiosk_token)
        t = [
            kiosk.issue_ticket("civil-extract", idempotency_key=str(uuid.uuid4())) for _ in range(8)
        ]
        t += [
            kiosk.issue_ticket("civil-extract", priority=True, idempotency_key=str(uuid.uuid4()))
            for _ in range(2)
        ]
        c1, c2 = server.login("clerk1", "c1"), server.login("clerk2", "c2")
        first = c1.call_next("c1")  # a priority ticket, by the rule
        c1.ticket_action(first["id"], "finish")
        c2.call_ticket("c2", t[6]["id"], "markup")
        c2.ticket_action(t[6]["id"], "finish")
        c1.call_ticket("c1", t[7]["id"], NOTE)
        c1.ticket_action(t[7]["id"], "transfer", counter="c2")
        c2.call_ticket("c2", t[5]["id"], NAME_AND_MARKUP)
        c2.ticket_action(t[5]["id"], "finish")
        for clerk, counter in ((c1, "c1"), (c2, "c2"), (c1, "c1")):
            called = clerk.call_next(counter)
            clerk.ticket_action(called["id"], "finish")
        yield server


def report_of(server: RunningServer) -> tuple[dict[str, Any], str]:
    """The JSON report read as staff (not rate-limited), and its raw text."""
    manager = server.login("manager")
    response = manager.session.get(
        f"{server.url}/api/v1/integrity",
        headers={"Authorization": f"Bearer {manager.token}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json(), response.text


def test_the_json_equals_a_count_from_the_events_table(day: RunningServer) -> None:
    report, text = report_of(day)
    expected = count_day(day.db, report["day"], up_to=report["head"]["seq"], known=KNOWN)
    assert report["issued"] == expected["issued"] == 10
    assert report["called_in_order"] == expected["in_order"] == 4
    assert report["called_out_of_order"] == expected["out_of_order"] == 3
    assert report["priority_calls"] == expected["priority"] == 2
    assert report["transfers"] == expected["transfers"] == 1
    assert report["events"] == expected["events"]
    assert report["head"]["text"] == expected["head"]
    calls = [(c["number"], c["counter"], c["reason"]) for c in report["out_of_order"]]
    assert calls == expected["calls"]
    assert [c[2] for c in calls] == ["markup", "appointment", "other"]
    for secret in SECRETS:
        assert secret not in text


def figures_on_page(page: Any) -> dict[str, str]:
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.figure:not(.hidden)')]
            .map((el) => [el.id, el.querySelector('.value').textContent]))"""
    )


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_page_shows_the_figures_and_the_head(
    day: RunningServer, open_page: Any, artifacts: Path, lang: str
) -> None:
    recorded = open_page(1280, 1000, locale="ar-LB" if lang == "ar" else "en-GB")
    page = recorded.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{day.url}/integrity?lang={lang}")
    page.wait_for_selector("body[data-ready='1']")
    assert page.is_visible("#report")
    command = page.text_content("#verify-command")
    head = command.split("--head ", 1)[1]
    expected = count_day(
        day.db, page.input_value("#day-input"), up_to=int(head.split(":")[0]), known=KNOWN
    )
    assert expected["head"] == head
    shown = figures_on_page(page)

    share = share_text(expected["in_order"], expected["called"])
    priority = share_text(expected["priority"], expected["called"])
    assert shown == {
        "fig-issued": str(expected["issued"]),
        "fig-called": str(expected["called"]),
        "fig-in-order": share,
        "fig-out-of-order": str(expected["out_of_order"]),
        "fig-transfers": str(expected["transfers"]),
        "fig-priority": priority,
    }
    rows = page.evaluate(
        """() => [...document.querySelectorAll('#calls-body tr')].map((tr) =>
            [...tr.children].map((td) => td.textContent))"""
    )
    names = {
        "ar": {"markup": MARKUP_AR, "appointment": "موعد مسبق", "other": "سبب آخر"},
        "en": {"markup": MARKUP_EN, "appointment": "Appointment", "other": "Other"},
    }[lang]
    assert [(r[1], r[2], r[3]) for r in rows] == [
        (number, str(counter), names[reason]) for number, counter, reason in expected["calls"]
    ]
    assert all(re.fullmatch("[0-9]{2}:[0-9]{2}", r[0]) for r in rows), rows
    body = page.text_content("body")
    for secret in SECRETS:
        assert secret not in body
    assert page.evaluate("() => window.__xss") is None
    markup = "() => document.querySelectorAll('main img, main svg, main b, main script').length"
    assert page.evaluate(markup) == 0
    assert dialogs == []
    assert recorded.outside(day.url) == []
    page.screenshot(path=str(artifacts / f"integrity-{lang}.png"), full_page=True)


def test_the_printed_head_verifies_and_a_tampered_one_does_not(
    day: RunningServer, open_page: Any
) -> None:
    page = open_page(1280, 900).page
    page.goto(f"{day.url}/integrity?lang=en")
    page.wait_for_selector("body[data-ready='1']")
    argv = shlex.split(page.text_content("#verify-command"))
    assert argv[:4] == ["nafitha", "audit", "verify", "--head"]
    printed = argv[4]
    good = run_nafitha(*argv[1:], "--db", str(day.db))
    assert good.returncode == 0, good.stdout + good.stderr
    seq, digest = printed.split(":")
    flipped = digest[:-1] + ("0" if digest[-1] != "0" else "1")
    for tampered in (f"{seq}:{flipped}", f"{int(seq) + 10_000}:{digest}"):
        bad = run_nafitha("audit", "verify", "--head", tampered, "--db", str(day.db))
        assert bad.returncode == 1, bad.stdout + bad.stderr


def test_a_bad_day_says_so_on_the_page_and_as_the_standard_error(
    day: RunningServer, open_page: Any
) -> None:
    page = open_page(1280, 900).page
    page.goto(f"{day.url}/integrity?day=2026-02-30&lang=en")
    page.wait_for_selector("body[data-ready='1']")
    assert page.is_visible("#problem-box")
    assert page.text_content("#problem") == "That is not a valid day."
    manager = day.login("manager")
    response = manager.session.get(
        f"{day.url}/api/v1/integrity?day=2026-02-30",
        headers={"Authorization": f"Bearer {manager.token}"},
        timeout=10,
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "bad_day"


def test_the_board_rotates_the_summary_and_a_call_cuts_it_short(
    day: RunningServer, open_page: Any, artifacts: Path
) -> None:
    recorded = open_page(1920, 1080)
    page = recorded.page
    page.goto(f"{day.url}/board?lang=ar")
    page.wait_for_function("window.NFBoard && window.NFBoard.Board.stream !== null")
    page.wait_for_function("window.NFBoardRotation.showing", timeout=30_000)
    assert not page.is_visible("main")
    head = page.text_content("#integrity-head")
    seq = int(head.split(":")[0])
    report, _ = report_of(day)
    expected = count_day(day.db, report["day"], up_to=seq, known=KNOWN)
    assert expected["head"].startswith(head)
    assert page.text_content("#integrity-issued .value") == str(expected["issued"])
    assert page.text_content("#integrity-in-order .value") == share_text(
        expected["in_order"], expected["called"]
    )
    assert page.text_content("#integrity-out-of-order .value") == str(expected["out_of_order"])
    page.screenshot(path=str(artifacts / "board-integrity-ar.png"))
    # What the hall sees at the very moment the called number is written on the board.
    page.evaluate(
        """() => {
            window.__seenWithNumber = [];
            new MutationObserver(() => window.__seenWithNumber.push(
                [document.getElementById('now-ticket').textContent,
                 document.getElementById('integrity-panel').classList.contains('hidden'),
                 getComputedStyle(document.querySelector('main')).display]))
              .observe(document.getElementById('now-ticket'),
                       {childList: true, characterData: true, subtree: true});
        }"""
    )
    clerk = day.login("clerk1", "c1")
    called = clerk.call_next("c1")
    page.wait_for_function(
        "n => document.getElementById('now-ticket').textContent === n", arg=called["number"]
    )
    seen = page.evaluate("() => window.__seenWithNumber")
    assert [called["number"], True, "grid"] in seen, seen
    assert all(hidden and display == "grid" for _n, hidden, display in seen), seen
    assert page.evaluate("() => window.NFBoardRotation.interrupted") == 1
    assert page.is_visible("#now-ticket")
    clerk.ticket_action(called["id"], "finish")
