"""Tickets through the API in-process: issue, numbering, estimates, lifecycle, calls, refusals."""

from __future__ import annotations

from tests.server.conftest import AppEnv


def code(response) -> str:
    return response.json()["error"]["code"]


def test_issue_numbers_per_prefix_and_answers_ahead_wait_and_status_url(app_env: AppEnv) -> None:
    first = app_env.issue("civil-extract")
    second = app_env.issue("family-extract")  # shares prefix A
    other = app_env.issue("passport-new")
    assert (first["number"], second["number"], other["number"]) == ("A-001", "A-002", "P-001")
    # No counter is open yet: nobody can call them, so no wait is quoted.
    assert first["people_ahead"] == 0 and first["callable"] is False
    assert first["estimated_wait_s"] is None and first["wait_minutes"] is None
    assert second["people_ahead"] == 1  # A-001 waits for the same counters
    app_env.login("clerk1", counter="c1")
    third = app_env.issue("civil-extract")
    assert third["people_ahead"] == 2 and third["callable"] is True
    assert third["estimated_wait_s"] > 0 and third["wait_minutes"] > 0
    assert third["timezone"] == "Asia/Beirut"
    assert third["status_url"].endswith("/t/" + third["token"])
    assert len(third["token"]) >= 20
    assert third["documents"] and {"ar", "en"} <= set(third["documents"][0])


def test_retry_with_same_idempotency_key_returns_the_same_ticket(app_env: AppEnv) -> None:
    headers = {**app_env.kiosk, "Idempotency-Key": "k-1"}
    one = app_env.http.post("/api/v1/tickets", json={"service": "civil-extract"}, headers=headers)
    two = app_env.http.post("/api/v1/tickets", json={"service": "civil-extract"}, headers=headers)
    assert one.status_code == 201 and two.status_code == 200
    assert one.json()["id"] == two.json()["id"] and one.json()["number"] == "A-001"
    other = app_env.http.post("/api/v1/tickets", json={"service": "passport-new"}, headers=headers)
    assert other.status_code == 409 and code(other) == "idempotency_conflict"
    assert app_env.issue()["number"] == "A-002"


def test_unknown_service_is_refused_404(app_env: AppEnv) -> None:
    answer = app_env.http.post("/api/v1/tickets", json={"service": "nope"}, headers=app_env.kiosk)
    assert answer.status_code == 404 and code(answer) == "unknown_service"
    assert "nope" in answer.json()["error"]["message"]["en"]


def test_closed_service_is_refused_and_listed_closed(app_env: AppEnv) -> None:
    app_env.clock.set_local("2026-11-23 13:30")  # passports close at 13:00, extracts at 14:00
    services = {s["id"]: s for s in app_env.http.get("/api/v1/services").json()["services"]}
    assert services["passport-new"]["open_now"] is False
    assert services["civil-extract"]["open_now"] is True
    answer = app_env.http.post(
        "/api/v1/tickets", json={"service": "passport-new"}, headers=app_env.kiosk
    )
    assert answer.status_code == 409 and code(answer) == "service_closed"
    app_env.clock.set_local("2026-11-28 11:00")  # Saturday: extracts open, passports not
    assert app_env.issue("civil-extract")["number"] == "A-001"
    app_env.clock.set_local("2026-11-29 10:00")  # Sunday: all closed
    answer = app_env.http.post(
        "/api/v1/tickets", json={"service": "civil-extract"}, headers=app_env.kiosk
    )
    assert code(answer) == "service_closed"


def test_full_lifecycle_and_public_status(app_env: AppEnv) -> None:
    ticket = app_env.issue("civil-extract")
    status = app_env.http.get(f"/api/v1/tickets/public/{ticket['token']}").json()
    assert status["state"] == "waiting" and status["counter"] is None
    assert "clerk" not in status and "id" not in status
    clerk = app_env.login("clerk1", counter="c1")
    called = app_env.http.post("/api/v1/counters/c1/next", headers=clerk).json()
    assert called["number"] == "A-001" and called["state"] == "called"
    status = app_env.http.get(f"/api/v1/tickets/public/{ticket['token']}").json()
    assert status["state"] == "called" and status["counter"]["number"] == 1
    for action, state in (("recall", "called"), ("start", "serving"), ("finish", "done")):
        answer = app_env.http.post(f"/api/v1/tickets/{ticket['id']}/{action}", headers=clerk)
        assert answer.status_code == 200, answer.text
        assert answer.json()["state"] == state
    assert app_env.http.post("/api/v1/counters/c1/next", headers=clerk).status_code == 204


