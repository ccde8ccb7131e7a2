"""``POST /api/v1/tickets/public/{token}/notify`` over a real SQLite file: consent recorded once,
numbers refused with their reason, STOP respected, clients and numbers rate-limited, and nothing
offered or accepted when the server has no ``[sms]``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from server.store import outbox, ticket_phones
from tests.server.conftest import AppEnv, make_env

PHONE = "+9613123456"
SERVICE = "birth-registration"  # served by counter c3 alone in the demo


@pytest.fixture
def sms_app(seeded_db: Path, tmp_path: Path) -> Iterator[AppEnv]:
    sms = {"mode": "folder", "folder": str(tmp_path / "sms")}
    yield from make_env(seeded_db, tmp_path, sms=sms, ignore_hours=True)


@pytest.fixture
def plain_app(seeded_db: Path, tmp_path: Path) -> Iterator[AppEnv]:
    yield from make_env(seeded_db, tmp_path, ignore_hours=True)


def notify(env: AppEnv, token: str, phone: str, lang: str = "en", kiosk: bool = True) -> Any:
    return env.http.post(
        f"/api/v1/tickets/public/{token}/notify",
        json={"phone": phone, "lang": lang},
        headers=env.kiosk if kiosk else {},
    )


def error(answer: Any) -> dict[str, Any]:
    return answer.json()["error"]


def test_opt_in_records_consent_once_and_the_same_number_gets_the_same_answer(
    sms_app: AppEnv,
) -> None:
    env = sms_app
    for _ in range(5):  # five ahead: nothing is near yet
        env.issue(SERVICE)
    ticket = env.issue(SERVICE)
    first = notify(env, ticket["token"], "03 123 456")
    assert first.status_code == 200, first.text
    assert first.json() == {
        "ticket": ticket["number"],
        "phone": "+961…56",
        "lang": "en",
        "turn_near": 3,
        "near": False,
    }
    again = notify(env, ticket["token"], "+961 3 123456")  # the same number, written otherwise
    assert again.status_code == 200 and again.json() == first.json()
    db = env.ctx.db.read()
    assert outbox.may_message(db, PHONE)
    row = ticket_phones.of_ticket(db, ticket["id"])
    assert row is not None and row["phone"] == PHONE and row["lang"] == "en"
    events = db.execute(
        "SELECT data, ticket_id FROM events WHERE kind = 'sms_consent_given'"
    ).fetchall()
    assert len(events) == 1 and events[0][1] == ticket["id"]
    assert "3123456" not in events[0][0]  # a digest, never the number
    status = env.http.get(f"/api/v1/tickets/public/{ticket['token']}").json()
    assert status["sms"] == {"available": True, "opted_in": True, "turn_near": 3}
    assert outbox.messages(db) == []  # five ahead of three: not near


def test_a_ticket_already_near_is_texted_at_once(sms_app: AppEnv) -> None:
    env = sms_app
    env.issue(SERVICE)
    ticket = env.issue(SERVICE)
    answer = notify(env, ticket["token"], "03123456", lang="ar")
    assert answer.json()["near"] is False  # no counter open: nobody can call it yet
    clerk = env.login("clerk3", counter="c3")
    env.http.post("/api/v1/counters/c3/next", headers=clerk)  # opens c3, calls the first
    [message] = outbox.messages(env.ctx.db.read())
    assert message["kind"] == "turn_near" and message["phone"] == PHONE
    assert ticket["number"] in message["body"] and "أمامك 0" in message["body"]


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("03 12", "too short"),
        ("hello", "not a phone number"),
        ("+33612345678", "+961"),  # foreign: only the configured countries' numbers
        ("+961 900 12345", "premium"),
        ("01 123 456", "landline"),
    ],
)
def test_numbers_that_cannot_be_texted_are_refused_with_their_reason(
    sms_app: AppEnv, typed: str, reason: str
) -> None:
    ticket = sms_app.issue(SERVICE)
    answer = notify(sms_app, ticket["token"], typed)
    assert answer.status_code == 422
    assert error(answer)["code"] == "sms_phone_refused"
    assert reason in error(answer)["message"]["en"]
    assert error(answer)["message"]["ar"]
    assert ticket_phones.of_ticket(sms_app.ctx.db.read(), ticket["id"]) is None


def test_a_number_that_texted_stop_is_refused_and_stays_stopped(sms_app: AppEnv) -> None:
    env = sms_app
    now = env.clock()
    with env.ctx.db.write() as tx:
        outbox.stop_number(tx, PHONE, now, now + 86_400)
    ticket = env.issue(SERVICE)
    answer = notify(env, ticket["token"], "03 123 456")
    assert answer.status_code == 409 and error(answer)["code"] == "sms_number_stopped"
    assert "STOP" in error(answer)["message"]["en"] and "قف" in error(answer)["message"]["ar"]
    assert not outbox.may_message(env.ctx.db.read(), PHONE)


def test_a_ticket_no_longer_waiting_or_unknown_is_refused(sms_app: AppEnv) -> None:
    env = sms_app
    ticket = env.issue(SERVICE)
    clerk = env.login("clerk3", counter="c3")
    assert env.http.post("/api/v1/counters/c3/next", headers=clerk).status_code == 200
    answer = notify(env, ticket["token"], "03 123 456")
    assert answer.status_code == 409 and error(answer)["code"] == "sms_ticket_not_waiting"
    missing = notify(env, "no-such-token", "03 123 456")
    assert missing.status_code == 404 and error(missing)["code"] == "ticket_not_found"


def test_a_client_and_a_number_are_rate_limited(sms_app: AppEnv) -> None:
    env = sms_app
    tickets = [env.issue(SERVICE) for _ in range(8)]
    answers = [notify(env, t["token"], f"03 123 45{i}", kiosk=False) for i, t in enumerate(tickets)]
    codes = [a.status_code for a in answers]
    assert codes[:6] == [200] * 6 and codes[6] == 429  # one phone on the Wi-Fi: six tries
    assert error(answers[6])["code"] == "sms_notify_rate_limited"
    assert int(answers[6].headers["Retry-After"]) >= 1
    # one number signed up on ticket after ticket (from the kiosk, whose budget is larger)
    same = [notify(env, t["token"], "70 123 456").status_code for t in tickets[:5]]
    assert same == [200, 200, 200, 429, 429]


def test_without_sms_nothing_is_offered_nor_accepted(plain_app: AppEnv) -> None:
    env = plain_app
    ticket = env.issue(SERVICE)
    answer = notify(env, ticket["token"], "03 123 456")
    assert answer.status_code == 409 and error(answer)["code"] == "sms_unavailable"
    assert error(answer)["message"]["ar"] and error(answer)["message"]["en"]
    assert env.http.get("/api/v1/services").json()["sms"] == {"available": False, "countries": []}
    status = env.http.get(f"/api/v1/tickets/public/{ticket['token']}").json()
    assert status["sms"] == {"available": False, "opted_in": False}


def test_the_services_list_offers_messages_with_the_countries(sms_app: AppEnv) -> None:
    sms = sms_app.http.get("/api/v1/services").json()["sms"]
    assert sms == {"available": True, "countries": ["961", "963", "964"]}


def test_the_body_is_strict(sms_app: AppEnv) -> None:
    ticket = sms_app.issue(SERVICE)
    url = f"/api/v1/tickets/public/{ticket['token']}/notify"
    extra = sms_app.http.post(url, json={"phone": "03123456", "lang": "en", "name": "x"})
    assert extra.status_code == 422
    too_long = sms_app.http.post(url, json={"phone": "3" * 41, "lang": "en"})
    assert too_long.status_code == 422
    bad_lang = sms_app.http.post(url, json={"phone": "03123456", "lang": "fr"})
    assert bad_lang.status_code == 422
