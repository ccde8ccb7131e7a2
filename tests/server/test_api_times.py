"""Every time the API sends for a person to read is ISO 8601 in the center's zone, with its offset,
and the answers that show times name that zone (``timezone``), so no surface uses its PC's zone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from server.domain.hours import iso
from tests.server.conftest import AppEnv, env_in_zone


def test_iso_writes_unix_times_and_aware_datetimes_alike_in_the_centers_zone() -> None:
    winter = datetime(2026, 11, 23, 8, 4, 12, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 8, 4, 12, tzinfo=UTC)
    assert iso(winter.timestamp(), "Asia/Beirut") == "2026-11-23T10:04:12+02:00"
    assert iso(winter, "Asia/Beirut") == "2026-11-23T10:04:12+02:00"
    assert iso(summer.timestamp(), "Asia/Beirut") == "2026-07-01T11:04:12+03:00"
    assert iso(winter, "Asia/Baghdad") == "2026-11-23T11:04:12+03:00"
    assert iso(None, "Asia/Beirut") is None
    with pytest.raises(ValueError):
        iso(datetime(2026, 11, 23, 8, 4), "Asia/Beirut")


def test_ticket_service_and_track_answers_name_the_zone_their_times_are_in(
    app_env: AppEnv,
) -> None:
    ticket = app_env.issue("passport-new")
    assert ticket["timezone"] == "Asia/Beirut" and ticket["issued_at"].endswith("+02:00")
    status = app_env.http.get(f"/api/v1/tickets/public/{ticket['token']}").json()
    assert status["timezone"] == "Asia/Beirut" and status["issued_at"] == ticket["issued_at"]
    assert app_env.http.get("/api/v1/services").json()["timezone"] == "Asia/Beirut"
    clerk = app_env.login("clerk4", counter="c4")
    opened = app_env.http.post(
        "/api/v1/files",
        json={"service": "passport-new", "citizen": {"name": "Test"}, "documents_received": [0]},
        headers=clerk,
    )
    assert opened.status_code == 201, opened.text
    track = app_env.http.get(f"/api/v1/track/{opened.json()['reference']}").json()
    assert track["timezone"] == "Asia/Beirut"
    assert track["opened_at"].endswith("+02:00")
    assert all(entry["at"].endswith("+02:00") for entry in track["history"])


def test_times_follow_the_configured_zone_not_the_servers(seeded_db: Path, tmp_path: Path) -> None:
    with env_in_zone(seeded_db, tmp_path, "Asia/Baghdad") as env:
        ticket = env.issue("civil-extract")
        assert ticket["timezone"] == "Asia/Baghdad" and ticket["issued_at"].endswith("+03:00")
        status = env.http.get(f"/api/v1/tickets/public/{ticket['token']}").json()
        assert status["timezone"] == "Asia/Baghdad" and status["issued_at"].endswith("+03:00")
