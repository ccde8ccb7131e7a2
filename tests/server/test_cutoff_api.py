"""The honest cut-off through the API on a fresh database (demo catalog, Asia/Beirut, +02:00).

Passports (``passport-new``): Mon-Fri 08:00-13:00, margin 10 min, 600 s per ticket before the
day has data, served by counters 4 and 5. The cut-off is at 12:50 minus the estimated wait.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tests.server.conftest import AppEnv

PASSPORT = "passport-new"


def services(env: AppEnv) -> dict[str, dict[str, Any]]:
    answer = env.http.get("/api/v1/services")
    assert answer.status_code == 200, answer.text
    return {s["id"]: s for s in answer.json()["services"]}


def issue(env: AppEnv, service: str = PASSPORT, **body: Any) -> Any:
    return env.http.post("/api/v1/tickets", json={"service": service, **body}, headers=env.kiosk)


def test_each_service_tells_its_last_ticket_time_in_the_centers_zone(app_env: AppEnv) -> None:
    cutoff = services(app_env)[PASSPORT]["cutoff"]
    # no counter open: no estimate, the clock alone decides: 13:00 - 10 min
    assert cutoff == {
        "last_ticket_at": "2026-11-23T12:50:00+02:00",
        "closes_at": "2026-11-23T13:00:00+02:00",
        "past_cutoff": False,
        "overridden": False,
    }


def test_a_ticket_at_the_last_ticket_time_is_issued_and_one_after_it_refused(
    app_env: AppEnv,
) -> None:
    app_env.clock.set_local("2026-11-23 12:50")
    assert issue(app_env).status_code == 201
    app_env.clock.advance(1)
    assert services(app_env)[PASSPORT]["cutoff"]["past_cutoff"] is True
    answer = issue(app_env)
    assert answer.status_code == 409, answer.text
    error = answer.json()["error"]
    assert error["code"] == "past_cutoff"
    assert "13:00" in error["message"]["en"] and "13:00" in error["message"]["ar"]
    # another service closing at 14:00 still issues
    assert issue(app_env, "civil-extract").status_code == 201


def test_the_estimated_wait_brings_the_cutoff_forward(app_env: AppEnv) -> None:
    app_env.login("clerk4", counter="c4")  # one open counter: 600 s per ticket ahead
    app_env.clock.set_local("2026-11-23 12:00")
    for ahead in range(6):  # the sixth is told 5 x 600 s: called at 12:50, just in time
        assert issue(app_env).status_code == 201, ahead
    listed = services(app_env)[PASSPORT]
    assert listed["queue"]["estimated_wait_s"] == 3600
    assert listed["cutoff"]["last_ticket_at"] == "2026-11-23T11:50:00+02:00"
    assert listed["cutoff"]["past_cutoff"] is True
    answer = issue(app_env)
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "past_cutoff"


def test_a_retry_of_a_ticket_issued_before_the_cutoff_returns_it_after(app_env: AppEnv) -> None:
    app_env.clock.set_local("2026-11-23 12:49")
    key = {"Idempotency-Key": "retry-after-cutoff", **app_env.kiosk}
    first = app_env.http.post("/api/v1/tickets", json={"service": PASSPORT}, headers=key)
    assert first.status_code == 201
    app_env.clock.set_local("2026-11-23 12:55")
    again = app_env.http.post("/api/v1/tickets", json={"service": PASSPORT}, headers=key)
    assert again.status_code == 200 and again.json()["number"] == first.json()["number"]


def test_the_manager_keeps_a_service_issuing_for_the_day(app_env: AppEnv) -> None:
    app_env.clock.set_local("2026-11-23 12:55")
    assert issue(app_env).status_code == 409
    path = f"/api/v1/admin/services/{PASSPORT}/cutoff-override"
    clerk = app_env.login("clerk1")
    denied = app_env.http.put(path, json={"day": "2026-11-23", "open": True}, headers=clerk)
    assert denied.status_code == 403
    manager = app_env.login("manager")
    answer = app_env.http.put(path, json={"day": "2026-11-23", "open": True}, headers=manager)
    assert answer.status_code == 200, answer.text
    assert services(app_env)[PASSPORT]["cutoff"] == {
        "last_ticket_at": "2026-11-23T13:00:00+02:00",
        "closes_at": "2026-11-23T13:00:00+02:00",
        "past_cutoff": False,
        "overridden": True,
    }
    assert issue(app_env).status_code == 201
    # the override is the manager's, audited, and for that day only
    with sqlite3.connect(app_env.db_path) as db:
        kinds = [
            r[0] for r in db.execute("SELECT actor FROM events WHERE kind='cutoff_overridden'")
        ]
    assert kinds == ["manager"]
    log = app_env.http.get("/api/v1/admin/events", headers=app_env.login("admin")).json()
    said = next(e["description"] for e in log if e["kind"] == "cutoff_overridden")
    assert (
        said["en"] == '"New passport" keeps issuing past its cut-off on 2026-11-23, until it closes'
    )
    assert "2026-11-23" in said["ar"] and "جواز" in said["ar"]
    app_env.clock.set_local("2026-11-24 12:55")
    assert issue(app_env).status_code == 409
    manager = app_env.login("manager")  # yesterday's sign-in has expired
    # a past day cannot be changed; the rule comes back with open: false
    past = app_env.http.put(path, json={"day": "2026-11-23", "open": False}, headers=manager)
    assert past.status_code == 422 and past.json()["error"]["code"] == "override_day_past"
    for body in ({"day": "2026-11-24", "open": True}, {"day": "2026-11-24", "open": False}):
        assert app_env.http.put(path, json=body, headers=manager).status_code == 200
    assert issue(app_env).status_code == 409
    unknown = app_env.http.put(
        "/api/v1/admin/services/nope/cutoff-override",
        json={"day": "2026-11-24", "open": True},
        headers=manager,
    )
    assert unknown.status_code == 404
    bad = app_env.http.put(path, json={"day": "tomorrow", "open": True}, headers=manager)
    assert bad.status_code == 422


def test_ignored_hours_mean_no_cutoff(seeded_db, tmp_path) -> None:
    from tests.server.conftest import make_env

    env_iter = make_env(seeded_db, tmp_path, ignore_hours=True)
    env = next(env_iter)
    try:
        env.clock.set_local("2026-11-23 23:30")
        cutoff = services(env)[PASSPORT]["cutoff"]
        assert cutoff["last_ticket_at"] is None and cutoff["past_cutoff"] is False
        assert issue(env).status_code == 201
    finally:
        env_iter.close()
