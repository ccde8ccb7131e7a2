"""Sign-in under attack, against a real server: guessers slowed by address, the owner let in.

Clients bind their sockets to different loopback addresses (tests/support/loopback.py), so the
server sees a guesser and the real owner as two machines of the hall.
"""

from __future__ import annotations

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from tests.support.loopback import login, request
from tests.support.server import RunningServer


def test_thirty_guesses_at_once_check_no_more_than_the_allowed_five(
    demo_server: RunningServer,
) -> None:
    start = threading.Barrier(30)

    def guess(_: int) -> int:
        start.wait()
        return login(demo_server.url, "admin", "wrong-guess", source="127.0.0.2").status

    with ThreadPoolExecutor(30) as pool:
        statuses = list(pool.map(guess, range(30)))
    assert statuses.count(401) == 5, statuses
    assert statuses.count(429) == 25, statuses


def test_the_owner_signs_in_from_their_desk_while_a_guesser_is_held(
    demo_server: RunningServer,
) -> None:
    for _ in range(5):
        assert login(demo_server.url, "manager", "nope", source="127.0.0.3").status == 401
    held = login(demo_server.url, "manager", demo_server.password, source="127.0.0.3")
    assert held.status == 429 and held.code == "too_many_attempts"
    assert int(held.headers["retry-after"]) >= 1
    owner = login(demo_server.url, "manager", demo_server.password, source="127.0.0.1")
    assert owner.status == 200 and owner.body["role"] == "manager"


def test_guessing_names_that_do_not_exist_is_throttled_by_address(
    demo_server: RunningServer,
) -> None:
    statuses = [
        login(demo_server.url, f"nobody-{i}", "guess", source="127.0.0.4").status for i in range(25)
    ]
    assert statuses[:20] == [401] * 20
    # refused from the 21st on (one attempt refills every 15 s: a slow machine may let one by)
    assert statuses[20:].count(429) >= 4, statuses
    # another machine is not held up by it
    assert login(demo_server.url, "nobody-x", "guess", source="127.0.0.5").status == 401


def test_a_flood_of_sign_ins_leaves_every_other_request_fast(
    demo_server: RunningServer,
) -> None:
    """Each sign-in from its own address (no throttle helps): the bounded pool must."""
    stop = threading.Event()
    outcomes: list[int] = []

    def flood(i: int) -> None:
        while not stop.is_set():
            source = f"127.0.{1 + i // 200}.{10 + i % 200}"
            outcomes.append(login(demo_server.url, f"ghost-{i}", "guess", source=source).status)
            i += 60

    with ThreadPoolExecutor(60) as pool:
        for i in range(60):
            pool.submit(flood, i)
        time.sleep(1.0)  # let the flood fill every queue before measuring
        latencies = []
        try:
            for _ in range(20):
                began = time.monotonic()
                answer = request(demo_server.url, "GET", "/api/v1/counters")
                latencies.append(time.monotonic() - began)
                assert answer.status == 200
        finally:
            stop.set()
    # before the bounded pool: ~1.9 s on this machine (the 60 sign-ins held the threadpool's 40
    # threads); now the flood costs only CPU (two hashes at a time, and this test's own threads)
    assert statistics.median(latencies) < 0.5, latencies
    assert 429 in outcomes and 401 in outcomes
