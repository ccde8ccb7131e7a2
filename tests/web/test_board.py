"""The waiting hall's board in real headless Chromium against a real server process."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import pytest

from nafitha.client import ApiError
from nafitha.formats import format_time, format_wait
from nafitha.paths import SOUNDS
from nafitha.text import t
from tests.support.server import RunningServer, running_server

pytestmark = pytest.mark.browser


def expected_clips(number: str, counter: int) -> list[str]:
    """How the announcement must sound, written out independently of board.js."""
    prefix, digits = number.split("-")
    value = int(digits)

    def words(lang: str, n: int) -> list[str]:
        parts = [n // 1000 * 1000, n % 1000 // 100 * 100, n % 100]
        out: list[str] = []
        for part in parts:
            if part:
                joined = lang == "ar" and out and part < 1000
                out.append(f"{lang}/{'wa' if joined else 'n'}{part}")
        return out

    clips = ["chime"]
    for lang in ("ar", "en"):
        clips += [f"{lang}/ticket", *(f"{lang}/letter-{c}" for c in prefix)]
        clips += [*words(lang, value), f"{lang}/counter", *words(lang, counter)]
    return clips


def issue(server: RunningServer, service: str, count: int = 1) -> list[dict]:
    kiosk = server.client(server.kiosk_token)
    return [kiosk.issue_ticket(service, idempotency_key=str(uuid.uuid4())) for _ in range(count)]


def open_board(open_page, server: RunningServer, lang: str = "ar"):
    recorded = open_page(1920, 1080)
    page = recorded.page
    page.goto(f"{server.url}/board?lang={lang}")
    page.wait_for_function("window.NFBoard && window.NFBoard.Board.stream !== null")
    return recorded


def shown_ticket(page) -> str:
    return page.eval_on_selector("#now-ticket", "el => el.textContent")


def test_voice_clips_exist_for_every_announcement_the_board_plans() -> None:
    manifest = json.loads((SOUNDS / "manifest.json").read_text(encoding="utf-8"))
    for number, counter in (("A-001", 1), ("B-042", 12), ("PA-1242", 60), ("Z-999", 7)):
        for clip in expected_clips(number, counter):
            assert clip in manifest["clips"] or clip == manifest["chime"], clip
            assert (SOUNDS / f"{clip}.{manifest['format']}").stat().st_size > 1000


def test_a_call_reaches_the_board_within_a_second_and_is_announced(
    demo_server: RunningServer, open_page, artifacts: Path
) -> None:
    issue(demo_server, "civil-extract", 3)
    recorded = open_board(open_page, demo_server)
    page = recorded.page
    clerk = demo_server.login("clerk1", counter="c1")
    called = clerk.call_next("c1")
    answered = time.monotonic()
    page.wait_for_function(
        "n => document.getElementById('now-ticket').textContent === n", arg=called["number"]
    )
    seen_after = time.monotonic() - answered
    assert seen_after < 1.0, f"the board showed the call after {seen_after:.2f}s"
    assert page.eval_on_selector("#now-counter", "el => el.textContent") == str(
        called["counter"]["number"]
    )
    assert "fresh" in page.get_attribute("#now", "class")

    # The announcement: every clip fetched, decoded and started, in order.
    want = expected_clips(called["number"], called["counter"]["number"])
    page.wait_for_function(
        "n => window.NFBoard.Voice.played.length >= n", arg=len(want), timeout=10000
    )
    assert page.evaluate("window.NFBoard.Voice.played.slice()")[-len(want) :] == want
    # A large number is said as words composed from clips (ألف ومئتان واثنان وأربعون).
    assert page.evaluate("window.NFBoard.Voice.plan('PA-1242', 60)") == expected_clips(
        "PA-1242", 60
    )

    clerk.ticket_action(called["id"], "start")
    clerk.ticket_action(called["id"], "finish")
    second = clerk.call_next("c1")
    page.wait_for_function(
        "n => document.getElementById('now-ticket').textContent === n", arg=second["number"]
    )
    earlier = page.eval_on_selector_all("#recent li .ticket", "els => els.map(e => e.textContent)")
    assert called["number"] in earlier
    page.screenshot(path=str(artifacts / "web-board-ar.png"))
    assert recorded.outside(demo_server.url) == []


def test_the_manager_message_line_appears_on_the_board(
    demo_server: RunningServer, open_page
) -> None:
    recorded = open_board(open_page, demo_server, "en")
    manager = demo_server.login("manager")
    manager.request(
        "PUT", "/api/v1/board/message", json_body={"message": "  Closed Friday  for repairs "}
    )
    recorded.page.wait_for_function(
        "document.getElementById('message').textContent === 'Closed Friday for repairs'"
    )
    clerk = demo_server.login("clerk2")
    with pytest.raises(ApiError) as refused:
        clerk.request("PUT", "/api/v1/board/message", json_body={"message": "hi"})
    assert refused.value.status == 403


def test_the_board_resumes_after_a_server_restart_without_losing_calls(
    tmp_path: Path, open_page, artifacts: Path
) -> None:
    with running_server(tmp_path / "restart") as server:
        issue(server, "civil-extract", 4)
        recorded = open_board(open_page, server)
        page = recorded.page
        clerk = server.login("clerk1", counter="c1")
        first = clerk.call_next("c1")
        page.wait_for_function(
            "n => document.getElementById('now-ticket').textContent === n", arg=first["number"]
        )
        # The board loses the server: it is killed as in a power cut, and the board's reconnects
        # are held off until two more calls have been made on the restarted server.
        # Offline at the browser's network layer: a route handler would run only while this
        # test is inside a Playwright call, so a reconnect made meanwhile could hang undecided.
        page.context.set_offline(True)
        server.kill()
        page.wait_for_selector("#banner:not(.hidden)")
        server = server.restart()
        try:
            clerk = server.login("clerk1", counter="c1")
            clerk.ticket_action(first["id"], "finish")
            second = clerk.call_next("c1")
            clerk.ticket_action(second["id"], "finish")
            third = clerk.call_next("c1")
            assert shown_ticket(page) == first["number"]
            page.context.set_offline(False)
            page.wait_for_function(
                "n => document.getElementById('now-ticket').textContent === n",
                arg=third["number"],
                timeout=15000,
            )
            page.wait_for_selector("#banner.hidden", state="attached")
            earlier = page.eval_on_selector_all(
                "#recent li .ticket", "els => els.map(e => e.textContent)"
            )
            assert earlier[:2] == [second["number"], first["number"]]
            # Both missed calls are announced, each once (queued behind the one playing).
            desk = third["counter"]["number"]
            page.wait_for_function("window.NFBoard.Voice.announced.length >= 3", timeout=15000)
            assert page.evaluate("window.NFBoard.Voice.announced.slice()") == [
                expected_clips(first["number"], desk),
                expected_clips(second["number"], desk),
                expected_clips(third["number"], desk),
            ]
            page.screenshot(path=str(artifacts / "web-board-after-restart.png"))
            assert recorded.outside(server.url) == []
        finally:
            server.stop()


def test_without_voice_clips_the_board_still_shows_calls(
    demo_server: RunningServer, open_page
) -> None:
    recorded = open_page(1920, 1080)
    page = recorded.page
    page.route("**/sounds/manifest.json", lambda route: route.fulfill(status=404, body="{}"))
    page.goto(f"{demo_server.url}/board")
    page.wait_for_function("window.NFBoard && window.NFBoard.Board.stream !== null")
    issue(demo_server, "death-registration")
    clerk = demo_server.login("clerk3", counter="c3")
    called = clerk.call_next("c3")
    page.wait_for_function(
        "n => document.getElementById('now-ticket').textContent === n", arg=called["number"]
    )
    assert page.evaluate("window.NFBoard.Voice.enabled") is False
    assert page.evaluate("window.NFBoard.Voice.announced.length") == 0


def test_a_long_message_wraps_on_the_board_instead_of_being_cut(
    demo_server: RunningServer, open_page
) -> None:
    recorded = open_board(open_page, demo_server, "ar")
    page = recorded.page
    words = "يغلق المركز يوم الجمعة للصيانة، ونرجو من المراجعين العودة يوم السبت صباحاً"
    message = (words + " — ") * 3
    message = " ".join(message.split())[:200]
    demo_server.login("manager").request(
        "PUT", "/api/v1/board/message", json_body={"message": message}
    )
    page.wait_for_function("m => document.getElementById('message').textContent === m", arg=message)
    box = page.evaluate(
        """() => { const el = document.getElementById('message');
                   const r = el.getBoundingClientRect();
                   return {sw: el.scrollWidth, cw: el.clientWidth, sh: el.scrollHeight,
                           ch: el.clientHeight, bottom: r.bottom, vh: innerHeight}; }"""
    )
    assert box["sw"] <= box["cw"] + 1, box  # nothing runs off the side
    assert box["sh"] <= box["ch"] + 1, box  # nothing cut below
    assert box["bottom"] <= box["vh"] + 1, box  # and the line is on the screen
    demo_server.login("manager").request("PUT", "/api/v1/board/message", json_body={"message": ""})


def test_service_names_and_waits_on_the_board_are_in_both_languages(
    demo_server: RunningServer, open_page
) -> None:
    issue(demo_server, "vehicle-fees")  # counter 6 only, and nobody opened it
    issue(demo_server, "criminal-record")
    demo_server.login("clerk1", counter="c1")  # counter 1 serves criminal records: it opens
    services = {s["id"]: s for s in demo_server.client().services()["services"]}
    for lang in ("ar", "en"):
        page = open_board(open_page, demo_server, lang).page
        for service in ("vehicle-fees", "criminal-record"):
            row = page.wait_for_selector(f"#waiting li[data-service='{service}']")
            text = row.inner_text()
            name = services[service]["name"]
            assert name["ar"] in text and name["en"] in text, text
        # The server's one rounded wait, in both languages; or no counter, never a wait.
        queue = services["criminal-record"]["queue"]
        assert queue["callable"] is True
        text = page.inner_text("#waiting li[data-service='criminal-record'] .wait")
        assert format_wait(queue["wait_minutes"], "ar") in text
        assert format_wait(queue["wait_minutes"], "en") in text
        assert services["vehicle-fees"]["queue"]["callable"] is False
        text = page.inner_text("#waiting li[data-service='vehicle-fees'] .wait")
        assert t("web.board_no_counter", "ar") in text and t("web.board_no_counter", "en") in text


def test_earlier_calls_follow_transfers_and_no_shows(tmp_path: Path, open_page) -> None:
    with running_server(tmp_path / "moves") as server:
        issue(server, "passport-new", 3)
        page = open_board(open_page, server, "ar").page
        first = server.login("clerk4", counter="c4")
        second = server.login("clerk5", counter="c5")
        moved = first.call_next("c4")
        missed = second.call_next("c5")
        page.wait_for_function(
            "n => document.getElementById('now-ticket').textContent === n", arg=missed["number"]
        )
        earlier = "els => els.map(e => e.dataset.number)"
        assert page.eval_on_selector_all("#recent li", earlier) == [moved["number"]]

        # Transferred to another counter, the ticket waits again: off the board at once (it
        # comes back when that counter calls it), and not back after a reload either.
        first.ticket_action(moved["id"], "transfer", counter="c5")
        page.wait_for_function(
            "n => ![...document.querySelectorAll('#recent li')]"
            ".some(li => li.dataset.number === n)",
            arg=moved["number"],
        )
        # A no-show is marked as missed, in both languages, not listed like a served ticket;
        # the big number no longer shows it.
        second.ticket_action(missed["id"], "recall")
        second.ticket_action(missed["id"], "no-show")
        page.wait_for_selector(f"#recent li.missed[data-number='{missed['number']}']")
        row = page.inner_text(f"#recent li[data-number='{missed['number']}']")
        assert "لم يحضر" in row and "missed" in row
        assert page.inner_text("#now-ticket") != missed["number"]

        page.reload()
        page.wait_for_function("window.NFBoard && window.NFBoard.Board.stream !== null")
        numbers = page.eval_on_selector_all("#recent li", earlier)
        assert moved["number"] not in numbers and page.inner_text("#now-ticket") != moved["number"]
        assert page.eval_on_selector_all("#recent li.missed", earlier) == [missed["number"]]

        # Called again at its new counter, the transferred ticket is the big number there.
        called_again = second.call_next("c5")
        assert called_again["number"] == moved["number"]
        page.wait_for_function(
            "n => document.getElementById('now-ticket').textContent === n", arg=moved["number"]
        )
        assert page.inner_text("#now-counter") == "5"


def test_the_board_reads_its_state_again_after_a_reset(tmp_path: Path, open_page) -> None:
    settings = tmp_path / "server.toml"
    settings.write_text("event_replay_max = 10\n", encoding="utf-8")
    with running_server(tmp_path / "reset", extra_args=["--config", str(settings)]) as server:
        issue(server, "civil-extract")
        page = open_board(open_page, server).page
        # The board loses the server; meanwhile more happens than the server replays.
        # Offline at the browser's network layer: a route handler would run only while this
        # test is inside a Playwright call, so a reconnect made meanwhile could hang undecided.
        page.context.set_offline(True)
        server.kill()
        page.wait_for_selector("#banner:not(.hidden)")
        server = server.restart()
        try:
            called = server.login("clerk1", counter="c1").call_next("c1")
            issue(server, "family-extract", 12)
            page.context.set_offline(False)
            # the reconnect's backoff after a restart, on a busy machine: a deadline, not a speed
            page.wait_for_function("window.NFBoard.Board.resets >= 1", timeout=40000)
            page.wait_for_function(
                "n => document.getElementById('now-ticket').textContent === n",
                arg=called["number"],
            )
            count = page.inner_text("#waiting li[data-service='family-extract'] .count")
            assert count == "12"
        finally:
            server.stop()


def test_the_board_clock_is_in_the_centers_zone(demo_server: RunningServer, open_page) -> None:
    recorded = open_page(1280, 720, timezone_id="Pacific/Auckland")  # a TV left in another zone
    page = recorded.page
    page.goto(f"{demo_server.url}/board")
    page.wait_for_function("document.getElementById('clock').textContent !== ''")
    before = time.time()
    shown = page.inner_text("#clock")
    after = time.time() + 1
    assert shown in {format_time(before, "Asia/Beirut"), format_time(after, "Asia/Beirut")}
