"""Ticket numbering restarts at midnight in the center's time zone, not UTC's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.server.conftest import AppEnv, env_in_zone, make_env


@pytest.fixture
def open_env(seeded_db: Path, tmp_path: Path) -> Iterator[AppEnv]:
    yield from make_env(seeded_db, tmp_path, ignore_hours=True)


def test_numbering_restarts_at_local_midnight(open_env: AppEnv) -> None:
    open_env.clock.set_local("2026-11-23 23:58")  # Beirut is UTC+2: 21:58 UTC
    assert open_env.issue()["number"] == "A-001"
    assert open_env.issue()["number"] == "A-002"
    open_env.clock.set_local("2026-11-24 00:01")  # still 23 November in UTC, a new day here
    fresh = open_env.issue()
    assert fresh["number"] == "A-001" and fresh["day"] == "2026-11-24"
    days = open_env.ctx.db.read().execute("SELECT DISTINCT day FROM tickets ORDER BY day")
    assert [r[0] for r in days] == ["2026-11-23", "2026-11-24"]


def test_yesterdays_waiting_tickets_are_not_called_today(open_env: AppEnv) -> None:
    open_env.clock.set_local("2026-11-23 13:50")
    old = open_env.issue()
    open_env.clock.set_local("2026-11-24 08:05")
    new = open_env.issue()
    assert new["number"] == "A-001" and new["people_ahead"] == 0
    clerk = open_env.login("clerk1", counter="c1")
    called = open_env.http.post("/api/v1/counters/c1/next", headers=clerk).json()
    assert called["id"] == new["id"] != old["id"]
    open_env.http.post(f"/api/v1/tickets/{called['id']}/finish", headers=clerk)
    assert open_env.http.post("/api/v1/counters/c1/next", headers=clerk).status_code == 204


def test_rollover_follows_the_configured_zone(seeded_db: Path, tmp_path: Path) -> None:
    """At 21:30 UTC it is 23:30 in Beirut but already 00:30 tomorrow in Baghdad (UTC+3)."""
    with env_in_zone(seeded_db, tmp_path, "Asia/Baghdad") as env:
        env.clock.t = datetime(2026, 11, 23, 20, 30, tzinfo=UTC).timestamp()
        assert env.issue()["day"] == "2026-11-23"
        env.clock.t = datetime(2026, 11, 23, 21, 30, tzinfo=UTC).timestamp()
        ticket = env.issue()
        assert ticket["day"] == "2026-11-24" and ticket["number"] == "A-001"
        assert ticket["issued_at"].endswith("+03:00")
