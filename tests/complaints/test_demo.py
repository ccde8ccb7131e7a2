"""The demo's complaints: filed through the real use cases, one overdue with its alert."""

from __future__ import annotations

from server.demo.complaints import seed_demo_complaints
from tests.complaints.conftest import AppEnv


def test_the_demo_files_an_overdue_an_answered_and_a_fresh_one(app_env: AppEnv) -> None:
    made = seed_demo_complaints(app_env.ctx)
    boss = app_env.login("manager")
    views = [app_env.http.get(f"/api/v1/complaints/{ref}", headers=boss).json() for ref, _ in made]
    assert [v["status"] for v in views] == ["received", "answered", "received"]
    assert views[0]["overdue"] and views[0]["alerted_at"] and not views[1]["overdue"]
    assert views[0]["escalated_at"] and not views[2]["escalated_at"]  # on to the ministry
    assert views[2]["kind"] == "suggestion"
    alerts = app_env.http.get("/api/v1/alerts", headers=boss).json()
    assert [a["message"] for a in alerts if a["kind"] == "complaint_overdue"] == [made[0][0]]
