"""The call reads only the queue heads (server/store/waiting.py ``queue_heads``: per service and
kind, and those sent to the counter); on a real SQLite file, with tickets issued, transferred to
counters and called through the API, the profile chooses from the heads exactly what it chooses
from every waiting ticket, for every counter, profile and run."""

from __future__ import annotations

import random

from server.config import CallProfile
from server.domain.call_next import Waiting
from server.domain.calling_profile import Run, choose
from server.domain.hours import local_day
from server.store.waiting import WAITING_COLUMNS, queue_heads
from tests.server.conftest import AppEnv

SERVICES = ["civil-extract", "family-extract", "criminal-record", "consumer-complaint"]
# (main services, helping services) per counter of the demo catalog, helps added here
COUNTERS = {
    "c1": (["civil-extract", "family-extract", "criminal-record"], ["consumer-complaint"]),
    "c9": (
        ["consumer-complaint", "criminal-record", "document-legalization"],
        ["civil-extract", "family-extract"],
    ),
    "c2": (["civil-extract", "family-extract", "document-legalization"], []),
}
PROFILES = [
    CallProfile(),
    CallProfile(policy="target_ratio", priority="ratio", normal_per_priority=2),
    CallProfile(priority="capped", max_priority_run=1, help_after_target=False),
]
RUNS = [Run(), Run("normal", 1), Run("normal", 3), Run("priority", 1), Run("priority", 2)]


def everyone(env: AppEnv, day: str) -> list[Waiting]:
    rows = env.ctx.db.read().execute(
        f"SELECT {WAITING_COLUMNS} FROM tickets WHERE state = 'waiting' AND day = ?", [day]
    )
    return [Waiting(r[0], r[1], bool(r[2]), r[3], r[4]) for r in rows]


def test_the_heads_give_the_same_choice_as_the_whole_queue(app_env: AppEnv) -> None:
    rng = random.Random(17)
    manager = app_env.login("manager")
    for counter, (_, helps) in COUNTERS.items():
        answer = app_env.http.put(
            f"/api/v1/admin/counters/{counter}/profile", json={"helps": helps}, headers=manager
        )
        assert answer.status_code == 200, answer.text
    issued = []
    for _ in range(40):
        ticket = app_env.issue(rng.choice(SERVICES), priority=rng.random() < 0.35)
        issued.append(ticket)
        app_env.clock.advance(rng.choice([5, 30, 120, 400]))
    for ticket in rng.sample(issued, 8):  # some sent to one counter, some to a service
        body = {"counter": rng.choice(list(COUNTERS))}
        answer = app_env.http.post(
            f"/api/v1/tickets/{ticket['id']}/transfer", json=body, headers=manager
        )
        assert answer.status_code == 200, answer.text
    day = local_day(app_env.clock(), "Asia/Beirut")
    targets = {s: 900.0 for s in SERVICES} | {"civil-extract": 300.0, "consumer-complaint": 600.0}
    compared = 0
    for _ in range(12):
        waiting = everyone(app_env, day)
        now = app_env.clock()
        for counter, (main, helps) in COUNTERS.items():
            heads = queue_heads(app_env.ctx.db.read(), day, sorted(set(main) | set(helps)), counter)
            for profile in PROFILES:
                for run in RUNS:
                    args = (counter, frozenset(main), frozenset(helps), profile, run, now, targets)
                    assert choose(heads, *args) == choose(waiting, *args), (counter, profile, run)
                    compared += 1
        # one counter calls, to move the queue on
        counter = rng.choice(list(COUNTERS))
        clerk = app_env.login(f"clerk{counter[1:]}", counter=counter)
        called = app_env.http.post(f"/api/v1/counters/{counter}/next", headers=clerk)
        if called.status_code == 200:
            done = f"/api/v1/tickets/{called.json()['id']}/finish"
            assert app_env.http.post(done, headers=clerk).status_code == 200
        app_env.clock.advance(200)
    assert compared == 12 * len(COUNTERS) * len(PROFILES) * len(RUNS)
