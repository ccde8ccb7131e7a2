"""Reprinting a ticket through the API, in-process: the kiosk by QR token or typed number, the
counter by id; same-day and live tickets only, the kiosk's cap per ticket, the rate limits, the
audit event, and who may do what."""

from __future__ import annotations

import json
from typing import Any

import pytest

from server.domain.reprint import KIOSK_MAX_REPRINTS, parse_number
from server.usecases.reprint import CLERK_BURST, KIOSK_BURST
from tests.server.conftest import AppEnv


def code(response: Any) -> str:
    return response.json()["error"]["code"]


def token_of(ticket: dict[str, Any]) -> str:
    return ticket["status_url"].rsplit("/", 1)[-1]


def reprint(env: AppEnv, headers: dict[str, str] | None = None, **body: Any):
    return env.http.post("/api/v1/tickets/reprint", json=body, headers=headers or env.kiosk)


def reprint_events(env: AppEnv, ticket_id: int) -> list[tuple[dict, str | None, str | None]]:
    rows = env.ctx.db.read().execute(
        "SELECT data, public, actor FROM events WHERE kind = 'ticket_reprinted'"
        " AND ticket_id = ? ORDER BY id",
        [ticket_id],
    )
    return [(json.loads(data), public, actor) for data, public, actor in rows]


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("A-042", "A-042"),
        ("a42", "A-042"),
        (" A 042 ", "A-042"),
        ("PA-7", "PA-007"),
        ("A-٠٤٢", "A-042"),  # Arabic-Indic digits, as an Arabic keyboard types them
        ("p ۷", "P-007"),  # Extended Arabic-Indic (Persian keyboards)
    ],
)
def test_a_typed_number_reads_as_the_printed_number(typed: str, number: str) -> None:
    assert parse_number(typed) == number


@pytest.mark.parametrize("typed", ["", "42", "A", "A-0", "ABC-1", "A-12345", "A-4x"])
def test_what_is_no_number_is_refused(typed: str) -> None:
    assert parse_number(typed) is None


def test_the_kiosk_reprints_by_token_and_by_number_with_the_fresh_ticket_fields(
    app_env: AppEnv,
) -> None:
    env = app_env
    env.issue("civil-extract")
    ticket = env.issue("civil-extract")  # one ahead of it
    by_token = reprint(env, token=token_of(ticket))
    assert by_token.status_code == 200, by_token.text
    again = by_token.json()
    assert again["reprint"] is True and again["reprints"] == 1
    for field in ("id", "number", "status_url", "people_ahead", "estimated_wait_s",
                  "wait_minutes", "callable", "documents", "center", "timezone"):  # fmt: skip
        assert field in again, field
    assert again["number"] == ticket["number"] and again["status_url"] == ticket["status_url"]
    assert again["people_ahead"] == 1
    public = env.http.get(f"/api/v1/tickets/public/{token_of(ticket)}").json()
    assert (again["people_ahead"], again["wait_minutes"]) == (
        public["people_ahead"],
        public["wait_minutes"],
    )

    by_number = reprint(env, number=ticket["number"].replace("-", "").lower())
    assert by_number.status_code == 200, by_number.text
    assert by_number.json()["reprints"] == 2 and by_number.json()["id"] == ticket["id"]

    audited = reprint_events(env, ticket["id"])
    assert [(d["by"], d["how"], d["reprints"]) for d, _p, _a in audited] == [
        ("kiosk", "token", 1),
        ("kiosk", "number", 2),
    ]
    assert all(public is None for _d, public, _a in audited)  # never on the board
    assert {actor for _d, _p, actor in audited} == {"demo-kiosk-1"}
    assert audited[0][0]["device"] == "demo-kiosk-1"
    count = (
        env.ctx.db.read()
        .execute("SELECT reprints FROM tickets WHERE id = ?", [ticket["id"]])
        .fetchone()[0]
    )
    assert count == 2
    staff = env.http.get(f"/api/v1/tickets/{ticket['id']}", headers=env.login("manager")).json()
    assert staff["reprints"] == 2  # a clerk sees that this ticket has copies
    public = env.http.get(f"/api/v1/tickets/public/{token_of(ticket)}").json()
    assert "reprints" not in public


def test_the_kiosk_stops_at_two_reprints_of_one_ticket(app_env: AppEnv) -> None:
    ticket = app_env.issue("civil-extract")
    for _ in range(KIOSK_MAX_REPRINTS):
        assert reprint(app_env, token=token_of(ticket)).status_code == 200
    third = reprint(app_env, number=ticket["number"])
    assert (third.status_code, code(third)) == (409, "reprint_limit_reached")
    assert "2" in third.json()["error"]["message"]["en"]
    assert len(reprint_events(app_env, ticket["id"])) == KIOSK_MAX_REPRINTS


def test_a_kiosk_is_held_to_a_few_reprints_a_minute_and_failed_guesses_count(
    app_env: AppEnv,
) -> None:
    env = app_env
    tickets = [env.issue("civil-extract") for _ in range(3)]
    guesses = [reprint(env, number="Z-900") for _ in range(KIOSK_BURST - 2)]
    assert {code(g) for g in guesses} == {"ticket_not_found"}
    assert reprint(env, token=token_of(tickets[0])).status_code == 200
    assert reprint(env, token=token_of(tickets[1])).status_code == 200
    limited = reprint(env, token=token_of(tickets[2]))
    assert (limited.status_code, code(limited)) == (429, "reprint_rate_limited")
    assert int(limited.headers["Retry-After"]) >= 1
    other = reprint(env, env.headers("demo-kiosk-2"), token=token_of(tickets[2]))
    assert other.status_code == 200, other.text  # per kiosk, not for the whole center
    env.clock.advance(60)
    assert reprint(env, token=token_of(tickets[2])).status_code == 200


