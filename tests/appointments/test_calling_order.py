"""A simulated morning at one counter, through the API on a real SQLite file: appointments booked
ahead, checked in early, on time, late or never; walk-ins and priority walk-ins arriving; the clerk
calling and finishing. Every call is checked against the rule (docs/appointments.md, "The calling
rule") computed from the tickets table, and the people ahead an appointment ticket is told match
the order."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from server.domain.hours import local_day
from tests.server.conftest import AppEnv, local_ts, make_env, seeded_db  # noqa: F401 - a fixture

SERVICES = ["passport-new", "passport-renewal", "id-card"]  # counter c4 serves all three
BOOKABLE = ["passport-renewal", "id-card"]
DAY = "2026-11-23"  # a Monday: the demo's hours apply (08:00-13:00 for passports)


@pytest.fixture
def env(seeded_db: Path, tmp_path: Path) -> Iterator[AppEnv]:  # noqa: F811
    yield from make_env(seeded_db, tmp_path)


def waiting_rows(env: AppEnv) -> list[dict[str, Any]]:
    db = env.ctx.db.read()
    cursor = db.execute(
        "SELECT id, service, priority, issued_at, appointment_at, appointment_code FROM tickets"
        " WHERE state = 'waiting' AND day = ? AND target_counter IS NULL",
        [local_day(env.clock(), "Asia/Beirut")],
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    return [r for r in rows if r["service"] in SERVICES]  # a passport's later steps go elsewhere


def expected_next(rows: list[dict[str, Any]], now: float) -> dict[str, Any] | None:
    """The rule, stated independently: not before the slot; priority first; then the call time
    (slot for an appointment ticket, issue time otherwise), then the id."""
    ready = [r for r in rows if r["appointment_at"] is None or r["appointment_at"] <= now]
    if not ready:
        return None
    return min(
        ready,
        key=lambda r: (-r["priority"], r["appointment_at"] or r["issued_at"], r["id"]),
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_simulated_morning_calls_in_the_rules_order(env: AppEnv, seed: int) -> None:
    rng = random.Random(seed)
    env.clock.set_local(f"{DAY} 07:30")
    bookings: list[tuple[str, float]] = []  # (code, slot time)
    for service in BOOKABLE:
        listed = env.http.get(
            "/api/v1/appointments/slots", params={"service": service, "from": DAY, "days": 1}
        ).json()["days"][0]["slots"]
        for slot in listed:
            for _ in range(slot["free"]):
                if rng.random() < 0.5:
                    body = {"service": service, "day": DAY, "start": slot["start"], "lang": "ar"}
                    answer = env.http.post("/api/v1/appointments", json=body, headers=env.kiosk)
                    assert answer.status_code == 201, answer.text
                    bookings.append((answer.json()["code"], slot["at"]))
    assert len(bookings) >= 6
    # each citizen with a booking comes early, on time, late beyond the grace, or never
    arrivals: list[tuple[float, str, Any]] = []
    for code, at in bookings:
        kind = rng.choices(["early", "on_time", "late", "never"], [3, 4, 2, 1])[0]
        offset = {"early": -rng.randint(5, 55), "on_time": rng.randint(0, 15)}.get(
            kind, rng.randint(16, 40)
        )
        if kind != "never":
            arrivals.append((at + offset * 60, "check_in", code))
    start, end = local_ts(f"{DAY} 08:00"), local_ts(f"{DAY} 12:30")
    for _ in range(30):
        when = rng.uniform(start, end)
        arrivals.append((when, "walk_in", (rng.choice(SERVICES), rng.random() < 0.15)))
    calls = [(t, "call", None) for t in range(int(start) + 60, int(end) + 3600, 240)]
    clerk = env.login("clerk4", counter="c4")
    checked: list[str] = []
    late: list[str] = []
    compared = 0
    for when, what, detail in sorted(arrivals + calls, key=lambda e: e[0]):
        env.clock.t = max(env.clock.t, when)
        if what == "check_in":
            answer = env.http.post(f"/api/v1/appointments/{detail}/check-in", headers=env.kiosk)
            assert answer.status_code == 200, answer.text
            (late if answer.json()["late"] else checked).append(answer.json()["ticket"]["number"])
        elif what == "walk_in":
            service, priority = detail
            env.issue(service, priority=priority)
        else:
            rows = waiting_rows(env)
            expected = expected_next(rows, env.clock())
            called = env.http.post("/api/v1/counters/c4/next", headers=clerk)
            if expected is None:
                assert called.status_code == 204, called.text  # nobody may be called yet
                continue
            assert called.status_code == 200, called.text
            ticket = called.json()
            assert ticket["id"] == expected["id"], (ticket["number"], expected)
            if expected["appointment_at"] is not None:
                assert env.clock() >= expected["appointment_at"]
            compared += 1
            finish = env.http.post(f"/api/v1/tickets/{ticket['id']}/finish", headers=clerk)
            assert finish.status_code == 200, finish.text
    assert compared >= 20 and checked and late


def test_people_ahead_of_an_appointment_ticket_follow_its_slot(env: AppEnv) -> None:
    """Walk-ins who came before the slot are ahead of it; those who came after are not."""
    env.login("clerk4", counter="c4")
    env.clock.set_local(f"{DAY} 10:00")
    body = {"service": "passport-renewal", "day": DAY, "start": "10:30", "lang": "en"}
    code = env.http.post("/api/v1/appointments", json=body).json()["code"]
    before = [env.issue("id-card") for _ in range(2)]  # 10:00: before the slot
    checked = env.http.post(f"/api/v1/appointments/{code}/check-in", headers=env.kiosk).json()
    token = checked["ticket"]["token"]
    env.clock.set_local(f"{DAY} 10:40")
    after = [env.issue("passport-new") for _ in range(3)]  # 10:40: after the slot
    mine = env.http.get(f"/api/v1/tickets/public/{token}").json()
    assert mine["people_ahead"] == len(before)
    later = env.http.get(f"/api/v1/tickets/public/{after[0]['token']}").json()
    assert later["people_ahead"] == len(before) + 1  # the appointment ticket is ahead of it


def test_a_walk_in_is_not_told_an_early_appointment_is_ahead(env: AppEnv) -> None:
    """Checked in an hour early, an appointment ticket waits for its slot: a walk-in coming now
    is called first, and the kiosk's figures say so (the services list and the issue answer)."""
    env.login("clerk4", counter="c4")
    env.clock.set_local(f"{DAY} 10:00")
    body = {"service": "id-card", "day": DAY, "start": "11:00", "lang": "en"}
    code = env.http.post("/api/v1/appointments", json=body).json()["code"]
    env.http.post(f"/api/v1/appointments/{code}/check-in", headers=env.kiosk)
    services = env.http.get("/api/v1/services").json()["services"]
    queue = next(s["queue"] for s in services if s["id"] == "id-card")
    assert queue["waiting"] == 1 and queue["people_ahead"] == 0
    walk_in = env.issue("id-card")
    assert walk_in["people_ahead"] == 0
    env.clock.set_local(f"{DAY} 11:00")  # the slot: now the appointment ticket is ahead
    queue = next(
        s["queue"]
        for s in env.http.get("/api/v1/services").json()["services"]
        if s["id"] == "id-card"
    )
    assert queue["people_ahead"] == 2
