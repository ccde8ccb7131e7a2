"""Visits through several steps and outcomes, through the API in-process on the demo catalog:
passport-new is submit (c4) → pay at the cashier (c11) → collect (c5, priority raised)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from tests.server.conftest import AppEnv
from tests.server.test_audit_replay import problems


def act(env: AppEnv, clerk: dict[str, str], ticket_id: int, action: str, **body: Any) -> Any:
    return env.http.post(f"/api/v1/tickets/{ticket_id}/{action}", json=body, headers=clerk)


def call(env: AppEnv, clerk: dict[str, str], counter: str) -> dict[str, Any]:
    answer = env.http.post(f"/api/v1/counters/{counter}/next", headers=clerk)
    assert answer.status_code == 200, answer.text
    return answer.json()


def kinds(env: AppEnv, ticket_id: int) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    rows = env.ctx.db.read().execute(
        "SELECT kind, data, public FROM events WHERE ticket_id = ? ORDER BY id", [ticket_id]
    )
    return [(k, json.loads(d), json.loads(p) if p else {}) for k, d, p in rows]


def waiting_counts_agree(env: AppEnv) -> None:
    """The trigger-kept counts (m004) equal a count of the waiting tickets themselves."""
    db = env.ctx.db.read()
    kept = {
        (s, p): n
        for s, p, n in db.execute("SELECT service, priority, waiting FROM waiting_counts")
        if n
    }
    counted = {
        (s, p): n
        for s, p, n in db.execute(
            "SELECT service, priority, count(*) FROM tickets WHERE state = 'waiting'"
            " GROUP BY service, priority"
        )
    }
    assert kept == counted


def test_a_visit_passes_three_counters_with_one_number_and_its_note(app_env: AppEnv) -> None:
    ticket = app_env.issue("passport-new")
    assert (ticket["step"], ticket["steps"]) == (1, 3)
    c4, c11, c5 = (app_env.login(f"clerk{n}", f"c{n}") for n in (4, 11, 5))
    assert call(app_env, c4, "c4")["id"] == ticket["id"]
    app_env.clock.advance(300)
    moved = act(app_env, c4, ticket["id"], "finish", outcome="served", note="paid 50 000 due")
    assert moved.status_code == 200, moved.text
    moved = moved.json()
    assert moved["state"] == "waiting" and moved["service"]["id"] == "cashier"
    assert (moved["step"], moved["steps"], moved["number"]) == (2, 3, ticket["number"])
    assert moved["issued_at"] == ticket["issued_at"] and moved["counter"] is None
    assert moved["visit_service"]["id"] == "passport-new"
    assert moved["next_service"]["id"] == "passport-collect"
    assert moved["note"] == "paid 50 000 due" and moved["priority"] is False
    waiting_counts_agree(app_env)

    at_cashier = call(app_env, c11, "c11")
    assert at_cashier["id"] == ticket["id"] and at_cashier["note"] == "paid 50 000 due"
    app_env.clock.advance(60)
    collect = act(app_env, c11, ticket["id"], "finish").json()  # no outcome: goes on
    assert collect["service"]["id"] == "passport-collect" and collect["step"] == 3
    assert collect["priority"] is True  # passport-collect: step_priority = "raise"
    assert collect["note"] is None
    waiting_counts_agree(app_env)

    assert call(app_env, c5, "c5")["id"] == ticket["id"]
    done = act(app_env, c5, ticket["id"], "finish", outcome="served").json()
    assert done["state"] == "done" and done["outcome"] == "served" and done["step"] == 3
    waiting_counts_agree(app_env)

    history = kinds(app_env, ticket["id"])
    assert [k for k, _d, _p in history] == [
        "ticket_issued",
        "ticket_called",
        "ticket_start",
        "ticket_finish",
        "ticket_next_step",
        "ticket_called",
        "ticket_start",
        "ticket_finish",
        "ticket_next_step",
        "ticket_called",
        "ticket_start",
        "ticket_finish",
    ]
    first_finish, first_move = history[3][1], history[4]
    assert first_finish["outcome"] == "served" and first_finish["step"] == 1
    assert first_move[1]["to_service"] == "cashier" and first_move[1]["step"] == 2
    assert first_move[1]["note"] == "paid 50 000 due"
    assert "note" not in first_move[2] and first_move[2]["from_counter"]["id"] == "c4"
    assert history[8][1]["priority_raised"] is True
    assert [p["counter"]["id"] for k, _d, p in history if k == "ticket_called"] == [
        "c4",
        "c11",
        "c5",
    ]
    assert problems(app_env) == []  # the tables still equal their replay from the events
    from nafitha.national.wire import KNOWN_KINDS

    assert {k for k, _d, _p in history} <= KNOWN_KINDS  # the national hub takes them in
    # each clerk served the citizen once: the steps sent on count with the finished tickets
    for clerk in (c4, c11, c5):
        assert app_env.http.get("/api/v1/me/today", headers=clerk).json()["served"] == 1
    from server.store.visit_steps import steps_of

    kept = steps_of(app_env.ctx.db.read(), ticket["id"])
    assert [(k["step"], k["service"], k["counter"], k["outcome"]) for k in kept] == [
        (0, "passport-new", "c4", "served"),
        (1, "cashier", "c11", None),
    ]
    assert all(k["finished_at"] > k["called_at"] for k in kept)


def test_an_outcome_that_is_not_resolved_ends_the_visit_at_that_step(app_env: AppEnv) -> None:
    ticket = app_env.issue("passport-new")
    c4 = app_env.login("clerk4", "c4")
    call(app_env, c4, "c4")
    done = act(app_env, c4, ticket["id"], "finish", outcome="missing_documents").json()
    assert done["state"] == "done" and done["service"]["id"] == "passport-new"
    assert (done["step"], done["outcome"]) == (1, "missing_documents")
    assert "ticket_next_step" not in [k for k, _d, _p in kinds(app_env, ticket["id"])]


def test_an_unknown_outcome_is_refused_and_changes_nothing(app_env: AppEnv) -> None:
    ticket = app_env.issue("passport-new")
    c4 = app_env.login("clerk4", "c4")
    call(app_env, c4, "c4")
    refused = act(app_env, c4, ticket["id"], "finish", outcome="not_ready")  # collect's only
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "unknown_outcome"
    assert "not_ready" in refused.json()["error"]["message"]["en"]
    assert app_env.http.get(f"/api/v1/tickets/{ticket['id']}", headers=c4).json()["state"] in (
        "called"
    )
    wrong = act(app_env, c4, ticket["id"], "recall", outcome="served")
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "outcome_only_at_finish"


def test_a_clerk_sends_a_citizen_back_to_an_earlier_step(app_env: AppEnv) -> None:
    ticket = app_env.issue("passport-new")
    c4, c11 = app_env.login("clerk4", "c4"), app_env.login("clerk11", "c11")
    call(app_env, c4, "c4")
    act(app_env, c4, ticket["id"], "finish", outcome="served")
    call(app_env, c11, "c11")
    for bad in (2, 3):  # not earlier than the current step (2)
        refused = app_env.http.post(
            f"/api/v1/tickets/{ticket['id']}/send-back", json={"step": bad}, headers=c11
        )
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "bad_step"
    back = app_env.http.post(
        f"/api/v1/tickets/{ticket['id']}/send-back",
        json={"step": 1, "reason": "form unsigned"},
        headers=c11,
    )
    assert back.status_code == 200, back.text
    back = back.json()
    assert back["state"] == "waiting" and back["service"]["id"] == "passport-new"
    assert (back["step"], back["note"], back["issued_at"]) == (
        1,
        "form unsigned",
        ticket["issued_at"],
    )
    kind, data, public = kinds(app_env, ticket["id"])[-1]
    assert kind == "ticket_sent_back" and data["reason"] == "form unsigned"
    assert (data["to_service"], data["step"], data["steps"]) == ("passport-new", 1, 3)
    assert public["from_counter"]["id"] == "c11" and "reason" not in public
    waiting_counts_agree(app_env)
    assert call(app_env, c4, "c4")["id"] == ticket["id"]  # step 1's counters call it again
    assert problems(app_env) == []
    # waiting, it cannot be sent back (nobody is serving it)
    other = app_env.issue("passport-new")
    refused = app_env.http.post(
        f"/api/v1/tickets/{other['id']}/send-back", json={"step": 1}, headers=c4
    )
    assert refused.status_code in (403, 409)


def test_a_step_only_service_is_no_kiosk_button_and_the_kiosk_cannot_take_it(
    app_env: AppEnv,
) -> None:
    services = {s["id"]: s for s in app_env.http.get("/api/v1/services").json()["services"]}
    assert services["cashier"]["kiosk"] is False and services["passport-new"]["kiosk"] is True
    assert services["passport-new"]["steps"] == ["cashier", "passport-collect"]
    assert [o["id"] for o in services["passport-collect"]["outcomes"]][2] == "not_ready"
    refused = app_env.http.post(
        "/api/v1/tickets", json={"service": "cashier"}, headers=app_env.kiosk
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "service_not_at_kiosk"
    from kiosk.catalog import parse_catalog

    shown = parse_catalog(app_env.http.get("/api/v1/services").json()).services
    assert "passport-new" in shown and "cashier" not in shown and "passport-collect" not in shown


def test_the_phone_status_shows_the_step(app_env: AppEnv) -> None:
    ticket = app_env.issue("passport-new")
    c4 = app_env.login("clerk4", "c4")
    call(app_env, c4, "c4")
    act(app_env, c4, ticket["id"], "finish", outcome="served", note="private words")
    public = app_env.http.get(f"/api/v1/tickets/public/{ticket['token']}").json()
    assert (public["step"], public["steps"], public["service"]["id"]) == (2, 3, "cashier")
    assert public["visit_service"]["id"] == "passport-new" and "note" not in public


def test_the_dashboard_counts_first_visit_resolution_by_the_service_chosen(
    app_env: AppEnv,
) -> None:
    c4, c11, c5 = (app_env.login(f"clerk{n}", f"c{n}") for n in (4, 11, 5))
    whole = app_env.issue("passport-new")
    stopped = app_env.issue("passport-new")
    call(app_env, c4, "c4")
    act(app_env, c4, whole["id"], "finish", outcome="served")
    call(app_env, c4, "c4")
    act(app_env, c4, stopped["id"], "finish", outcome="missing_documents")
    call(app_env, c11, "c11")
    act(app_env, c11, whole["id"], "finish", outcome="served")
    midway = app_env.http.get("/api/v1/stats?from=2026-11-23&to=2026-11-23", headers=c4)
    assert midway.status_code == 403
    manager = app_env.login("manager")
    figures = app_env.http.get("/api/v1/stats?from=2026-11-23&to=2026-11-23", headers=manager)
    assert figures.json()["overall"]["resolution"] == 0.0  # one visit still at its last step
    call(app_env, c5, "c5")
    act(app_env, c5, whole["id"], "finish", outcome="served")
    figures = app_env.http.get(
        "/api/v1/stats?from=2026-11-23&to=2026-11-23", headers=manager
    ).json()
    assert figures["overall"]["resolution"] == 0.5
    assert figures["overall"]["resolution_unrecorded"] == 0
    rows = {row["key"]: row for row in figures["service"]}
    assert rows["passport-new"]["resolution"] == 0.5  # both visits were chosen there
    assert rows["passport-collect"]["resolution"] is None  # no visit is chosen there


def test_an_outcome_or_a_step_edited_behind_the_log_is_named_by_the_audit(
    app_env: AppEnv,
) -> None:
    ticket = app_env.issue("passport-new")
    c4 = app_env.login("clerk4", "c4")
    call(app_env, c4, "c4")
    act(app_env, c4, ticket["id"], "finish", outcome="served", note="fee due")
    assert problems(app_env) == []
    db = sqlite3.connect(app_env.db_path)
    with db:
        db.execute("UPDATE tickets SET step = 2, note = 'other' WHERE id = ?", [ticket["id"]])
    db.close()
    found = problems(app_env)
    assert any("step" in p and ticket["number"] in p for p in found), found
    assert any("note" in p for p in found), found


def test_a_settled_days_resolution_is_kept_and_read_back_the_same(app_env: AppEnv) -> None:
    clerks = {"c4": app_env.login("clerk4", "c4"), "c8": app_env.login("clerk8", "c8")}
    visits = [
        ("passport-new", "c4", "missing_documents"),
        ("passport-new", "c4", "referred"),
        ("work-permit", "c8", "served"),
        ("work-permit", "c8", None),  # no outcome given: counted apart
    ]
    for service, counter, outcome in visits:
        ticket = app_env.issue(service)
        call(app_env, clerks[counter], counter)
        body = {"outcome": outcome} if outcome else {}
        act(app_env, clerks[counter], ticket["id"], "finish", **body)
    url = "/api/v1/stats?from=2026-11-23&to=2026-11-23"
    manager = app_env.login("manager")
    live = app_env.http.get(url, headers=manager).json()["overall"]
    assert (live["resolution"], live["resolution_unrecorded"]) == (1 / 3, 1)
    db = app_env.ctx.db.read()
    assert db.execute("SELECT count(*) FROM resolution_days_done").fetchone()[0] == 0
    app_env.clock.advance(3 * 86400)  # the day is settled: kept on the first read, then read
    manager = app_env.login("manager")
    for _ in range(2):
        kept = app_env.http.get(url, headers=manager).json()["overall"]
        assert (kept["resolution"], kept["resolution_unrecorded"]) == (1 / 3, 1)
    assert db.execute("SELECT day FROM resolution_days_done").fetchall() == [("2026-11-23",)]
    rows = db.execute("SELECT visit, outcome, finished FROM resolution_days ORDER BY 1, 2")
    assert rows.fetchall() == [
        ("passport-new", "missing_documents", 1),
        ("passport-new", "referred", 1),
        ("work-permit", "", 1),
        ("work-permit", "served", 1),
    ]
