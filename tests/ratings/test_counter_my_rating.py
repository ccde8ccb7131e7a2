"""The counter's day line shows the signed-in clerk's own rating today, and nobody else's."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from nafitha.harness.counter_driver import start_counter
from nafitha.text import t
from tests.ratings.serving import served, token_of
from tests.support.server import RunningServer

pytestmark = pytest.mark.gui


def rate(server: RunningServer, ticket: dict, stars: int) -> None:
    server.client().request(
        "POST", f"/api/v1/tickets/public/{token_of(ticket)}/rating", json_body={"stars": stars}
    )


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_day_line_shows_the_clerks_own_rating(
    demo_server: RunningServer, display: str, artifacts: Path, tmp_path: Path, lang: str
) -> None:
    mine = [served(demo_server, "work-permit", "c8", "clerk8")[1] for _ in range(2)]
    for ticket, stars in zip(mine, (5, 4), strict=True):
        rate(demo_server, ticket, stars)
    other = served(demo_server, "civil-extract", "c1", "clerk1")[1]
    rate(demo_server, other, 1)
    with sqlite3.connect(demo_server.db) as db:  # the module's server may hold earlier ones
        count, mean = db.execute(
            "SELECT count(*), avg(stars) FROM ratings WHERE clerk = 'clerk8'"
        ).fetchone()
    assert mean == 4.5
    counter = start_counter(
        demo_server.url, "c8", tmp_path / "counter.log", artifacts / "ratings", lang=lang
    )
    try:
        counter.login("clerk8", demo_server.password)
        line = t("ratings.my_ratings", lang, mean=f"{mean:.1f}", count=count)
        counter.wait(lambda s: line in " ".join(counter.describe("today")["texts"]), "my rating")
        counter.shot(f"counter_my_rating_{lang}")
    finally:
        counter.close()
