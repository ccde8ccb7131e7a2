"""What a clerk does with the called ticket, through the API in-process: finish implies start,
no-show only after a while (or a recall) and undone for a while, transfers the board can follow,
and refusals in the reader's language."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.server.conftest import AppEnv

LATIN = re.compile(r"[A-Za-z]")


def code(response: Any) -> str:
    return response.json()["error"]["code"]


def act(env: AppEnv, clerk: dict[str, str], ticket: dict[str, Any], action: str, **body: Any):
    return env.http.post(f"/api/v1/tickets/{ticket['id']}/{action}", json=body, headers=clerk)


def events(env: AppEnv, ticket_id: int) -> list[tuple[str, dict, dict | None]]:
    rows = env.ctx.db.read().execute(
        "SELECT kind, data, public FROM events WHERE ticket_id = ? ORDER BY id", [ticket_id]
    )
    return [
        (kind, json.loads(data), json.loads(public) if public else None)
        for kind, data, public in rows
    ]


def called(env: AppEnv, counter: str = "c1", clerk_name: str = "clerk1"):
    ticket = env.issue("civil-extract")
    clerk = env.login(clerk_name, counter=counter)
    answer = env.http.post(f"/api/v1/counters/{counter}/next", headers=clerk)
    assert answer.status_code == 200 and answer.json()["id"] == ticket["id"], answer.text
    return clerk, answer.json()


def test_finish_on_a_called_ticket_starts_and_finishes_it_in_one_action(app_env: AppEnv) -> None:
    clerk, ticket = called(app_env)
    app_env.clock.advance(240)
    answer = act(app_env, clerk, ticket, "finish")
    assert answer.status_code == 200, answer.text
    done = answer.json()
    assert done["state"] == "done"
    assert done["started_at"] == ticket["called_at"]  # served from the call on
    kinds = [kind for kind, _data, _public in events(app_env, ticket["id"])]
    assert kinds == ["ticket_issued", "ticket_called", "ticket_start", "ticket_finish"]
    start = events(app_env, ticket["id"])[2][1]
    assert start["implied_by"] == "finish"
    served = app_env.http.get("/api/v1/me/today", headers=clerk).json()
    assert served["served"] == 1


def test_no_show_waits_for_the_minimum_time_or_a_recall(app_env: AppEnv) -> None:
    clerk, ticket = called(app_env)
    assert ticket["no_show_at"] > ticket["called_at"]
    early = act(app_env, clerk, ticket, "no-show")
    assert early.status_code == 409 and code(early) == "no_show_too_soon"
    message = early.json()["error"]["message"]
    assert "60" in message["en"] and "60" in message["ar"]
    assert app_env.http.get(f"/api/v1/tickets/{ticket['id']}", headers=clerk).json()["state"] == (
        "called"
    )
    app_env.clock.advance(45)
    assert "15" in act(app_env, clerk, ticket, "no-show").json()["error"]["message"]["en"]
    app_env.clock.advance(15)
    assert act(app_env, clerk, ticket, "no-show").json()["state"] == "no_show"

    # a recall first: the no-show is possible at once
    clerk2, other = called(app_env, "c2", "clerk2")
    recalled = act(app_env, clerk2, other, "recall").json()
    assert recalled["no_show_at"] == recalled["called_at"]
    assert act(app_env, clerk2, other, "no-show").json()["state"] == "no_show"


def test_a_no_show_is_undone_by_its_clerk_for_two_minutes_and_audited(app_env: AppEnv) -> None:
    clerk, ticket = called(app_env)
    app_env.clock.advance(60)
    marked = act(app_env, clerk, ticket, "no-show").json()
    assert marked["undo_until"]
    other = app_env.login("clerk2", counter="c2")
    refused = act(app_env, other, ticket, "undo-no-show")
    assert refused.status_code == 403 and code(refused) == "not_your_no_show"
    app_env.clock.advance(90)
    back = act(app_env, clerk, ticket, "undo-no-show")
    assert back.status_code == 200, back.text
    assert (back.json()["state"], back.json()["counter"]["id"]) == ("called", "c1")
    kind, data, public = events(app_env, ticket["id"])[-1]
    assert kind == "ticket_no_show_undone" and data["from_state"] == "no_show"
    assert public["state"] == "called" and public["counter"]["id"] == "c1"
    # the counter holds it again: calling next is refused until it is done with
    busy = app_env.http.post("/api/v1/counters/c1/next", headers=clerk)
    assert code(busy) == "counter_busy"

    # too late after two minutes
    assert act(app_env, clerk, ticket, "no-show").json()["state"] == "no_show"
    app_env.clock.advance(121)
    late = act(app_env, clerk, ticket, "undo-no-show")
    assert late.status_code == 409 and code(late) == "undo_too_late"


def test_undo_is_refused_while_the_counter_holds_another_ticket(app_env: AppEnv) -> None:
    clerk, ticket = called(app_env)
    app_env.clock.advance(60)
    act(app_env, clerk, ticket, "no-show")
    app_env.issue("civil-extract")
    assert app_env.http.post("/api/v1/counters/c1/next", headers=clerk).status_code == 200
    busy = act(app_env, clerk, ticket, "undo-no-show")
    assert busy.status_code == 409 and code(busy) == "counter_busy"


def test_wrong_state_refusals_name_state_and_action_in_the_readers_language(
    app_env: AppEnv,
) -> None:
    clerk, ticket = called(app_env)
    assert act(app_env, clerk, ticket, "finish").json()["state"] == "done"
    again = act(app_env, clerk, ticket, "finish")
    assert again.status_code == 409 and code(again) == "wrong_state"
    message = again.json()["error"]["message"]
    assert not LATIN.search(message["ar"]), message["ar"]
    assert message["en"] == "Cannot finish a ticket that is done."
    waiting = app_env.issue("civil-extract")
    start = act(app_env, clerk, waiting, "start").json()["error"]["message"]
    assert not LATIN.search(start["ar"]) and "waiting" in start["en"]


def test_a_transfer_event_says_which_counter_the_ticket_left_and_where_it_went(
    app_env: AppEnv,
) -> None:
    clerk, ticket = called(app_env)
    answer = act(app_env, clerk, ticket, "transfer", counter="c2", reason="stamp desk")
    assert answer.status_code == 200, answer.text
    assert (answer.json()["state"], answer.json()["target_counter"]) == ("waiting", "c2")
    kind, data, public = events(app_env, ticket["id"])[-1]
    assert kind == "ticket_transfer" and data["reason"] == "stamp desk"
    assert public["from_counter"]["id"] == "c1" and public["to_counter"]["id"] == "c2"
    assert public["counter"] is None and public["ticket"] == ticket["number"]
