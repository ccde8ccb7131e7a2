"""Tickets per person per day through the API: civil extracts limited to 2 per phone number,
passports to 1 per last-4-digits of the national id (a copy of the demo catalog)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from server.config import DEFAULT_CENTER, load_center_config
from tests.server.conftest import AppEnv, make_env

PHONE = "0933123456"


@pytest.fixture
def env(seeded_db: Path, tmp_path: Path) -> Iterator[AppEnv]:
    config = load_center_config(DEFAULT_CENTER)
    limits = {
        "civil-extract": {"max_tickets_per_person": 2, "identify_by": "phone"},
        "passport-renewal": {"max_tickets_per_person": 1, "identify_by": "id_digits"},
    }
    services = [s.model_copy(update=limits.get(s.id, {})) for s in config.services]
    yield from make_env(
        seeded_db, tmp_path, center=config.model_copy(update={"services": services})
    )


def issue(env: AppEnv, service: str = "civil-extract", key: str | None = None, **body: Any) -> Any:
    headers = {**env.kiosk, **({"Idempotency-Key": key} if key else {})}
    return env.http.post("/api/v1/tickets", json={"service": service, **body}, headers=headers)


def code(answer: Any) -> str:
    return answer.json()["error"]["code"]


def refusals(env: AppEnv) -> dict[str, dict[str, Any]]:
    answer = env.http.get("/api/v1/admin/cutoff", headers=env.login("manager"))
    assert answer.status_code == 200, answer.text
    return {s["id"]: s for s in answer.json()["services"]}


def test_a_limited_service_asks_for_the_person_and_checks_what_is_typed(env: AppEnv) -> None:
    missing = issue(env)
    assert missing.status_code == 422 and code(missing) == "person_required"
    assert "phone" in missing.json()["error"]["message"]["en"]
    wrong_kind = issue(env, person={"id_digits": "1234"})
    assert wrong_kind.status_code == 422 and code(wrong_kind) == "person_required"
    for bad in ("09331234ab", "+963933123456", "0" * 16, ""):
        answer = issue(env, person={"phone": bad})
        assert answer.status_code == 422, bad
    short = issue(env, person={"phone": "12345"})
    assert short.status_code == 422 and code(short) == "person_invalid"
    assert issue(env, "passport-renewal", person={"id_digits": "12345"}).status_code == 422
    assert code(issue(env, "passport-renewal", person={"id_digits": "12a4"})) == "invalid_input"
    assert issue(env, "passport-renewal", person={"id_digits": "0042"}).status_code == 201
    # a service without a limit asks nothing and keeps nothing
    assert issue(env, "family-extract").status_code == 201
    assert issue(env, "family-extract", person={"phone": PHONE}).status_code == 201


def test_beyond_the_limit_the_person_is_refused_and_the_refusal_counted(env: AppEnv) -> None:
    assert issue(env, person={"phone": PHONE}).status_code == 201
    assert issue(env, person={"phone": PHONE}).status_code == 201
    third = issue(env, person={"phone": PHONE})
    assert third.status_code == 409 and code(third) == "person_limit_reached"
    message = third.json()["error"]["message"]
    assert "2" in message["en"] and "2" in message["ar"]
    assert issue(env, person={"phone": "0944000000"}).status_code == 201  # someone else
    assert issue(env, "passport-renewal", person={"id_digits": "3456"}).status_code == 201
    assert code(issue(env, "passport-renewal", person={"id_digits": "3456"})) == (
        "person_limit_reached"
    )
    figures = refusals(env)
    assert figures["civil-extract"]["refusals"] == 1
    assert figures["civil-extract"]["max_tickets_per_person"] == 2
    assert figures["passport-renewal"]["refusals"] == 1
    assert figures["passport-renewal"]["identify_by"] == "id_digits"
    assert figures["family-extract"]["max_tickets_per_person"] is None
    # the next day the count starts again
    env.clock.advance(24 * 3600)
    assert issue(env, person={"phone": PHONE}).status_code == 201


def test_the_person_is_kept_only_as_a_keyed_digest(env: AppEnv) -> None:
    for _ in range(3):
        issue(env, person={"phone": PHONE})
    with sqlite3.connect(env.db_path) as db:
        digests = [r[0] for r in db.execute("SELECT digest FROM ticket_people")]
        events = db.execute(
            "SELECT data, public FROM events WHERE kind = 'ticket_refused_limit'"
        ).fetchall()
        dump = "\n".join(db.iterdump())
    assert len(digests) == 2 and len(set(digests)) == 1 and len(digests[0]) == 64
    assert PHONE not in dump and PHONE[1:] not in dump
    assert len(events) == 1
    for data, public in events:
        assert digests[0] not in data and digests[0] not in (public or "")
        assert "civil-extract" in public


def test_a_retry_with_the_same_key_returns_the_same_ticket_and_counts_once(env: AppEnv) -> None:
    first = issue(env, key="retry-1", person={"phone": PHONE})
    again = issue(env, key="retry-1", person={"phone": PHONE})
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["number"] == first.json()["number"]
    assert issue(env, key="retry-2", person={"phone": PHONE}).status_code == 201  # the second
    assert issue(env, key="retry-2", person={"phone": PHONE}).status_code == 200
    assert code(issue(env, key="retry-3", person={"phone": PHONE})) == "person_limit_reached"
    with sqlite3.connect(env.db_path) as db:
        assert db.execute("SELECT COUNT(*) FROM ticket_people").fetchone()[0] == 2


def test_the_services_list_tells_which_services_ask_for_the_person(env: AppEnv) -> None:
    listed = {s["id"]: s for s in env.http.get("/api/v1/services").json()["services"]}
    assert listed["civil-extract"]["max_tickets_per_person"] == 2
    assert listed["civil-extract"]["identify_by"] == "phone"
    assert listed["passport-renewal"]["identify_by"] == "id_digits"
    assert listed["family-extract"]["max_tickets_per_person"] is None