@pytest.mark.parametrize("action", ["finish", "cancel", "no-show"])
def test_a_closed_ticket_is_refused_with_its_state_named(app_env: AppEnv, action: str) -> None:
    env = app_env
    ticket = env.issue("civil-extract")
    clerk = env.login("clerk1", counter="c1")
    assert env.http.post("/api/v1/counters/c1/next", headers=clerk).status_code == 200
    env.clock.advance(600)
    if action == "no-show":
        env.http.post(f"/api/v1/tickets/{ticket['id']}/recall", headers=clerk)
    done = env.http.post(
        f"/api/v1/tickets/{ticket['id']}/{action}", json={"reason": "left"}, headers=clerk
    )
    assert done.status_code == 200, done.text
    refused = reprint(env, token=token_of(ticket))
    assert (refused.status_code, code(refused)) == (409, "reprint_closed")
    message = refused.json()["error"]["message"]
    state = done.json()["state"]
    assert {"done": "done", "cancelled": "cancelled", "no_show": "no-show"}[state] in message["en"]
    assert not any(c.isascii() and c.isalpha() for c in message["ar"])
    at_counter = env.http.post(f"/api/v1/tickets/{ticket['id']}/reprint", headers=clerk)
    assert code(at_counter) == "reprint_closed"
    assert reprint_events(env, ticket["id"]) == []


def test_only_todays_tickets_are_reprinted(app_env: AppEnv) -> None:
    env = app_env
    ticket = env.issue("civil-extract")
    env.clock.advance(24 * 3600)  # the next day: yesterday's ticket still waits in the table
    stale = reprint(env, token=token_of(ticket))
    assert (stale.status_code, code(stale)) == (409, "reprint_not_today")
    by_number = reprint(env, number=ticket["number"])  # numbers start again each day
    assert (by_number.status_code, code(by_number)) == (404, "ticket_not_found")


def test_bad_requests_are_refused_plainly(app_env: AppEnv) -> None:
    env = app_env
    ticket = env.issue("civil-extract")
    neither = reprint(env)
    assert (neither.status_code, code(neither)) == (422, "reprint_needs_ticket")
    both_given = reprint(env, token=token_of(ticket), number=ticket["number"])
    assert code(both_given) == "reprint_needs_ticket"
    junk = reprint(env, number="hello")
    assert (junk.status_code, code(junk)) == (422, "reprint_bad_number")
    unknown = reprint(env, token="no-such-token")
    assert (unknown.status_code, code(unknown)) == (404, "ticket_not_found")


def test_the_counter_reprints_its_own_ticket_by_id_and_nobody_else_does(app_env: AppEnv) -> None:
    env = app_env
    ticket = env.issue("civil-extract")
    clerk1 = env.login("clerk1", counter="c1")
    called = env.http.post("/api/v1/counters/c1/next", headers=clerk1).json()
    assert called["id"] == ticket["id"]
    env.http.post(f"/api/v1/tickets/{ticket['id']}/start", headers=clerk1)
    url = f"/api/v1/tickets/{ticket['id']}/reprint"

    anonymous = env.http.post(url)
    assert (anonymous.status_code, code(anonymous)) == (401, "unauthenticated")
    kiosk = env.http.post(url, headers=env.kiosk)
    assert (kiosk.status_code, code(kiosk)) == (403, "forbidden")
    elsewhere = env.http.post(url, headers=env.login("clerk2", counter="c2"))
    assert (elsewhere.status_code, code(elsewhere)) == (403, "not_at_counter")
    clerk_at_kiosk_path = reprint(env, clerk1, token=token_of(ticket))
    assert (clerk_at_kiosk_path.status_code, code(clerk_at_kiosk_path)) == (403, "forbidden")
    anonymous_kiosk_path = env.http.post("/api/v1/tickets/reprint", json={"number": "A-001"})
    assert anonymous_kiosk_path.status_code == 401

    mine = env.http.post(url, headers=clerk1)  # serving at the counter: the citizen is there
    assert mine.status_code == 200, mine.text
    assert mine.json()["reprint"] is True and mine.json()["state"] == "serving"
    manager = env.http.post(url, headers=env.login("manager"))
    assert manager.status_code == 200, manager.text
    audited = reprint_events(env, ticket["id"])
    assert [(d["by"], d["how"], d["counter"], a) for d, _p, a in audited] == [
        ("counter", "id", "c1", "clerk1"),
        ("counter", "id", None, "manager"),
    ]
    # the kiosk may not reprint a ticket being served, whatever the counter did
    at_kiosk = reprint(env, token=token_of(ticket))
    assert code(at_kiosk) == "reprint_closed"


def test_a_clerk_is_held_to_a_rate_too(app_env: AppEnv) -> None:
    env = app_env
    ticket = env.issue("civil-extract")
    clerk = env.login("clerk1", counter="c1")
    env.http.post("/api/v1/counters/c1/next", headers=clerk)
    url = f"/api/v1/tickets/{ticket['id']}/reprint"
    answers = [env.http.post(url, headers=clerk).status_code for _ in range(CLERK_BURST + 1)]
    assert answers == [200] * CLERK_BURST + [429]


def test_the_audit_log_still_verifies_and_replays_after_reprints(app_env: AppEnv) -> None:
    from server.usecases.audit_verify import verify

    env = app_env
    ticket = env.issue("civil-extract")
    assert reprint(env, token=token_of(ticket)).status_code == 200
    report = verify(env.ctx.db.read(), None, [], None)
    assert report.events > 0 and report.problems == [], report.problems
