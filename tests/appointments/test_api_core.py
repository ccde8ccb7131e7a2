"""Appointments through the API on a real SQLite file, with a moved clock: booking, slots,
refusals, cancel and move, check-in to a ticket, no-shows, closures, figures, messages, and
that events carry no personal data. The demo center: passport renewal is bookable (Mon-Fri
08:00-13:00, half-hour slots, 30 % kept for walk-ins); 2026-11-23 is a Monday."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from server.config import DEFAULT_CENTER, load_center_config
from tests.server.conftest import AppEnv, make_env, seeded_db  # noqa: F401 - a fixture

SERVICE = "passport-renewal"
MONDAY = "2026-11-23"
PHONE = "+96170123456"


@pytest.fixture
def env(seeded_db: Path, tmp_path: Path) -> Iterator[AppEnv]:  # noqa: F811
    yield from make_env(seeded_db, tmp_path)


@pytest.fixture
def sms_env(seeded_db: Path, tmp_path: Path) -> Iterator[AppEnv]:  # noqa: F811
    yield from make_env(seeded_db, tmp_path, sms={"mode": "folder", "folder": str(tmp_path / "s")})


def book(env: AppEnv, start: str = "11:00", day: str = MONDAY, **extra: Any) -> Any:
    body = {"service": SERVICE, "day": day, "start": start, "lang": "en", **extra}
    return env.http.post("/api/v1/appointments", json=body, headers=env.kiosk)


def slot(env: AppEnv, start: str, day: str = MONDAY) -> dict[str, Any]:
    answer = env.http.get(
        "/api/v1/appointments/slots", params={"service": SERVICE, "from": day, "days": 1}
    )
    assert answer.status_code == 200, answer.text
    return next(s for s in answer.json()["days"][0]["slots"] if s["start"] == start)


def code_of(answer: Any) -> str:
    assert answer.status_code == 201, answer.text
    return answer.json()["code"]


def events(env: AppEnv, kind: str) -> list[dict[str, Any]]:
    with sqlite3.connect(env.db_path) as db:
        rows = db.execute("SELECT data, public FROM events WHERE kind = ?", [kind]).fetchall()
    return [{"data": json.loads(d), "public": json.loads(p) if p else None} for d, p in rows]


def test_services_and_slots_show_capacity_and_a_booking_takes_a_place(env: AppEnv) -> None:
    services = env.http.get("/api/v1/appointments/services").json()
    ids = [s["id"] for s in services["services"]]
    assert SERVICE in ids and "civil-extract" not in ids
    assert all(s["documents"] for s in services["services"])
    before = slot(env, "11:00")
    assert before["capacity"] >= 1 and before["free"] == before["capacity"]
    assert before["end"] == "11:30"
    answer = book(env, phone=PHONE)
    view = answer.json()
    assert view["status"] == "booked" and view["day"] == MONDAY and view["start"] == "11:00"
    assert view["service_name"]["en"] == "Passport renewal" and view["documents"]
    assert view["url"].endswith(f"/a/{view['code']}") and len(view["code"]) == 11
    assert view["phone_masked"].startswith("+961") and PHONE not in json.dumps(view)
    after = slot(env, "11:00")
    assert after["booked"] == 1 and after["free"] == before["free"] - 1
    # the code is read back as typed: lower case, no dashes
    again = env.http.get(f"/api/v1/appointments/{view['code'].replace('-', '').lower()}")
    assert again.status_code == 200 and again.json()["code"] == view["code"]


def test_a_full_slot_is_refused_and_a_cancel_frees_its_place(env: AppEnv) -> None:
    capacity = slot(env, "11:30")["capacity"]
    codes = [code_of(book(env, "11:30")) for _ in range(capacity)]
    full = book(env, "11:30")
    assert full.status_code == 409 and full.json()["error"]["code"] == "slot_full"
    assert slot(env, "11:30")["free"] == 0
    cancelled = env.http.post(f"/api/v1/appointments/{codes[0]}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert slot(env, "11:30")["free"] == 1
    twice = env.http.post(f"/api/v1/appointments/{codes[0]}/cancel")
    assert twice.json()["error"]["code"] == "booking_cancelled"
    code_of(book(env, "11:30"))


def test_the_refusals_name_the_broken_rule(env: AppEnv) -> None:
    def refused(answer: Any) -> str:
        assert answer.status_code >= 400, answer.text
        message = answer.json()["error"]["message"]
        assert message["ar"] and message["en"]
        return answer.json()["error"]["code"]

    other = {"service": "civil-extract", "day": MONDAY, "start": "11:00", "lang": "ar"}
    assert refused(env.http.post("/api/v1/appointments", json=other)) == "not_bookable"
    assert refused(book(env, day="2026-12-25")) == "outside_horizon"
    assert refused(book(env, day="2026-11-22")) == "outside_horizon"  # yesterday
    assert refused(book(env, day="2026-11-29")) == "day_closed"  # a Sunday: no hours
    assert refused(book(env, start="09:00")) == "slot_past"  # the clock says 10:00
    assert refused(book(env, start="11:10")) == "slot_closed"  # not a slot's start
    assert refused(book(env, start="13:00")) == "slot_closed"  # past closing
    code_of(book(env, "12:00", phone=PHONE))
    assert refused(book(env, "12:30", phone="70 123 456")) == "booking_limit_reached"
    assert refused(book(env, phone="123")) == "sms_phone_refused"
    assert refused(env.http.get("/api/v1/appointments/ABCD-EFGH-J")) in (
        "reference_mistyped",
        "booking_not_found",
    )
    assert refused(env.http.get("/api/v1/appointments/not-a-code!")) == "reference_malformed"
    extra = env.http.post(
        "/api/v1/appointments",
        json={"service": SERVICE, "day": MONDAY, "start": "11:00", "lang": "en", "x": 1},
    )
    assert extra.status_code == 422
    far = {"service": SERVICE, "from": "9999-12-31", "days": 31}
    assert refused(env.http.get("/api/v1/appointments/slots", params=far)) == "invalid_input"
    assert refused(book(env, day="2026-02-30")) == "invalid_input"


def test_a_booking_moves_to_a_free_slot_and_not_to_a_full_one(env: AppEnv) -> None:
    code = code_of(book(env, "11:00"))
    moved = env.http.post(
        f"/api/v1/appointments/{code}/move", json={"day": "2026-11-24", "start": "08:30"}
    )
    assert moved.status_code == 200, moved.text
    assert (moved.json()["day"], moved.json()["start"]) == ("2026-11-24", "08:30")
    assert slot(env, "11:00")["booked"] == 0
    assert slot(env, "08:30", "2026-11-24")["booked"] == 1
    for _ in range(slot(env, "09:00", "2026-11-24")["free"]):
        code_of(book(env, "09:00", day="2026-11-24"))
    full = env.http.post(
        f"/api/v1/appointments/{code}/move", json={"day": "2026-11-24", "start": "09:00"}
    )
    assert full.json()["error"]["code"] == "slot_full"
    assert env.http.get(f"/api/v1/appointments/{code}").json()["start"] == "08:30"
    assert [e["data"]["to"] for e in events(env, "appointment_moved")] == [
        {"day": "2026-11-24", "start": "08:30"}
    ]


def test_check_in_on_time_gives_an_appointment_ticket_shaped_as_any_ticket(env: AppEnv) -> None:
    env.login("clerk4", counter="c4")  # a counter serving it is open: a wait is quoted
    code = code_of(book(env, "11:00"))
    early = env.http.post(f"/api/v1/appointments/{code}/check-in", headers=env.kiosk)
    assert early.status_code == 200, early.text  # 10:00: within the hour before
    walk_in = env.issue(SERVICE)
    answer = early.json()
    assert answer["late"] is False and answer["appointment"]["status"] == "checked_in"
    ticket = answer["ticket"]
    assert set(walk_in) <= set(ticket)  # the kiosk prints it as any ticket
    assert ticket["appointment_code"] == code and ticket["appointment_at"].endswith(
        "11:00:00+02:00"
    )
    assert ticket["estimated_wait_s"] >= 3600 - 5  # not called before 11:00
    assert answer["appointment"]["ticket_number"] == ticket["number"]
    public = env.http.get(f"/api/v1/tickets/public/{ticket['token']}").json()
    assert public["appointment_at"] == ticket["appointment_at"]  # the phone page shows the slot
    again = env.http.post(f"/api/v1/appointments/{code}/check-in", headers=env.kiosk)
    assert again.json()["error"]["code"] == "already_checked_in"
    anonymous = env.http.post(f"/api/v1/appointments/{code}/check-in")
    assert anonymous.status_code == 401


def test_a_retried_booking_answers_the_same_booking_and_never_books_twice(env: AppEnv) -> None:
    """A kiosk's booking whose answer was lost, asked again under the same Idempotency-Key: the
    same code, one event, one place taken; the same key for another time is refused."""
    body = {"service": SERVICE, "day": MONDAY, "start": "11:00", "lang": "en"}
    keyed = {**env.kiosk, "Idempotency-Key": "b-1"}
    taken_before = slot(env, "11:00")["booked"]
    first = env.http.post("/api/v1/appointments", json=body, headers=keyed)
    assert first.status_code == 201, first.text
    again = env.http.post("/api/v1/appointments", json=body, headers=keyed)
    assert again.status_code == 201 and again.json()["code"] == first.json()["code"]
    assert slot(env, "11:00")["booked"] == taken_before + 1
    assert len(events(env, "appointment_booked")) == 1
    other_time = env.http.post(
        "/api/v1/appointments", json={**body, "start": "11:30"}, headers=keyed
    )
    assert other_time.json()["error"]["code"] == "idempotency_conflict"
    fresh = env.http.post(
        "/api/v1/appointments", json=body, headers={**env.kiosk, "Idempotency-Key": "b-2"}
    )
    assert fresh.status_code == 201 and fresh.json()["code"] != first.json()["code"]


def test_a_retried_check_in_answers_the_same_ticket_and_never_makes_a_second(
    env: AppEnv,
) -> None:
    """The kiosk's answer lost on the way: the retry under the same Idempotency-Key gets the
    same ticket to print; another key is refused as already checked in."""
    code = code_of(book(env, "11:00"))
    keyed = {**env.kiosk, "Idempotency-Key": "k-1"}
    first = env.http.post(f"/api/v1/appointments/{code}/check-in", headers=keyed)
    assert first.status_code == 200, first.text
    retry = env.http.post(f"/api/v1/appointments/{code}/check-in", headers=keyed)
    assert retry.status_code == 200, retry.text
    assert retry.json()["ticket"]["token"] == first.json()["ticket"]["token"]
    assert retry.json()["ticket"]["number"] == first.json()["ticket"]["number"]
    other = {**env.kiosk, "Idempotency-Key": "k-2"}
    refused = env.http.post(f"/api/v1/appointments/{code}/check-in", headers=other)
    assert refused.json()["error"]["code"] == "already_checked_in"
    assert len(events(env, "appointment_checked_in")) == 1
    assert len([e for e in events(env, "ticket_issued") if e["data"].get("appointment_code")]) == 1


def test_check_in_too_early_on_the_wrong_day_or_late(env: AppEnv) -> None:
    later = code_of(book(env, "12:30"))
    tomorrow = code_of(book(env, "08:00", day="2026-11-24"))
    too_early = env.http.post(f"/api/v1/appointments/{later}/check-in", headers=env.kiosk)
    assert too_early.json()["error"]["code"] == "checkin_too_early"
    wrong_day = env.http.post(f"/api/v1/appointments/{tomorrow}/check-in", headers=env.kiosk)
    assert wrong_day.json()["error"]["code"] == "checkin_wrong_day"
    env.clock.set_local(f"{MONDAY} 12:46")  # 16 minutes late: beyond the 15 of grace
    late = env.http.post(f"/api/v1/appointments/{later}/check-in", headers=env.kiosk)
    assert late.status_code == 200, late.text
    assert late.json()["late"] is True and late.json()["ticket"]["late"] is True
    assert late.json()["ticket"]["appointment_at"] is None  # a walk-in from now
    assert events(env, "appointment_checked_in")[-1]["data"]["late"] is True


def test_a_booking_not_checked_in_by_the_grace_is_a_no_show(env: AppEnv) -> None:
    code = code_of(book(env, "11:00"))
    env.clock.set_local(f"{MONDAY} 11:15")
    assert env.http.get(f"/api/v1/appointments/{code}").json()["status"] == "booked"
    env.clock.set_local(f"{MONDAY} 11:16")
    assert env.http.get(f"/api/v1/appointments/{code}").json()["status"] == "no_show"
    assert [e["data"]["code"] for e in events(env, "appointment_no_show")] == [
        code.replace("-", "")
    ]
    cancel = env.http.post(f"/api/v1/appointments/{code}/cancel")
    assert cancel.json()["error"]["code"] == "booking_no_show"


def test_a_call_marks_the_no_shows_without_any_read(env: AppEnv) -> None:
    code = code_of(book(env, "10:30"))
    clerk = env.login("clerk4", counter="c4")
    env.clock.set_local(f"{MONDAY} 10:46")
    assert env.http.post("/api/v1/counters/c4/next", headers=clerk).status_code == 204
    assert [e["data"]["code"] for e in events(env, "appointment_no_show")] == [
        code.replace("-", "")
    ]


def test_the_manager_closes_days_and_slots(env: AppEnv) -> None:
    manager = env.login("manager")
    clerk = env.login("clerk1")
    day = "2026-11-24"
    body = {"closed": True, "reason": "Public holiday"}
    assert env.http.put(f"/api/v1/admin/appointments/days/{day}", json=body).status_code == 401
    put = env.http.put
    assert (
        put(f"/api/v1/admin/appointments/days/{day}", json=body, headers=clerk).status_code == 403
    )
    code_of(book(env, "09:00", day=day))  # made before the day closes: it stands
    closed = put(f"/api/v1/admin/appointments/days/{day}", json=body, headers=manager)
    assert closed.json() == {"day": day, "closed": True, "reason": "Public holiday", "bookings": 1}
    seen = env.http.get(f"/api/v1/admin/appointments/days/{day}", headers=manager).json()
    assert seen["closed"] and seen["bookings"] == 1
    listed = env.http.get(
        "/api/v1/appointments/slots", params={"service": SERVICE, "from": day, "days": 2}
    ).json()["days"]
    assert (
        listed[0]["closed"] and listed[0]["reason"] == "Public holiday" and not listed[0]["slots"]
    )
    assert not listed[1]["closed"]
    assert book(env, "09:00", day=day).json()["error"]["code"] == "day_closed"
    closing = {"day": MONDAY, "start": "12:00", "service": SERVICE, "closed": True}
    assert put("/api/v1/admin/appointments/slots", json=closing, headers=manager).is_success
    assert slot(env, "12:00")["closed"] and slot(env, "12:00")["free"] == 0
    assert book(env, "12:00").json()["error"]["code"] == "slot_closed"
    closing["closed"] = False
    assert put("/api/v1/admin/appointments/slots", json=closing, headers=manager).is_success
    code_of(book(env, "12:00"))
    reopened = put(
        f"/api/v1/admin/appointments/days/{day}", json={"closed": False}, headers=manager
    )
    assert reopened.is_success
    code_of(book(env, "09:00", day=day))
    assert [e["public"] for e in events(env, "appointment_day_closed")] == [
        {"day": day, "closed": True},
        {"day": day, "closed": False},
    ]


def test_figures_count_each_state_and_the_waits(env: AppEnv) -> None:
    on_time = code_of(book(env, "10:30"))
    no_show = code_of(book(env, "11:00"))
    cancelled = code_of(book(env, "11:30"))
    env.http.post(f"/api/v1/appointments/{cancelled}/cancel")
    env.clock.set_local(f"{MONDAY} 10:25")
    env.http.post(f"/api/v1/appointments/{on_time}/check-in", headers=env.kiosk)
    env.clock.set_local(f"{MONDAY} 10:30")
    env.clock.advance(30)
    env.issue(SERVICE)  # a walk-in who came after the slot's time
    clerk = env.login("clerk4", counter="c4")
    env.clock.set_local(f"{MONDAY} 10:31")
    called = env.http.post("/api/v1/counters/c4/next", headers=clerk).json()
    assert called["appointment_code"] == on_time  # before the walk-in who came later
    env.http.post(f"/api/v1/tickets/{called['id']}/finish", headers=clerk)
    env.clock.set_local(f"{MONDAY} 10:40")
    env.http.post("/api/v1/counters/c4/next", headers=clerk)
    env.clock.set_local(f"{MONDAY} 11:20")
    manager = env.login("manager")
    answer = env.http.get(
        "/api/v1/appointments/figures", params={"from": MONDAY, "to": MONDAY}, headers=manager
    )
    assert answer.status_code == 200, answer.text
    day = answer.json()["days"][0]
    assert (day["booked"], day["checked_in"], day["no_show"], day["cancelled"]) == (2, 1, 1, 1)
    assert day["called"] == 1 and day["punctual"] == 1
    assert day["appointment_wait_s"]["p50"] == pytest.approx(60)  # 10:30 slot, called 10:31
    assert day["walk_in_wait_s"]["p50"] == pytest.approx(9.5 * 60)  # 10:30:30 to 10:40
    assert env.http.get(f"/api/v1/appointments/{no_show}").json()["status"] == "no_show"
    clerk_asks = env.http.get(
        "/api/v1/appointments/figures", params={"from": MONDAY, "to": MONDAY}, headers=clerk
    )
    assert clerk_asks.status_code == 403


def test_messages_are_queued_with_the_booking_and_withdrawn_on_cancel(sms_env: AppEnv) -> None:
    env = sms_env
    code = code_of(book(env, "08:30", day="2026-11-24", phone="70 123 456", notify=True))
    with sqlite3.connect(env.db_path) as db:
        rows = db.execute(
            "SELECT kind, phone, not_before, about, state FROM sms_outbox ORDER BY id"
        ).fetchall()
    assert [r[0] for r in rows] == ["appointment_booked", "appointment_reminder"]
    assert rows[1][1] == PHONE and rows[1][3] == f"booking:{code.replace('-', '')}"
    from tests.server.conftest import local_ts

    assert rows[1][2] == local_ts("2026-11-24 07:00")
    env.http.post(f"/api/v1/appointments/{code}/cancel")
    with sqlite3.connect(env.db_path) as db:
        state = db.execute(
            "SELECT state FROM sms_outbox WHERE kind = 'appointment_reminder'"
        ).fetchone()[0]
    assert state == "withdrawn"
    quiet = code_of(book(env, "09:00", day="2026-11-24", phone="70 123 457"))  # no notify
    assert quiet
    with sqlite3.connect(env.db_path) as db:
        assert db.execute("SELECT count(*) FROM sms_outbox").fetchone()[0] == 2


def test_events_carry_no_phone_and_no_name(seeded_db: Path, tmp_path: Path) -> None:  # noqa: F811
    config = load_center_config(DEFAULT_CENTER)
    settings = config.center.appointments.model_copy(update={"ask_name": True})
    center = config.model_copy(
        update={"center": config.center.model_copy(update={"appointments": settings})}
    )
    for env in make_env(seeded_db, tmp_path, center=center):
        refused = book(env, "11:00", phone=PHONE)
        assert refused.json()["error"]["code"] == "name_required"
        code = code_of(book(env, "11:00", phone=PHONE, name="Rania Haddad"))
        env.http.post(f"/api/v1/appointments/{code}/move", json={"day": MONDAY, "start": "10:30"})
        env.http.post(f"/api/v1/appointments/{code}/check-in", headers=env.kiosk)
        with sqlite3.connect(env.db_path) as db:
            logged = db.execute(
                "SELECT data || coalesce(public, '') FROM events WHERE kind LIKE 'appointment_%'"
            ).fetchall()
        text = " ".join(r[0] for r in logged)
        assert len(logged) == 3 and "Rania" not in text and "70123456" not in text


def test_public_bookings_are_rate_limited_per_address(env: AppEnv) -> None:
    answers = [
        env.http.post(
            "/api/v1/appointments",
            json={"service": SERVICE, "day": "2026-11-24", "start": "12:00", "lang": "en"},
        )
        for _ in range(8)
    ]
    codes = [a.status_code for a in answers]
    assert 429 in codes and codes.index(429) >= 1
    limited = answers[codes.index(429)]
    assert limited.json()["error"]["code"] == "booking_rate_limited"
    assert int(limited.headers["Retry-After"]) >= 1


def test_the_audit_replays_the_tickets_of_check_ins(env: AppEnv) -> None:
    """A check-in's ticket is in the log (``ticket_issued``) like any ticket: verify finds no
    problem after on-time and late check-ins, a call and a finish."""
    from tests.server.test_audit_replay import problems

    clerk = env.login("clerk4", counter="c4")
    on_time = code_of(book(env, "10:30"))
    late = code_of(book(env, "11:00"))
    env.http.post(f"/api/v1/appointments/{on_time}/check-in", headers=env.kiosk)
    env.clock.set_local(f"{MONDAY} 11:20")
    env.http.post(f"/api/v1/appointments/{late}/check-in", headers=env.kiosk)
    called = env.http.post("/api/v1/counters/c4/next", headers=clerk).json()
    assert called["appointment_code"] == on_time
    env.http.post(f"/api/v1/tickets/{called['id']}/finish", headers=clerk)
    assert problems(env) == []


def test_every_appointment_event_is_a_kind_the_national_hub_takes_in(env: AppEnv) -> None:
    from nafitha.national.wire import KNOWN_KINDS

    manager = env.login("manager")
    kept, dropped, moved, missed = (
        code_of(book(env, t)) for t in ("10:30", "11:00", "11:30", "12:00")
    )
    env.http.post(f"/api/v1/appointments/{dropped}/cancel")
    env.http.post(f"/api/v1/appointments/{moved}/move", json={"day": MONDAY, "start": "12:30"})
    env.http.post(f"/api/v1/appointments/{kept}/check-in", headers=env.kiosk)
    env.http.put(
        "/api/v1/admin/appointments/days/2026-11-25", json={"closed": True}, headers=manager
    )
    slot_body = {"day": MONDAY, "start": "12:30", "closed": True}
    env.http.put("/api/v1/admin/appointments/slots", json=slot_body, headers=manager)
    env.clock.set_local(f"{MONDAY} 12:20")
    assert env.http.get(f"/api/v1/appointments/{missed}").json()["status"] == "no_show"
    with sqlite3.connect(env.db_path) as db:
        kinds = {r[0] for r in db.execute("SELECT DISTINCT kind FROM events")}
    mine = {k for k in kinds if k.startswith("appointment_")}
    assert len(mine) == 7 and kinds <= KNOWN_KINDS
