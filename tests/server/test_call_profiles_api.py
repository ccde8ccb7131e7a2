"""Calling profiles through the API on a fresh database: the manager's endpoints, the calls they
change, the events that record them.

The demo catalog: counter 9 alone serves consumer complaints (K), and also criminal records and
document legalizations; counter 1 serves civil and family extracts and criminal records.
"""

from __future__ import annotations

import json
from typing import Any

from nafitha.text import t
from tests.server.conftest import AppEnv


def call_next(env: AppEnv, counter: str, clerk: dict[str, str]) -> dict[str, Any] | None:
    """Call next at ``counter`` and finish at once; the called ticket, or None."""
    answer = env.http.post(f"/api/v1/counters/{counter}/next", headers=clerk)
    if answer.status_code == 204:
        return None
    assert answer.status_code == 200, answer.text
    ticket = answer.json()
    done = env.http.post(f"/api/v1/tickets/{ticket['id']}/finish", headers=clerk)
    assert done.status_code == 200, done.text
    return ticket


def called_events(env: AppEnv) -> list[dict[str, Any]]:
    rows = env.ctx.db.read().execute(
        "SELECT ticket_id, data FROM events WHERE kind = 'ticket_called' ORDER BY id"
    )
    return [{"ticket_id": r[0], **json.loads(r[1])} for r in rows]


def test_only_a_manager_reads_and_sets_profiles_and_each_change_is_audited(
    app_env: AppEnv,
) -> None:
    clerk = app_env.login("clerk9", counter="c9")
    manager = app_env.login("manager")
    assert app_env.http.get("/api/v1/admin/center/profile").status_code == 401
    assert app_env.http.get("/api/v1/admin/center/profile", headers=clerk).status_code == 403
    body = {"priority": "ratio", "normal_per_priority": 3}
    refused = app_env.http.put("/api/v1/admin/counters/c9/profile", json=body, headers=clerk)
    assert refused.status_code == 403
    answer = app_env.http.get("/api/v1/admin/center/profile", headers=manager)
    assert answer.json()["profile"]["priority"] == "first"
    answer = app_env.http.put("/api/v1/admin/center/profile", json=body, headers=manager)
    assert answer.status_code == 200, answer.text
    assert answer.json()["profile"]["normal_per_priority"] == 3
    counter = app_env.http.get("/api/v1/admin/counters/c9/profile", headers=manager).json()
    assert counter["profile"] is None and counter["helps"] == []
    assert counter["effective"]["priority"] == "ratio"
    own = {"profile": {"priority": "capped", "max_priority_run": 2}, "helps": ["civil-extract"]}
    answer = app_env.http.put("/api/v1/admin/counters/c9/profile", json=own, headers=manager)
    assert answer.status_code == 200, answer.text
    assert answer.json()["effective"]["priority"] == "capped"
    assert answer.json()["helps"] == ["civil-extract"]
    rows = app_env.ctx.db.read().execute(
        "SELECT actor, counter, data FROM events WHERE kind = 'call_profile_saved' ORDER BY id"
    )
    saved = [(r[0], r[1], json.loads(r[2])) for r in rows]
    assert [(a, c, d["scope"]) for a, c, d in saved] == [
        ("manager", None, "center"),
        ("manager", "c9", "counter"),
    ]
    assert saved[1][2]["helps"] == ["civil-extract"]
    assert saved[1][2]["profile"]["max_priority_run"] == 2


def test_a_helping_service_must_exist_and_not_be_a_main_one(app_env: AppEnv) -> None:
    manager = app_env.login("manager")
    for helps, reason in ((["nope"], "nope"), (["consumer-complaint"], "consumer-complaint")):
        answer = app_env.http.put(
            "/api/v1/admin/counters/c9/profile", json={"helps": helps}, headers=manager
        )
        assert answer.status_code == 422, answer.text
        error = answer.json()["error"]
        assert error["code"] == "invalid_catalog"
        assert reason in error["message"]["en"] and reason in error["message"]["ar"]
    unknown = app_env.http.get("/api/v1/admin/counters/c99/profile", headers=manager)
    assert unknown.status_code == 404


