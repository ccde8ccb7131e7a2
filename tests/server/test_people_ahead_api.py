"""People ahead, callable and the one rounded wait, through the API on a fresh database.

The demo catalog: counter 9 alone serves consumer complaints (K), and also criminal records (R,
with counter 1); counters 4 and 5 serve passports (P); counter 1 serves civil extracts (A).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nafitha.formats import wait_minutes
from server.config import DEFAULT_CENTER, load_center_config
from tests.server.conftest import AppEnv, make_env


def public(env: AppEnv, ticket: dict[str, Any]) -> dict[str, Any]:
    answer = env.http.get(f"/api/v1/tickets/public/{ticket['token']}")
    assert answer.status_code == 200, answer.text
    return answer.json()


def services(env: AppEnv) -> dict[str, dict[str, Any]]:
    answer = env.http.get("/api/v1/services")
    assert answer.status_code == 200, answer.text
    return {s["id"]: s for s in answer.json()["services"]}


def test_a_ticket_no_open_counter_serves_is_not_callable_and_quotes_no_wait(
    app_env: AppEnv,
) -> None:
    app_env.login("clerk9", counter="c9")  # counter 9 serves no passport
    earlier = app_env.issue("passport-renewal")
    ticket = app_env.issue("passport-new")
    assert ticket["callable"] is False
    assert ticket["estimated_wait_s"] is None and ticket["wait_minutes"] is None
    # Still the true count: the renewal will be called first once counter 4 or 5 opens.
    assert ticket["people_ahead"] == 1 and earlier["people_ahead"] == 0
    status = public(app_env, ticket)
    assert status["callable"] is False and status["wait_minutes"] is None
    assert status["estimated_wait_s"] is None and status["people_ahead"] == 1
    app_env.login("clerk4", counter="c4")
    status = public(app_env, ticket)
    assert status["callable"] is True and status["people_ahead"] == 1
    assert status["estimated_wait_s"] > 0 and status["wait_minutes"] > 0


def test_tickets_of_another_service_waiting_for_the_one_shared_counter_are_ahead(
    app_env: AppEnv,
) -> None:
    clerk9 = app_env.login("clerk9", counter="c9")  # the only open counter
    app_env.issue("criminal-record")
    app_env.clock.advance(30)
    app_env.issue("criminal-record")
    app_env.clock.advance(30)
    complaint = app_env.issue("consumer-complaint")
    assert complaint["people_ahead"] == 2 and complaint["callable"] is True
    assert public(app_env, complaint)["people_ahead"] == 2
    # Counter 9 calls them first, as the count said.
    called = app_env.http.post("/api/v1/counters/c9/next", headers=clerk9).json()
    assert called["service"]["id"] == "criminal-record"
    assert public(app_env, complaint)["people_ahead"] == 1


def test_a_ticket_sharing_only_a_closed_counter_is_not_ahead(app_env: AppEnv) -> None:
    app_env.login("clerk9", counter="c9")
    app_env.issue("document-legalization")  # counters 2, 9, 10
    app_env.issue("civil-extract")  # counters 1, 2, 10: none open, shares no open counter
    complaint = app_env.issue("consumer-complaint")
    assert complaint["people_ahead"] == 1


def test_priority_ticket_issued_later_is_ahead_of_a_waiting_one(app_env: AppEnv) -> None:
    app_env.login("clerk9", counter="c9")
    complaint = app_env.issue("consumer-complaint")
    app_env.clock.advance(60)
    elderly = app_env.issue("criminal-record", priority=True)
    assert elderly["people_ahead"] == 0
    assert public(app_env, complaint)["people_ahead"] == 1


def test_the_issue_answer_and_the_public_answer_give_the_same_wait(app_env: AppEnv) -> None:
    app_env.login("clerk1", counter="c1")
    for _ in range(4):
        app_env.issue("civil-extract")
    ticket = app_env.issue("civil-extract")
    status = public(app_env, ticket)
    for key in ("people_ahead", "estimated_wait_s", "wait_minutes", "callable"):
        assert status[key] == ticket[key], key
    assert ticket["wait_minutes"] == wait_minutes(ticket["estimated_wait_s"])
    assert status["timezone"] == ticket["timezone"] == "Asia/Beirut"
    assert status["issued_at"] == ticket["issued_at"]
    assert status["issued_at"].endswith("+02:00")  # Beirut in November


def test_the_services_list_carries_each_services_queue(app_env: AppEnv) -> None:
    answer = app_env.http.get("/api/v1/services").json()
    assert answer["timezone"] == "Asia/Beirut"
    extract = answer["services"][0]
    assert extract["queue"] == {
        "waiting": 0,
        "people_ahead": 0,
        "estimated_wait_s": None,
        "wait_minutes": None,
        "callable": False,
    }
    app_env.login("clerk9", counter="c9")
    app_env.issue("criminal-record")
    app_env.issue("criminal-record")
    listed = services(app_env)
    record, complaint = listed["criminal-record"]["queue"], listed["consumer-complaint"]["queue"]
    assert record["waiting"] == 2 and record["callable"] is True
    assert complaint["waiting"] == 0 and complaint["people_ahead"] == 2
    assert complaint["callable"] is True and complaint["wait_minutes"] > 0
    assert listed["passport-new"]["queue"]["callable"] is False
    # What the list promised is what the ticket is told.
    ticket = app_env.issue("consumer-complaint")
    assert ticket["people_ahead"] == complaint["people_ahead"]
    assert ticket["estimated_wait_s"] == complaint["estimated_wait_s"]
    assert ticket["wait_minutes"] == complaint["wait_minutes"]


def test_a_called_ticket_has_nobody_ahead_and_a_finished_one_no_wait(app_env: AppEnv) -> None:
    clerk = app_env.login("clerk1", counter="c1")
    ticket = app_env.issue("civil-extract")
    app_env.http.post("/api/v1/counters/c1/next", headers=clerk)
    status = public(app_env, ticket)
    assert (status["people_ahead"], status["wait_minutes"], status["callable"]) == (0, 0, True)
    app_env.http.post(f"/api/v1/tickets/{ticket['id']}/start", headers=clerk)
    app_env.http.post(f"/api/v1/tickets/{ticket['id']}/finish", headers=clerk)
    status = public(app_env, ticket)
    assert status["state"] == "done"
    assert (status["estimated_wait_s"], status["wait_minutes"], status["callable"]) == (
        None,
        None,
        False,
    )


def test_under_the_target_ratio_policy_the_count_moves_with_the_clock_as_the_calls_do(
    seeded_db: Path, tmp_path: Path
) -> None:
    """A legalization (10-minute target) issued later overtakes a complaint (15 minutes)."""
    config = load_center_config(DEFAULT_CENTER)
    ratio = config.model_copy(
        update={"center": config.center.model_copy(update={"call_policy": "target_ratio"})}
    )
    env_iter = make_env(seeded_db, tmp_path, center=ratio)
    env = next(env_iter)
    try:
        clerk = env.login("clerk9", counter="c9")  # the one open counter serves both
        complaint = env.issue("consumer-complaint")
        env.clock.advance(300)
        legalization = env.issue("document-legalization")
        env.clock.advance(300)  # 600/900 of its target against 300/600: the complaint first
        assert public(env, complaint)["people_ahead"] == 0
        assert public(env, legalization)["people_ahead"] == 1
        env.clock.advance(900)  # 1500/900 against 1200/600: the legalization first
        assert public(env, complaint)["people_ahead"] == 1
        assert public(env, legalization)["people_ahead"] == 0
        called = env.http.post("/api/v1/counters/c9/next", headers=clerk).json()
        assert called["id"] == legalization["id"]
    finally:
        env_iter.close()