def test_illegal_transitions_are_refused_with_wrong_state(app_env: AppEnv) -> None:
    ticket = app_env.issue()
    clerk = app_env.login("clerk1", counter="c1")
    for action in ("start", "finish", "recall", "no-show"):
        answer = app_env.http.post(f"/api/v1/tickets/{ticket['id']}/{action}", headers=clerk)
        assert answer.status_code == 409 and code(answer) == "wrong_state", action
    app_env.http.post(
        "/api/v1/tickets/{}/cancel".format(ticket["id"]), json={"reason": "r"}, headers=clerk
    )
    answer = app_env.http.post(f"/api/v1/tickets/{ticket['id']}/start", headers=clerk)
    assert code(answer) == "wrong_state"
    assert "cancelled" in answer.json()["error"]["message"]["en"]
    missing = app_env.http.post("/api/v1/tickets/99999/start", headers=clerk)
    assert missing.status_code == 404 and code(missing) == "ticket_not_found"


def test_priority_first_then_longest_waiting(app_env: AppEnv) -> None:
    first = app_env.issue("civil-extract")
    app_env.clock.advance(60)
    app_env.issue("family-extract")
    app_env.clock.advance(60)
    elderly = app_env.issue("criminal-record", priority=True)
    assert elderly["people_ahead"] == 0
    clerk = app_env.login("clerk1", counter="c1")
    order = []
    for _ in range(3):
        called = app_env.http.post("/api/v1/counters/c1/next", headers=clerk).json()
        order.append(called["number"])
        app_env.http.post(f"/api/v1/tickets/{called['id']}/finish", headers=clerk)
    assert order == [elderly["number"], first["number"], "A-002"]


def test_counter_busy_until_current_ticket_is_closed(app_env: AppEnv) -> None:
    app_env.issue()
    app_env.issue()
    clerk = app_env.login("clerk1", counter="c1")
    app_env.http.post("/api/v1/counters/c1/next", headers=clerk)
    answer = app_env.http.post("/api/v1/counters/c1/next", headers=clerk)
    assert answer.status_code == 409 and code(answer) == "counter_busy"
    assert "A-001" in answer.json()["error"]["message"]["en"]


def test_call_out_of_order_needs_reason_and_a_serving_counter_and_is_audited(
    app_env: AppEnv,
) -> None:
    first = app_env.issue("civil-extract")
    later = app_env.issue("civil-extract")
    passport = app_env.issue("passport-new")
    clerk = app_env.login("clerk1", counter="c1")
    path = f"/api/v1/counters/c1/call/{later['id']}"
    blank = app_env.http.post(path, json={"reason": "  "}, headers=clerk)
    assert blank.status_code == 422 and code(blank) == "reason_required"
    missing = app_env.http.post(path, json={}, headers=clerk)
    assert missing.status_code == 422
    wrong = app_env.http.post(
        f"/api/v1/counters/c1/call/{passport['id']}", json={"reason": "x"}, headers=clerk
    )
    assert wrong.status_code == 409 and code(wrong) == "counter_not_serving"
    answer = app_env.http.post(path, json={"reason": "wheelchair, came back"}, headers=clerk)
    assert answer.status_code == 200 and answer.json()["number"] == later["number"]
    row = (
        app_env.ctx.db.read()
        .execute(
            "SELECT actor, counter, data FROM events WHERE kind = 'ticket_called_out_of_order'"
        )
        .fetchone()
    )
    assert row[0] == "clerk1" and row[1] == "c1"
    assert '"reason":"wheelchair, came back"' in row[2]
    assert f'"passed_over":{first["id"]}' in row[2]


def test_clerk_cannot_call_to_another_counter(app_env: AppEnv) -> None:
    app_env.issue()
    clerk = app_env.login("clerk1", counter="c1")
    answer = app_env.http.post("/api/v1/counters/c2/next", headers=clerk)
    assert answer.status_code == 403 and code(answer) == "not_at_counter"
    unknown = app_env.login("clerk2", counter="c2")
    answer = app_env.http.post("/api/v1/counters/zz/next", headers=unknown)
    assert answer.status_code == 403


def test_transfer_keeps_issue_time_and_goes_to_new_service_or_counter(app_env: AppEnv) -> None:
    early = app_env.issue("civil-extract")
    app_env.clock.advance(600)
    app_env.issue("passport-new")
    c1 = app_env.login("clerk1", counter="c1")
    called = app_env.http.post("/api/v1/counters/c1/next", headers=c1).json()
    assert called["id"] == early["id"]
    moved = app_env.http.post(
        f"/api/v1/tickets/{early['id']}/transfer", json={"service": "passport-renewal"}, headers=c1
    ).json()
    assert moved["state"] == "waiting" and moved["service"]["id"] == "passport-renewal"
    assert moved["issued_at"] == early["issued_at"] and moved["number"] == early["number"]
    c4 = app_env.login("clerk4", counter="c4")
    # The transferred ticket keeps its place: it was issued before P-001.
    again = app_env.http.post("/api/v1/counters/c4/next", headers=c4).json()
    assert again["id"] == early["id"]
    to_counter = app_env.http.post(
        f"/api/v1/tickets/{early['id']}/transfer", json={"counter": "c9"}, headers=c4
    ).json()
    assert to_counter["target_counter"] == "c9"
    # c5 serves passports too, but the ticket now belongs to counter 9 only.
    c5 = app_env.login("clerk5", counter="c5")
    assert app_env.http.post("/api/v1/counters/c5/next", headers=c5).json()["number"] == "P-001"
    c9 = app_env.login("clerk9", counter="c9")
    assert app_env.http.post("/api/v1/counters/c9/next", headers=c9).json()["id"] == early["id"]
    bad = app_env.http.post(f"/api/v1/tickets/{early['id']}/transfer", json={}, headers=c9)
    assert bad.status_code == 422 and code(bad) == "transfer_target_required"
    bad = app_env.http.post(
        f"/api/v1/tickets/{early['id']}/transfer",
        json={"service": "passport-new", "counter": "c1"},
        headers=c9,
    )
    assert code(bad) == "counter_not_serving"


