"""The rating rules through the API in-process: only a finished visit, once per ticket, by its
token or at its counter's screen within minutes, comments made safe, managers see all and clerks
only their own averages."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from tests.server.conftest import AppEnv


def served(
    env: AppEnv, counter: str = "c1", clerk_name: str = "clerk1", service: str = "civil-extract"
) -> tuple[dict[str, str], dict[str, Any]]:
    ticket = env.issue(service)
    clerk = env.login(clerk_name, counter=counter)
    called = env.http.post(f"/api/v1/counters/{counter}/next", headers=clerk)
    assert called.status_code == 200 and called.json()["id"] == ticket["id"], called.text
    env.clock.advance(120)
    done = env.http.post(f"/api/v1/tickets/{ticket['id']}/finish", json={}, headers=clerk)
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "done", done.json()
    return clerk, ticket


def rate(env: AppEnv, token: str, **body: Any) -> Any:
    return env.http.post(f"/api/v1/tickets/public/{token}/rating", json={"lang": "en", **body})


def code(response: Any) -> str:
    return response.json()["error"]["code"]


def test_a_waiting_ticket_cannot_be_rated_and_a_finished_one_once(app_env: AppEnv) -> None:
    waiting = app_env.issue("passport-new")  # c1 does not call it
    refused = rate(app_env, waiting["token"], stars=5)
    assert refused.status_code == 409 and code(refused) == "rating_not_finished"
    assert app_env.http.get(f"/api/v1/tickets/public/{waiting['token']}/rating").json() == {
        "rateable": False,
        "rated": False,
        "stars": None,
    }
    _, ticket = served(app_env)
    assert app_env.http.get(f"/api/v1/tickets/public/{ticket['token']}/rating").json()["rateable"]
    first = rate(app_env, ticket["token"], stars=4, comment="quick and kind")
    assert first.status_code == 201, first.text
    again = rate(app_env, ticket["token"], stars=1)
    assert again.status_code == 409 and code(again) == "already_rated"
    assert app_env.http.get(f"/api/v1/tickets/public/{ticket['token']}/rating").json() == {
        "rateable": False,
        "rated": True,
        "stars": 4,
    }
    rows = (
        app_env.ctx.db.read()
        .execute("SELECT stars, comment, counter, clerk FROM ratings")
        .fetchall()
    )
    assert rows == [(4, "quick and kind", "c1", "clerk1")]


def test_unknown_token_bad_stars_and_extra_fields_are_refused(app_env: AppEnv) -> None:
    assert code(rate(app_env, "nope", stars=3)) == "ticket_not_found"
    _, ticket = served(app_env)
    for body in (
        {"stars": 0},
        {"stars": 6},
        {"stars": "5"},
        {"stars": 3, "name": "x"},
        {"stars": 3, "comment": "x" * 501},
    ):
        answer = rate(app_env, ticket["token"], **body)
        assert answer.status_code == 422, (body, answer.text)
    assert app_env.ctx.db.read().execute("SELECT count(*) FROM ratings").fetchone()[0] == 0


def test_the_comment_is_stripped_of_controls_and_bidi_overrides_and_only_its_digest_is_audited(
    app_env: AppEnv,
) -> None:
    _, ticket = served(app_env)
    raw = "\u202egood\u202c  <script>alert(1)</script>\x00\x07\r\n\r\n\r\n\r\nbye\u2066"
    assert rate(app_env, ticket["token"], stars=2, comment=raw).status_code == 201
    kept = app_env.ctx.db.read().execute("SELECT comment FROM ratings").fetchone()[0]
    assert kept == "good <script>alert(1)</script>\n\nbye"
    _kind, data, public = (
        app_env.ctx.db.read()
        .execute("SELECT kind, data, public FROM events WHERE kind = 'ticket_rated'")
        .fetchone()
    )
    data = json.loads(data)
    assert public is None
    assert data["text_sha256"] == hashlib.sha256(kept.encode()).hexdigest()
    assert "good" not in json.dumps(data) and data["stars"] == 2


def test_phone_ratings_are_rate_limited_per_address(app_env: AppEnv) -> None:
    answers = [rate(app_env, f"guess{i}", stars=3) for i in range(8)]
    assert [a.status_code for a in answers[:6]] == [404] * 6
    assert answers[6].status_code == 429 and code(answers[6]) == "rating_rate_limited"
    assert int(answers[6].headers["Retry-After"]) >= 1


def test_the_phone_rating_closes_a_week_after_the_visit(app_env: AppEnv) -> None:
    _, ticket = served(app_env)
    app_env.clock.advance(8 * 86400)
    assert code(rate(app_env, ticket["token"], stars=5)) == "rating_closed"


def test_the_counter_screen_rates_the_visit_just_finished_there_once_and_only_for_minutes(
    app_env: AppEnv,
) -> None:
    device = app_env.kiosk
    pending = app_env.http.get("/api/v1/counters/c1/rating", headers=device).json()
    assert pending["pending"] is None
    assert (
        code(app_env.http.post("/api/v1/counters/c1/rating", json={"stars": 5}, headers=device))
        == "nothing_to_rate"
    )
    _, ticket = served(app_env)
    pending = app_env.http.get("/api/v1/counters/c1/rating", headers=device).json()["pending"]
    assert pending["ticket"] == ticket["id"] and pending["number"] == ticket["number"]
    # another counter's screen has nothing to rate
    assert app_env.http.get("/api/v1/counters/c2/rating", headers=device).json()["pending"] is None
    first = app_env.http.post(
        "/api/v1/counters/c1/rating", json={"stars": 5, "ticket": ticket["id"]}, headers=device
    )
    assert first.status_code == 201, first.text
    second = app_env.http.post("/api/v1/counters/c1/rating", json={"stars": 1}, headers=device)
    assert code(second) == "nothing_to_rate"
    # and the phone cannot rate it again either
    assert code(rate(app_env, ticket["token"], stars=1)) == "already_rated"
    # a visit finished more than five minutes ago is not offered
    served(app_env)
    app_env.clock.advance(301)
    assert app_env.http.get("/api/v1/counters/c1/rating", headers=device).json()["pending"] is None
    assert (
        code(app_env.http.post("/api/v1/counters/c1/rating", json={"stars": 3}, headers=device))
        == "nothing_to_rate"
    )


def test_who_may_use_the_counter_screen_and_the_figures(app_env: AppEnv) -> None:
    clerk = app_env.login("clerk1", counter="c1")
    manager = app_env.login("manager")
    assert app_env.http.get("/api/v1/counters/c1/rating").status_code == 401
    assert app_env.http.get("/api/v1/counters/c1/rating", headers=clerk).status_code == 403
    assert (
        app_env.http.get("/api/v1/counters/nowhere/rating", headers=app_env.kiosk).status_code
        == 404
    )
    day = "2026-11-23"
    assert (
        app_env.http.get(f"/api/v1/ratings?from={day}&to={day}", headers=clerk).status_code == 403
    )
    assert (
        app_env.http.get(f"/api/v1/ratings.csv?from={day}&to={day}", headers=clerk).status_code
        == 403
    )
    assert (
        app_env.http.get(f"/api/v1/ratings?from={day}&to={day}", headers=manager).status_code == 200
    )
    assert app_env.http.get("/api/v1/me/ratings", headers=app_env.kiosk).status_code == 403


def test_a_clerk_sees_only_their_own_averages(app_env: AppEnv) -> None:
    for stars in (5, 3):
        _, ticket = served(app_env, "c1", "clerk1")
        assert rate(app_env, ticket["token"], stars=stars).status_code == 201
    _, ticket = served(app_env, "c2", "clerk2")
    assert rate(app_env, ticket["token"], stars=1, comment="rude").status_code == 201
    mine = app_env.http.get(
        "/api/v1/me/ratings", headers=app_env.login("clerk1", counter="c1")
    ).json()
    assert mine["clerk"] == "clerk1"
    assert mine["today"] == {"count": 2, "mean": 4.0, "satisfied": 0.5}
    assert "rude" not in json.dumps(mine)
    theirs = app_env.http.get(
        "/api/v1/me/ratings", headers=app_env.login("clerk2", counter="c2")
    ).json()
    assert theirs["month"]["count"] == 1 and theirs["month"]["mean"] == 1.0
