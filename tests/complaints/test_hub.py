"""What the national hub sees of an overdue complaint: the center's log, relayed as the relay
sends it and taken in by the hub's intake (a real PostgreSQL), holds both climbs; the ministry's
live view lists the manager's alert with the reference while it is open, and its list of
escalated complaints shows it open and overdue, then answered once the center answers it."""

from __future__ import annotations

import json

from hub.domain.roles import Person
from hub.store import centers
from hub.store.database import connect
from hub.usecases.intake import Message, take_batch
from hub.usecases.ministry import complaints, live
from server.usecases.complaints_overdue import run_overdue
from tests.complaints.conftest import AppEnv
from tests.hub.center_flows import audit, relayed
from tests.hub.conftest import pg_cluster, pg_dsn  # noqa: F401 - the hub's PostgreSQL

DAY = 86_400.0


def test_the_hub_takes_in_both_climbs_and_the_ministry_sees_the_open_alert(
    app_env: AppEnv,
    pg_dsn: str,  # noqa: F811
) -> None:
    body = {"kind": "complaint", "about": "service", "service": "passport-renewal",
            "topic": "long_wait", "text": "Nobody called my number for three hours."}  # fmt: skip
    reference = app_env.http.post("/api/v1/complaints", json=body).json()["reference"]
    quiet = {"kind": "suggestion", "about": "center", "topic": "seating"}  # never escalated
    app_env.http.post("/api/v1/complaints", json=quiet).raise_for_status()
    app_env.clock.advance(8 * DAY)
    run_overdue(app_env.ctx)
    app_env.clock.advance(2 * DAY + 60)
    assert run_overdue(app_env.ctx)["escalated"] == 1
    public_key = audit(app_env.db_path, "public-key").strip()
    bodies = relayed("c1", app_env.db_path)
    with connect(pg_dsn) as conn:
        centers.register(conn, [("c1", {"ar": "مركز", "en": "Center"}, public_key)])
        result = take_batch(conn, "c1", [Message(b) for b in bodies], 1.0)
        assert result.stopped is None and result.accepted == len(bodies)
        levels = [
            json.loads(data)["level"]
            for (data,) in conn.execute(
                "SELECT data FROM events WHERE center = 'c1' AND kind = 'complaint_escalated'"
                " ORDER BY seq"
            ).fetchall()
        ]
        assert levels == ["manager", "ministry"]
        minister = Person("minister", "ministry")
        seen = live(conn, minister, app_env.clock(), 3600.0)
        listed = complaints(conn, minister, app_env.clock())
    alerts = [a for a in seen["device_alerts"] if a["kind"] == "complaint_overdue"]
    assert [(a["message"], a["resolved_at"]) for a in alerts] == [(reference, None)]
    assert listed["open"] == 1 and len(listed["complaints"]) == 1  # the suggestion is not due
    item = listed["complaints"][0]
    assert item["reference"] == reference and item["center"] == "c1" and item["open"] is True
    assert (item["kind"], item["about"], item["service"], item["topic"], item["status"]) == (
        "complaint",
        "service",
        "passport-renewal",
        "long_wait",
        "received",
    )
    assert item["service_name"]["en"] and item["timezone"] == "Asia/Beirut"
    assert item["overdue_s"] == app_env.clock() - item["deadline_at"] > 2 * DAY
    assert item["escalated_at"] > item["deadline_at"] > item["filed_at"]
    assert "Nobody called" not in json.dumps(listed)  # the words stay at the center

    boss = app_env.login("manager")
    answered = app_env.http.post(
        f"/api/v1/complaints/{reference}/answer", json={"text": "Sorry: fixed."}, headers=boss
    )
    assert answered.status_code == 200, answered.text
    with connect(pg_dsn) as conn:
        take_batch(conn, "c1", [Message(b) for b in relayed("c1", app_env.db_path)], 2.0)
        listed = complaints(conn, Person("minister", "ministry"), app_env.clock())
    item = listed["complaints"][0]
    assert listed["open"] == 0 and item["open"] is False and item["status"] == "answered"
    assert item["answered_at"] == app_env.clock() and item["overdue_s"] is None
