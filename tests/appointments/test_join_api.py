"""Joining the queue from a phone, through the API on a real SQLite file with a moved clock: the
place is told the kiosk's estimate, is never called, keeps its position when the kiosk confirms
it, lapses when not confirmed in time, and a number takes one place per service per day."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.config import DEFAULT_CENTER, load_center_config
from tests.server.conftest import AppEnv, make_env, seeded_db  # noqa: F401 - a fixture

PHONE = "03 123 456"  # a Lebanese mobile: +9613123456
OTHER = "70 123 456"


def _env(seeded: Path, folder: Path, enabled: bool = True, **settings: object) -> Iterator[AppEnv]:
    config = load_center_config(DEFAULT_CENTER)
    places = config.center.places.model_copy(update={"enabled": enabled, "lapse_min": 20})
    center = config.center.model_copy(update={"places": places})
    yield from make_env(
        seeded,
        folder,
        center=config.model_copy(update={"center": center}),
        ignore_hours=True,
        **settings,
    )


@pytest.fixture
def env(seeded_db: Path, tmp_path: Path) -> Iterator[AppEnv]:  # noqa: F811
    yield from _env(seeded_db, tmp_path)


def join(env: AppEnv, phone: str = PHONE, service: str = "work-permit", **extra: object):
    return env.http.post(
        "/api/v1/places", json={"service": service, "phone": phone, "lang": "ar", **extra}
    )


def queue_of(env: AppEnv, service: str) -> dict:
    services = env.http.get("/api/v1/services").json()["services"]
    return next(s["queue"] for s in services if s["id"] == service)


def call_next(env: AppEnv, clerk: dict[str, str]) -> dict:
    """Call next at counter 8 and finish at once: the ticket called."""
    answer = env.http.post("/api/v1/counters/c8/next", headers=clerk)
    assert answer.status_code == 200, answer.text
    ticket = answer.json()
    assert env.http.post(f"/api/v1/tickets/{ticket['id']}/finish", headers=clerk).is_success
    return ticket


def open_counter(env: AppEnv) -> dict[str, str]:
    return env.login("clerk8", counter="c8")  # counter 8 serves work permits: it opens


def test_a_place_is_told_the_kiosks_estimate_and_when_to_come_back(env: AppEnv) -> None:
    open_counter(env)
    env.issue("work-permit")
    env.issue("work-permit")
    told = queue_of(env, "work-permit")
    answer = join(env)
    assert answer.status_code == 201, answer.text
    place = answer.json()
    assert place["ahead"] == told["people_ahead"] == 2
    assert place["wait_minutes"] == told["wait_minutes"] and told["wait_minutes"] > 0
    assert place["come_back_at"] == env.clock() + told["wait_minutes"] * 60
    assert place["expires_at"] == place["come_back_at"] + 20 * 60
    assert place["url"] == f"/p/{place['token']}" and place["qr"].endswith(place["url"])
    assert place["state"] == "waiting" and "phone" not in place
    seen = env.http.get(f"/api/v1/places/{place['token']}").json()
    assert seen["people_ahead"] == 2 and seen["state"] == "waiting"


def test_an_unconfirmed_place_is_never_called_nor_counted_and_keeps_its_position(
    env: AppEnv,
) -> None:
    clerk = open_counter(env)
    first = env.issue("work-permit")
    place = join(env).json()
    env.clock.advance(60)
    later = env.issue("work-permit")  # after the join: the place is not counted ahead of it
    assert later["people_ahead"] == 1
    assert call_next(env, clerk)["id"] == first["id"]
    env.clock.advance(60)
    confirmed = env.http.post(f"/api/v1/places/{place['token']}/confirm", headers=env.kiosk)
    assert confirmed.status_code == 200, confirmed.text
    ticket = confirmed.json()["ticket"]
    assert ticket["people_ahead"] == 0  # its position from the join: before ``later``
    assert confirmed.json()["place"]["state"] == "confirmed"
    assert confirmed.json()["place"]["ticket"]["number"] == ticket["number"]
    assert call_next(env, clerk)["id"] == ticket["id"]
    again = env.http.post(f"/api/v1/places/{place['token']}/confirm", headers=env.kiosk)
    assert again.json()["ticket"]["id"] == ticket["id"]  # a retried scan: the same ticket


def test_a_place_not_confirmed_in_time_lapses(env: AppEnv) -> None:
    open_counter(env)
    place = join(env).json()
    env.clock.advance(place["expires_at"] - env.clock() - 1)
    assert env.http.get(f"/api/v1/places/{place['token']}").json()["state"] == "waiting"
    env.clock.advance(2)
    assert env.http.get(f"/api/v1/places/{place['token']}").json()["state"] == "lapsed"
    refused = env.http.post(f"/api/v1/places/{place['token']}/confirm", headers=env.kiosk)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "place_lapsed"
    kinds = [
        r[0] for r in env.ctx.db.read().execute("SELECT kind FROM events WHERE kind LIKE 'place%'")
    ]
    assert kinds == ["place_joined", "place_lapsed"]
    again = join(env)  # one per number per service per day, whatever became of the first
    assert again.json()["error"]["code"] == "place_limit_reached"


def test_one_place_per_phone_per_service_per_day(env: AppEnv) -> None:
    open_counter(env)
    assert join(env).status_code == 201
    same = join(env, phone="٠٣-١٢٣٤٥٦")  # the same number in Arabic-Indic digits
    assert same.status_code == 409 and same.json()["error"]["code"] == "place_limit_reached"
    assert same.json()["error"]["message"]["ar"] and same.json()["error"]["message"]["en"]
    assert join(env, phone=OTHER).status_code == 201
    assert join(env, service="trade-licence").status_code == 201  # another service of c8
    env.clock.advance(86_400)  # the next day, the same number may join again
    open_counter(env)
    assert join(env).status_code == 201


def test_the_number_is_kept_out_of_every_event(env: AppEnv) -> None:
    open_counter(env)
    place = join(env).json()
    env.http.post(f"/api/v1/places/{place['token']}/confirm", headers=env.kiosk)
    rows = env.ctx.db.read().execute("SELECT kind, data, public FROM events").fetchall()
    text = json.dumps(rows)
    assert "place_confirmed" in text
    assert "3123456" not in text and "123 456" not in text


def test_refusals_are_bilingual_and_confirming_needs_the_kiosk(env: AppEnv) -> None:
    bad = join(env, phone="12")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "sms_phone_refused"
    closed = join(env)  # no counter serves work permits yet
    assert closed.json()["error"]["code"] == "places_no_counter"
    open_counter(env)
    place = join(env).json()
    anonymous = env.http.post(f"/api/v1/places/{place['token']}/confirm")
    assert anonymous.status_code == 401
    missing = env.http.post("/api/v1/places/nope/confirm", headers=env.kiosk)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "place_not_found"
    extra = env.http.post(
        "/api/v1/places", json={"service": "work-permit", "phone": PHONE, "admin": True}
    )
    assert extra.status_code == 422


def test_a_center_without_places_refuses_them(seeded_db: Path, tmp_path: Path) -> None:  # noqa: F811
    for env in _env(seeded_db, tmp_path, enabled=False):
        answer = join(env)
        assert answer.status_code == 409
        assert answer.json()["error"]["code"] == "places_disabled"


def outbox_rows(env: AppEnv) -> list[tuple]:
    return (
        env.ctx.db.read()
        .execute("SELECT kind, phone, state, not_before, about FROM sms_outbox ORDER BY id")
        .fetchall()
    )


def test_the_turn_near_message_waits_for_the_come_back_time_and_is_withdrawn_on_confirm(
    seeded_db: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    sms = {"mode": "folder", "folder": str(tmp_path / "sms")}
    for env in _env(seeded_db, tmp_path, sms=sms):
        open_counter(env)
        for _ in range(3):
            env.issue("work-permit")
        quiet = join(env, phone=OTHER).json()  # no notify: nothing queued
        place = join(env, notify=True).json()
        rows = outbox_rows(env)
        assert [r[0] for r in rows] == ["place_near"] and rows[0][1] == "+9613123456"
        assert rows[0][3] == place["come_back_at"] - 600 and rows[0][4] == f"place:{place['id']}"
        assert quiet["id"] != place["id"]
        env.http.post(f"/api/v1/places/{place['token']}/confirm", headers=env.kiosk)
        assert outbox_rows(env)[0][2] == "withdrawn"


def test_without_messages_nothing_is_queued(env: AppEnv) -> None:
    open_counter(env)
    assert join(env, notify=True).status_code == 201
    assert outbox_rows(env) == []


def test_the_audit_replays_a_confirmed_places_ticket(env: AppEnv) -> None:
    """The ticket a place becomes (issued at the join time, in the log as ``ticket_issued`` at
    the confirmation) replays to what the table holds: verify finds no problem."""
    from tests.server.test_audit_replay import problems

    clerk = open_counter(env)
    env.issue("work-permit")
    place = join(env).json()
    env.clock.advance(300)
    env.issue("work-permit")
    env.http.post(f"/api/v1/places/{place['token']}/confirm", headers=env.kiosk)
    for _ in range(3):
        call_next(env, clerk)
    assert problems(env) == []


def test_the_cut_off_refuses_a_place_as_a_ticket_and_a_place_taken_before_keeps_its_turn(
    seeded_db: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Passports: Mon-Fri 08:00-13:00, the last ticket at 12:50 with nobody waiting."""
    config = load_center_config(DEFAULT_CENTER)
    places = config.center.places.model_copy(update={"enabled": True, "lapse_min": 20})
    center = config.model_copy(
        update={"center": config.center.model_copy(update={"places": places})}
    )
    for env in make_env(seeded_db, tmp_path, center=center):  # opening hours kept
        env.login("clerk4", counter="c4")
        env.clock.set_local("2026-11-23 12:45")
        early = join(env, service="passport-new")
        assert early.status_code == 201, early.text
        env.clock.set_local("2026-11-23 12:51")
        late = join(env, phone=OTHER, service="passport-new")
        assert late.status_code == 409 and late.json()["error"]["code"] == "past_cutoff"
        token = early.json()["token"]
        confirmed = env.http.post(f"/api/v1/places/{token}/confirm", headers=env.kiosk)
        assert confirmed.status_code == 200, confirmed.text
