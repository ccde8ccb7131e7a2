"""The call reads only the queue heads (``waiting.queue_heads``): with appointment tickets (a head
per service and kind for walk-ins by issue time, one for appointment tickets by slot time), the
calling profiles choose from the heads exactly what they choose from every waiting ticket, at
every moment of a morning, on a real SQLite file; and the people ahead a waiting ticket is told
(``count_before`` with the slot-time correction) are those the order puts first."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.config import CallProfile
from server.domain.appointment_calling import call_at
from server.domain.call_next import Waiting
from server.domain.calling_profile import Run, choose
from server.store.waiting import WAITING_COLUMNS, count_before, queue_heads
from tests.server.conftest import AppEnv, make_env, seeded_db  # noqa: F401 - a fixture

DAY = "2026-11-23"
MAIN = ["passport-new", "passport-renewal", "id-card"]  # counter c4
PROFILES = [
    CallProfile(),
    CallProfile(policy="target_ratio", priority="ratio", normal_per_priority=2),
    CallProfile(priority="capped", max_priority_run=1),
]
RUNS = [Run(), Run("normal", 2), Run("priority", 1)]


@pytest.fixture
def env(seeded_db: Path, tmp_path: Path) -> Iterator[AppEnv]:  # noqa: F811
    yield from make_env(seeded_db, tmp_path)


def everyone(env: AppEnv) -> list[Waiting]:
    rows = env.ctx.db.read().execute(
        f"SELECT {WAITING_COLUMNS} FROM tickets WHERE state = 'waiting' AND day = ?", [DAY]
    )
    return [Waiting(r[0], r[1], bool(r[2]), r[3], r[4], r[5]) for r in rows]


def test_heads_and_people_ahead_agree_with_the_whole_queue(env: AppEnv) -> None:
    rng = random.Random(5)
    env.clock.set_local(f"{DAY} 08:00")
    codes = []
    for service in ("passport-renewal", "id-card"):
        for start in ("09:00", "09:30", "10:00", "10:30", "11:00"):
            body = {"service": service, "day": DAY, "start": start, "lang": "ar"}
            answer = env.http.post("/api/v1/appointments", json=body, headers=env.kiosk)
            if answer.status_code == 201:
                codes.append(answer.json()["code"])
    env.clock.set_local(f"{DAY} 08:45")
    for _ in range(25):
        if codes and rng.random() < 0.4:
            code = codes.pop(rng.randrange(len(codes)))
            env.http.post(f"/api/v1/appointments/{code}/check-in", headers=env.kiosk)
        else:
            env.issue(rng.choice(MAIN), priority=rng.random() < 0.2)
        env.clock.advance(rng.choice([60, 180, 300]))
    assert any(t.appointment_at is not None for t in everyone(env))
    compared = 0
    targets = {s: 900.0 for s in MAIN}
    for moment in ("09:10", "09:40", "10:05", "10:45", "11:30"):
        env.clock.set_local(f"{DAY} {moment}")
        now = env.clock()
        waiting = everyone(env)
        heads = queue_heads(env.ctx.db.read(), DAY, MAIN, "c4")
        for profile in PROFILES:
            for run in RUNS:
                args = ("c4", frozenset(MAIN), frozenset(), profile, run, now, targets)
                assert choose(heads, *args) == choose(waiting, *args), (moment, profile, run)
                compared += 1
        for ticket in waiting:
            counted = count_before(
                env.ctx.db.read(), DAY, MAIN, ticket.priority, call_at(ticket), ticket.id
            )
            expected: dict[str, int] = {}
            for other in waiting:
                if other.priority == ticket.priority and (call_at(other), other.id) < (
                    call_at(ticket),
                    ticket.id,
                ):
                    expected[other.service] = expected.get(other.service, 0) + 1
            assert counted == expected, (moment, ticket)
    assert compared == 5 * len(PROFILES) * len(RUNS)