def test_only_the_counter_holding_a_called_ticket_acts_on_it(app_env: AppEnv) -> None:
    ticket = app_env.issue()
    c1 = app_env.login("clerk1", counter="c1")
    app_env.http.post("/api/v1/counters/c1/next", headers=c1)
    c2 = app_env.login("clerk2", counter="c2")
    answer = app_env.http.post(f"/api/v1/tickets/{ticket['id']}/finish", headers=c2)
    assert answer.status_code == 403 and code(answer) == "not_at_counter"
    manager = app_env.login("manager")
    answer = app_env.http.post(
        f"/api/v1/tickets/{ticket['id']}/cancel", json={"reason": "left"}, headers=manager
    )
    assert answer.status_code == 200 and answer.json()["state"] == "cancelled"


def test_pause_resume_and_queue_summary(app_env: AppEnv) -> None:
    app_env.issue("civil-extract")
    app_env.clock.advance(120)
    app_env.issue("civil-extract", priority=True)
    clerk = app_env.login("clerk1", counter="c1")
    paused = app_env.http.post(
        "/api/v1/counters/c1/pause", json={"reason": " prayer break "}, headers=clerk
    )
    assert paused.json()["status"] == "paused"
    row = (
        app_env.ctx.db.read()
        .execute("SELECT actor, counter, data, public FROM events WHERE kind = 'counter_paused'")
        .fetchone()
    )
    assert row[0] == "clerk1" and row[1] == "c1"
    assert '"reason":"prayer break"' in row[2] and "prayer" not in (row[3] or "")
    answer = app_env.http.post("/api/v1/counters/c1/next", headers=clerk)
    assert answer.status_code == 409 and code(answer) == "counter_paused"
    summary = app_env.http.get("/api/v1/queue", headers=clerk).json()
    extract = next(s for s in summary["services"] if s["id"] == "civil-extract")
    assert extract["waiting"] == 2 and extract["priority_waiting"] == 1
    assert extract["oldest_wait_s"] == 120
    c1 = next(c for c in summary["counters"] if c["id"] == "c1")
    assert c1["status"] == "paused" and c1["clerk"] == "clerk1"
    app_env.http.post("/api/v1/counters/c1/resume", headers=clerk)
    assert app_env.http.post("/api/v1/counters/c1/next", headers=clerk).status_code == 200
    counters = {c["id"]: c for c in app_env.http.get("/api/v1/counters").json()}
    assert counters["c1"]["open"] is True and counters["c2"]["open"] is False


def test_estimate_uses_recent_service_times_and_open_counters(app_env: AppEnv) -> None:
    clerk = app_env.login("clerk9", counter="c9")  # complaints: only counter 9
    for _ in range(6):
        app_env.issue("consumer-complaint")
    for _ in range(4):  # each served in 100 s from call to finish
        ticket = app_env.http.post("/api/v1/counters/c9/next", headers=clerk).json()
        app_env.clock.advance(100)
        app_env.http.post(f"/api/v1/tickets/{ticket['id']}/start", headers=clerk)
        app_env.http.post(f"/api/v1/tickets/{ticket['id']}/finish", headers=clerk)
    ticket = app_env.issue("consumer-complaint")
    assert ticket["people_ahead"] == 2
    # prior 420 s (weight 3) and 4 observations of 100 s: (3*420 + 4*100) / 7 ≈ 237 s each
    assert 2 * 200 < ticket["estimated_wait_s"] < 2 * 280


def test_alerts_are_stored_and_visible_to_staff(app_env: AppEnv) -> None:
    answer = app_env.http.post(
        "/api/v1/alerts", json={"kind": "paper_out", "message": "kiosk 1"}, headers=app_env.kiosk
    )
    assert answer.status_code == 201 and answer.json()["device"] == "demo-kiosk-1"
    manager = app_env.login("manager")
    alerts = app_env.http.get("/api/v1/alerts", headers=manager).json()
    assert alerts[0]["kind"] == "paper_out"
    done = app_env.http.post(f"/api/v1/alerts/{alerts[0]['id']}/resolve", headers=manager).json()
    assert done["resolved_by"] == "manager"
    assert app_env.http.get("/api/v1/alerts", headers=manager).json() == []
