"""A clerk acts only on tickets their counter may call; cancelling needs a reason; a counter another
clerk holds is not taken silently."""

from __future__ import annotations

import json

from tests.server.conftest import AppEnv


def code(answer) -> str:
    return answer.json()["error"]["code"]


def act(env: AppEnv, who: dict[str, str], ticket: int, action: str, **body: str):
    return env.http.post(f"/api/v1/tickets/{ticket}/{action}", json=body, headers=who)


def test_a_clerk_signed_in_at_no_counter_cannot_cancel_or_transfer_waiting_tickets(
    app_env: AppEnv,
) -> None:
    ticket = app_env.issue("civil-extract")["id"]
    clerk = app_env.login("clerk2")
    answer = act(app_env, clerk, ticket, "cancel", reason="left the hall")
    assert answer.status_code == 403 and code(answer) == "not_at_counter"
    answer = act(app_env, clerk, ticket, "transfer", service="family-extract")
    assert answer.status_code == 403 and code(answer) == "not_at_counter"
    state = app_env.http.get(f"/api/v1/tickets/{ticket}", headers=clerk).json()["state"]
    assert state == "waiting"


def test_a_clerk_acts_only_on_tickets_their_counter_may_call(app_env: AppEnv) -> None:
    # c1 serves civil-extract, family-extract, criminal-record; c3 serves registrations
    other_service = app_env.issue("birth-registration")["id"]
    mine = app_env.issue("civil-extract")["id"]
    manager = app_env.login("manager")
    sent_away = app_env.issue("civil-extract")["id"]
    moved = act(app_env, manager, sent_away, "transfer", counter="c2")
    assert moved.status_code == 200, moved.text
    clerk = app_env.login("clerk1", counter="c1")
    for ticket in (other_service, sent_away):
        answer = act(app_env, clerk, ticket, "cancel", reason="duplicate")
        assert answer.status_code == 403 and code(answer) == "not_your_ticket", answer.text
        answer = act(app_env, clerk, ticket, "transfer", service="family-extract")
        assert answer.status_code == 403 and code(answer) == "not_your_ticket", answer.text
    # their own queue's ticket: yes, and a ticket sent to their counter too
    assert act(app_env, clerk, mine, "transfer", counter="c1").status_code == 200
    assert act(app_env, clerk, mine, "cancel", reason="duplicate").status_code == 200


def test_cancel_needs_a_reason_and_records_it(app_env: AppEnv) -> None:
    ticket = app_env.issue("civil-extract")["id"]
    clerk = app_env.login("clerk1", counter="c1")
    for body in ({}, {"reason": "   "}):
        answer = app_env.http.post(f"/api/v1/tickets/{ticket}/cancel", json=body, headers=clerk)
        assert answer.status_code == 422 and code(answer) == "reason_required"
    assert act(app_env, clerk, ticket, "cancel", reason="came twice").status_code == 200
    data = (
        app_env.ctx.db.read()
        .execute("SELECT data FROM events WHERE kind = 'ticket_cancel' AND ticket_id = ?", [ticket])
        .fetchone()[0]
    )
    assert json.loads(data)["reason"] == "came twice"


def test_a_manager_acts_on_any_waiting_ticket_without_a_counter(app_env: AppEnv) -> None:
    ticket = app_env.issue("birth-registration")["id"]
    manager = app_env.login("manager")
    answer = act(app_env, manager, ticket, "transfer", service="civil-extract")
    assert answer.status_code == 200, answer.text
    assert act(app_env, manager, ticket, "cancel", reason="closed early").status_code == 200


def test_signing_in_at_a_counter_another_clerk_holds_is_refused(app_env: AppEnv) -> None:
    holder = app_env.login("clerk1", counter="c1")
    answer = app_env.http.post(
        "/api/v1/auth/login", json={"username": "clerk2", "password": "demo", "counter": "c1"}
    )
    assert answer.status_code == 409 and code(answer) == "counter_taken"
    assert "clerk1" in answer.json()["error"]["message"]["en"]
    assert app_env.http.get("/api/v1/auth/me", headers=holder).json()["counter"] == "c1"
    # the same clerk signing in again at their own counter is no take-over
    assert app_env.login("clerk1", counter="c1")


def test_an_explicit_take_over_ends_the_holders_session_and_is_audited(app_env: AppEnv) -> None:
    holder = app_env.login("clerk1", counter="c1")
    answer = app_env.http.post(
        "/api/v1/auth/login",
        json={"username": "clerk2", "password": "demo", "counter": "c1", "take_over": True},
    )
    assert answer.status_code == 200, answer.text
    assert app_env.http.get("/api/v1/auth/me", headers=holder).status_code == 401
    data = (
        app_env.ctx.db.read()
        .execute("SELECT data FROM events WHERE kind = 'person_signed_in' AND actor = 'clerk2'")
        .fetchone()[0]
    )
    assert json.loads(data)["taken_over_from"] == "clerk1"
    row = app_env.ctx.db.read().execute("SELECT clerk FROM counters WHERE id = 'c1'").fetchone()
    assert row[0] == "clerk2"


def test_a_counter_left_by_a_signed_out_clerk_is_free(app_env: AppEnv) -> None:
    holder = app_env.login("clerk1", counter="c1")
    assert app_env.http.post("/api/v1/auth/logout", headers=holder).status_code == 204
    assert app_env.login("clerk2", counter="c1")


def test_an_auditor_reads_the_log_and_serves_nowhere(app_env: AppEnv) -> None:
    admin = app_env.login("admin")
    made = app_env.http.post(
        "/api/v1/admin/people",
        json={"username": "inspector", "role": "auditor", "password": "long enough"},
        headers=admin,
    )
    assert made.status_code == 201 and made.json()["role"] == "auditor"
    answer = app_env.http.post(
        "/api/v1/auth/login",
        json={"username": "inspector", "password": "long enough", "counter": "c1"},
    )
    assert answer.status_code == 403 and code(answer) == "forbidden"
    answer = app_env.http.post(
        "/api/v1/auth/login", json={"username": "inspector", "password": "long enough"}
    )
    auditor = app_env.headers(answer.json()["token"])
    assert app_env.http.get("/api/v1/admin/events", headers=auditor).status_code == 200
    assert app_env.http.get("/api/v1/queue", headers=auditor).status_code == 403


def test_the_auditor_migration_keeps_people_and_their_sessions(tmp_path) -> None:
    from server.store.database import Database
    from server.store.migrate import migrate

    db = Database(tmp_path / "old.db")
    try:
        migrate(db, upto=21)
        with db.write() as tx:
            tx.execute(
                "INSERT INTO people (username, role, created_at) VALUES ('rana', 'admin', 1)"
            )
            tx.execute(
                "INSERT INTO sessions (token_hash, username, created_at, expires_at)"
                " VALUES ('h', 'rana', 1, 2)"
            )
        assert "m022_auditor_role" in migrate(db)
        read = db.read()
        assert read.execute("SELECT username, role FROM people").fetchall() == [("rana", "admin")]
        assert read.execute("SELECT token_hash, username FROM sessions").fetchall() == [
            ("h", "rana")
        ]
        assert read.execute("PRAGMA foreign_key_check").fetchall() == []
        with db.write() as tx:
            tx.execute(
                "INSERT INTO people (username, role, created_at) VALUES ('ali', 'auditor', 1)"
            )
    finally:
        db.close()
