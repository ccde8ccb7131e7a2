"""``nafitha kiosk --mode rating`` under Xvfb against a real server: it waits, asks with five faces
once the clerk finishes a visit at its counter (woken by the live events), sends the tap, thanks,
goes back to waiting, and never rates a visit twice."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from nafitha.harness.kiosk_driver import Kiosk, start_kiosk
from tests.ratings.serving import served, token_of
from tests.support.server import RunningServer

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def screen(
    display: str,
    artifacts: Path,
    demo_server: RunningServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Kiosk]:
    kiosk = start_kiosk(
        tmp_path_factory.mktemp("rating"),
        artifacts / "ratings",
        demo_server.url,
        "dummy://",
        size="800x480",
        settings={"mode": "rating", "counter": "c8", "rating_poll_s": 20, "lang": "ar"},
    )
    try:
        yield kiosk
    finally:
        kiosk.close()


def stored(server: RunningServer, ticket_id: int) -> tuple | None:
    with sqlite3.connect(server.db) as db:
        return db.execute(
            "SELECT stars, source, counter, clerk FROM ratings WHERE ticket_id = ?", [ticket_id]
        ).fetchone()


def test_the_screen_asks_after_a_finish_at_its_counter_and_rates_that_visit_once(
    screen: Kiosk, demo_server: RunningServer
) -> None:
    screen.wait_screen("rating_idle")
    screen.wait_state(lambda s: "8" in s["counter_text"], "the counter's name")
    screen.shot("rating_idle")
    _, ticket = served(demo_server, "work-permit", "c8", "clerk8")
    screen.wait_screen("rating_ask", timeout=15)  # well before the 20 s poll: the live event
    state = screen.wait_state(lambda s: s["woken"] >= 1, "the live event of the finish")
    assert state["pending"]["ticket"] == ticket["id"]
    assert state["pending"]["number"] == ticket["number"]
    assert {f"face_{n}" for n in range(1, 6)} <= set(screen.names())
    screen.shot("rating_ask")
    screen.app.call("thanks_time", seconds=1.5)
    screen.tap("face_4")
    screen.wait_screen("rating_thanks")
    screen.shot("rating_thanks")
    assert stored(demo_server, ticket["id"]) == (4, "counter", "c8", "clerk8")
    screen.wait_screen("rating_idle")
    checks = screen.state()["checks"]
    screen.wait_state(lambda s: s["checks"] >= checks + 1, "another check after thanking")
    assert screen.screen() == "rating_idle"  # the rated visit is not asked about again
    assert screen.state()["sent"] == [{"ticket": ticket["id"], "stars": 4}]


def test_a_visit_rated_from_the_phone_meanwhile_is_not_rated_again_at_the_counter(
    screen: Kiosk, demo_server: RunningServer
) -> None:
    screen.wait_screen("rating_idle")
    _, ticket = served(demo_server, "work-permit", "c8", "clerk8")
    screen.wait_screen("rating_ask", timeout=15)
    demo_server.client().request(
        "POST", f"/api/v1/tickets/public/{token_of(ticket)}/rating", json_body={"stars": 2}
    )
    screen.tap("face_5")
    screen.wait_screen("rating_idle")
    assert "nothing_to_rate" in screen.state()["errors"]
    assert stored(demo_server, ticket["id"]) == (2, "phone", "c8", "clerk8")


def test_a_finish_at_another_counter_is_not_asked_about(
    screen: Kiosk, demo_server: RunningServer
) -> None:
    screen.wait_screen("rating_idle")
    shown = screen.state()["shown"]
    served(demo_server, "civil-extract", "c1", "clerk1")
    checks = screen.state()["checks"]
    screen.app.call("state")
    screen.wait_state(lambda s: s["checks"] >= checks + 1, "a check after the finish", timeout=60)
    assert screen.screen() == "rating_idle" and screen.state()["shown"] == shown


def test_a_rating_screen_without_a_counter_stops_at_start_naming_the_key() -> None:
    from kiosk.config import load_kiosk_settings
    from kiosk.rating_mode import run_rating_screen
    from nafitha.settings import ConfigError

    settings = load_kiosk_settings(None, {"mode": "rating"})
    with pytest.raises(ConfigError, match="counter"):
        run_rating_screen(settings, None, size_given=False)
