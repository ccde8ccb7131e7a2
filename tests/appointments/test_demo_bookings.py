"""The demo's bookings (server/demo/appointments.py): made through the real use case, one ready
to check in at the kiosk now, one already a no-show, and they show in the figures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from server.demo.appointments import seed_demo_bookings
from tests.server.conftest import AppEnv, make_env, seeded_db  # noqa: F401 - a fixture


@pytest.fixture
def env(seeded_db: Path, tmp_path: Path) -> Iterator[AppEnv]:  # noqa: F811
    yield from make_env(seeded_db, tmp_path)


def test_the_demo_books_a_check_in_for_now_and_a_no_show(env: AppEnv) -> None:
    env.clock.set_local("2026-11-23 10:10")
    made = seed_demo_bookings(env.ctx)
    shows = [shows for _, _, _, shows in made]
    assert "check in at the kiosk now" in shows and "no-show (past its grace)" in shows
    assert "tomorrow" in shows
    now_code = next(code for code, _, _, shows in made if shows == "check in at the kiosk now")
    answer = env.http.post(f"/api/v1/appointments/{now_code}/check-in", headers=env.kiosk)
    assert answer.status_code == 200, answer.text
    assert answer.json()["late"] is False
    manager = env.login("manager")
    figures = env.http.get(
        "/api/v1/appointments/figures",
        params={"from": "2026-11-23", "to": "2026-11-23"},
        headers=manager,
    ).json()["days"][0]
    assert figures["checked_in"] == 1 and figures["no_show"] >= 1
