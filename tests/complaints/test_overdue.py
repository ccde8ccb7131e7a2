"""Overdue complaints climb on a simulated clock: an alert to the manager, then the ministry."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.config import DEFAULT_CENTER, load_center_config
from server.usecases.complaints_overdue import run_overdue
from tests.complaints.conftest import AppEnv
from tests.server.conftest import make_env

DAY = 86_400.0


def file(env: AppEnv, kind: str = "complaint") -> str:
    topic = "long_wait" if kind == "complaint" else "seating"
    body = {"kind": kind, "about": "center", "topic": topic}
    answer = env.http.post("/api/v1/complaints", json=body)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["reference"])


def escalations(env: AppEnv) -> list[tuple[str, str]]:
    rows = env.ctx.db.read().execute(
        "SELECT data FROM events WHERE kind = 'complaint_escalated' ORDER BY id"
    )
    return [(d["complaint"]["reference"], d["level"]) for d in (json.loads(r[0]) for r in rows)]


def open_alerts(env: AppEnv) -> list[dict[str, object]]:
    """Signed in afresh: the simulated days outlast a session."""
    alerts = env.http.get("/api/v1/alerts", headers=env.login("manager")).json()
    return [a for a in alerts if a["kind"] == "complaint_overdue"]


def test_an_overdue_complaint_alerts_the_manager_then_escalates_to_the_ministry(
    app_env: AppEnv,
) -> None:
    complaint = file(app_env)
    suggestion = file(app_env, "suggestion")
    app_env.clock.advance(7 * DAY - 60)
    assert run_overdue(app_env.ctx) == {"alerted": 0, "escalated": 0}
    app_env.clock.advance(120)  # just past the complaint's 7 days; the suggestion has 30
    assert run_overdue(app_env.ctx) == {"alerted": 1, "escalated": 0}
    assert run_overdue(app_env.ctx) == {"alerted": 0, "escalated": 0}  # once only
    (alert,) = open_alerts(app_env)
    assert alert["message"] == complaint
    boss = app_env.login("manager")
    listed = app_env.http.get("/api/v1/complaints?overdue=true", headers=boss).json()
    assert [c["reference"] for c in listed["complaints"]] == [complaint]
    assert listed["complaints"][0]["overdue"] is True and listed["counts"]["overdue"] == 1
    app_env.clock.advance(2 * DAY - 60)
    assert run_overdue(app_env.ctx)["escalated"] == 0
    app_env.clock.advance(120)
    assert run_overdue(app_env.ctx) == {"alerted": 0, "escalated": 1}
    ref = complaint.replace("-", "")
    assert escalations(app_env) == [(ref, "manager"), (ref, "ministry")]
    boss = app_env.login("manager")
    staff = app_env.http.get(f"/api/v1/complaints/{complaint}", headers=boss).json()
    assert staff["escalated_at"] and staff["alerted_at"]
    # answering clears the manager's alert; the suggestion climbs on its own deadline
    answered = app_env.http.post(
        f"/api/v1/complaints/{complaint}/answer", json={"text": "Sorry."}, headers=boss
    )
    assert answered.status_code == 200
    assert open_alerts(app_env) == []
    app_env.clock.advance(21 * DAY)
    assert run_overdue(app_env.ctx) == {"alerted": 1, "escalated": 0}
    assert escalations(app_env)[-1] == (suggestion.replace("-", ""), "manager")


def test_spam_and_answered_complaints_never_climb(app_env: AppEnv) -> None:
    boss = app_env.login("manager")
    spam = file(app_env)
    answered = file(app_env)
    app_env.http.post(f"/api/v1/complaints/{spam}/spam", json={"spam": True}, headers=boss)
    app_env.http.post(f"/api/v1/complaints/{answered}/answer", json={"text": "ok"}, headers=boss)
    app_env.clock.advance(40 * DAY)
    assert run_overdue(app_env.ctx) == {"alerted": 0, "escalated": 0}


@pytest.fixture
def fast_job_env(seeded_db: Path, tmp_path: Path) -> Iterator[AppEnv]:
    config = load_center_config(DEFAULT_CENTER)
    settings = config.center.complaints.model_copy(update={"check_s": 0.05})
    center = config.center.model_copy(update={"complaints": settings})
    yield from make_env(seeded_db, tmp_path, center=config.model_copy(update={"center": center}))


def test_the_servers_own_job_raises_the_alert_when_the_clock_passes_the_deadline(
    fast_job_env: AppEnv,
) -> None:
    env = fast_job_env
    reference = file(env)
    env.clock.advance(8 * DAY)
    deadline = time.monotonic() + 20
    while not open_alerts(env):
        assert time.monotonic() < deadline, "the job never raised the alert"
        time.sleep(0.05)
    assert open_alerts(env)[0]["message"] == reference