def test_a_ratio_counter_calls_two_normal_then_one_priority_and_says_why(
    app_env: AppEnv,
) -> None:
    manager = app_env.login("manager")
    ratio = {"profile": {"priority": "ratio", "normal_per_priority": 2}}
    assert (
        app_env.http.put(
            "/api/v1/admin/counters/c9/profile", json=ratio, headers=manager
        ).status_code
        == 200
    )
    clerk = app_env.login("clerk9", counter="c9")
    for i in range(9):  # P N P N P N P N P, a second apart
        app_env.issue("consumer-complaint", priority=i % 2 == 0)
        app_env.clock.advance(1)
    kinds = ""
    while ticket := call_next(app_env, "c9", clerk):
        kinds += "P" if ticket["priority"] else "N"
    assert kinds == "NNPNNPPPP"
    events = called_events(app_env)
    assert [e["profile"] for e in events] == ["ratio"] * 5 + ["policy"] * 4
    assert {e["policy"] for e in events} == {"longest_wait"}
    # The center's default is still priority first at every other counter
    for _ in range(2):
        app_env.issue("criminal-record")
    app_env.issue("criminal-record", priority=True)
    clerk1 = app_env.login("clerk1", counter="c1")
    assert call_next(app_env, "c1", clerk1)["priority"] is True
    assert called_events(app_env)[-1]["profile"] == "priority"


def test_the_run_of_calls_is_kept_by_the_counter_between_calls_and_days(app_env: AppEnv) -> None:
    manager = app_env.login("manager")
    body = {"priority": "ratio", "normal_per_priority": 2}
    app_env.http.put("/api/v1/admin/center/profile", json=body, headers=manager)
    clerk = app_env.login("clerk9", counter="c9")
    app_env.issue("consumer-complaint")
    app_env.issue("consumer-complaint")
    assert not call_next(app_env, "c9", clerk)["priority"]
    assert not call_next(app_env, "c9", clerk)["priority"]
    # two normal calls were made: the next call, with both kinds waiting, is a priority one
    app_env.issue("consumer-complaint")
    app_env.clock.advance(5)
    app_env.issue("consumer-complaint", priority=True)
    assert call_next(app_env, "c9", clerk)["priority"] is True
    assert run_at(app_env, "c9") == ("priority", 1)
    # a call out of order counts in the run too: what the counter called is what it called
    late = app_env.issue("consumer-complaint")
    answer = app_env.http.post(
        f"/api/v1/counters/c9/call/{late['id']}", json={"reason": "appointment"}, headers=clerk
    )
    assert answer.status_code == 200, answer.text
    assert run_at(app_env, "c9") == ("normal", 1)
    done = app_env.http.post(f"/api/v1/tickets/{late['id']}/finish", headers=clerk)
    assert done.status_code == 200, done.text
    # the next day starts with no run: with both kinds waiting, N = 2 normal calls first
    app_env.clock.advance(86_400)
    app_env.issue("consumer-complaint", priority=True)
    app_env.issue("consumer-complaint")
    clerk = app_env.login("clerk9", counter="c9")
    assert call_next(app_env, "c9", clerk)["priority"] is False
    assert run_at(app_env, "c9") == ("normal", 1)


def run_at(env: AppEnv, counter: str) -> tuple[str, int]:
    row = env.ctx.db.read().execute(
        "SELECT call_run_kind, call_run FROM counters WHERE id = ?", [counter]
    )
    return tuple(row.fetchone())


def test_a_helping_counter_helps_only_when_its_own_queue_is_empty_or_past_target(
    app_env: AppEnv,
) -> None:
    manager = app_env.login("manager")
    helping = {"helps": ["passport-renewal"], "profile": {"help_after_target": True}}
    answer = app_env.http.put("/api/v1/admin/counters/c9/profile", json=helping, headers=manager)
    assert answer.status_code == 200, answer.text
    clerk = app_env.login("clerk9", counter="c9")
    passport = app_env.issue("passport-renewal")
    app_env.clock.advance(60)
    complaint = app_env.issue("consumer-complaint")
    assert call_next(app_env, "c9", clerk)["id"] == complaint["id"]  # its own first
    assert called_events(app_env)[-1]["profile"] == "main"
    assert call_next(app_env, "c9", clerk)["id"] == passport["id"]  # nobody else: it helps
    assert called_events(app_env)[-1]["profile"] == "help"
    # a passport ticket waiting past its target is helped before a younger complaint
    late = app_env.issue("passport-renewal")
    app_env.clock.advance(3600)
    app_env.issue("consumer-complaint")
    assert call_next(app_env, "c9", clerk)["id"] == late["id"]
    assert called_events(app_env)[-1]["profile"] == "help"


def test_people_ahead_follow_the_ratio_and_helpers_add_to_the_capacity(app_env: AppEnv) -> None:
    manager = app_env.login("manager")
    app_env.login("clerk9", counter="c9")  # the one open counter for complaints
    for _ in range(4):
        app_env.issue("consumer-complaint", priority=True)
    first = app_env.issue("consumer-complaint")
    assert first["people_ahead"] == 4  # priority first: every priority ticket before it
    body = {"priority": "ratio", "normal_per_priority": 2}
    app_env.http.put("/api/v1/admin/center/profile", json=body, headers=manager)
    ratio = app_env.issue("consumer-complaint")
    # counter 9 has called nobody today: 2 normal calls come before a priority one
    assert ratio["people_ahead"] == 1
    status = app_env.http.get(f"/api/v1/tickets/public/{first['token']}").json()
    assert status["people_ahead"] == 0
    clerk9 = app_env.login("clerk9", counter="c9")
    assert call_next(app_env, "c9", clerk9)["id"] == first["id"]  # as they were told
    assert call_next(app_env, "c9", clerk9)["id"] == ratio["id"]
    # after two normal calls, the next normal ticket has one priority call before it
    third = app_env.issue("consumer-complaint")
    assert third["people_ahead"] == 1
    assert call_next(app_env, "c9", clerk9)["priority"] is True
    assert call_next(app_env, "c9", clerk9)["id"] == third["id"]

    app_env.login("clerk4", counter="c4")  # passports: counters 4 and 5; only 4 is open
    for _ in range(3):
        app_env.issue("passport-renewal")
    alone = app_env.issue("passport-renewal")["estimated_wait_s"]
    helping = {"helps": ["passport-renewal"]}
    app_env.http.put("/api/v1/admin/counters/c1/profile", json=helping, headers=manager)
    app_env.login("clerk1", counter="c1")  # open, nobody waits for its own services
    helped = app_env.issue("passport-renewal")
    # 4 ahead now (one more); a whole helper: two counters' capacity
    assert helped["people_ahead"] == 4
    assert abs(helped["estimated_wait_s"] - alone * 4 / 3 / 2) <= 1
    app_env.issue("civil-extract")  # counter 1's own queue is busy: it helps a quarter
    busy = app_env.issue("passport-renewal")
    assert abs(busy["estimated_wait_s"] - alone * 5 / 3 / 1.25) <= 1


def test_a_helping_counter_may_call_and_act_on_the_helped_tickets(app_env: AppEnv) -> None:
    manager = app_env.login("manager")
    clerk = app_env.login("clerk9", counter="c9")
    passport = app_env.issue("passport-renewal")
    listed = app_env.http.get("/api/v1/counters/c9/callable", headers=clerk).json()["tickets"]
    assert passport["id"] not in [t["id"] for t in listed]
    refused = app_env.http.post(
        f"/api/v1/tickets/{passport['id']}/transfer", json={"counter": "c4"}, headers=clerk
    )
    assert refused.status_code == 403, refused.text
    helping = {"helps": ["passport-renewal"]}
    app_env.http.put("/api/v1/admin/counters/c9/profile", json=helping, headers=manager)
    listed = app_env.http.get("/api/v1/counters/c9/callable", headers=clerk).json()["tickets"]
    assert passport["id"] in [t["id"] for t in listed]
    moved = app_env.http.post(
        f"/api/v1/tickets/{passport['id']}/transfer", json={"counter": "c4"}, headers=clerk
    )
    assert moved.status_code == 200, moved.text


def test_the_admin_s_counter_edit_refuses_a_bad_helping_service_in_both_languages(
    app_env: AppEnv,
) -> None:
    admin = app_env.login("admin")
    catalog = app_env.http.get("/api/v1/admin/catalog", headers=admin).json()
    counter = next(c for c in catalog["counters"] if c["id"] == "c9")
    assert counter["helps"] == [] and counter["profile"] is None
    for name, key in (
        ("nope", "web.admin_error_unknown_service"),
        ("consumer-complaint", "web.admin_error_help_is_main"),
    ):
        body = {**counter, "helps": [name]}
        answer = app_env.http.put("/api/v1/admin/counters/c9", json=body, headers=admin)
        assert answer.status_code == 422, answer.text
        message = answer.json()["error"]["message"]
        assert t(key, "ar", id=name) in message["ar"] and t(key, "en", id=name) in message["en"]
    body = {**counter, "helps": ["passport-renewal"], "profile": {"priority": "capped"}}
    answer = app_env.http.put("/api/v1/admin/counters/c9", json=body, headers=admin)
    assert answer.status_code == 200, answer.text
    manager = app_env.login("manager")
    saved = app_env.http.get("/api/v1/admin/counters/c9/profile", headers=manager).json()
    assert saved["helps"] == ["passport-renewal"] and saved["profile"]["priority"] == "capped"
