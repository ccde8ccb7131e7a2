"""Property tests: "who is ahead" (server/domain/ahead.py) against what a counter with a calling
profile actually does (server/domain/calling_profile.py).

One counter, a queue, no arrivals: the tickets it calls before a ticket T are never more than the
people ahead T is told (its own kind ordered first, the other kind as far as the profile calls it
first), and exactly as many under ``first``, the rule before profiles.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from server.config import CallProfile
from server.domain.ahead import (
    HELP_SHARE,
    ahead_of,
    by_service,
    help_capacity,
    other_kind_allowed,
    take,
    with_profiles,
)
from server.domain.call_next import Waiting
from server.domain.calling_profile import Run, choose, is_main

SERVICES = ["a", "b", "c"]
COUNTER = "c1"
TARGETS = {"a": 300.0, "b": 600.0, "c": 900.0}
NOW = 50_000.0

profiles = st.builds(
    CallProfile,
    policy=st.sampled_from(["longest_wait", "target_ratio"]),
    priority=st.sampled_from(["first", "ratio", "capped"]),
    normal_per_priority=st.integers(1, 4),
    max_priority_run=st.integers(1, 4),
)
queues = st.lists(
    st.tuples(st.sampled_from(SERVICES), st.booleans(), st.integers(0, 3000)),
    min_size=1,
    max_size=20,
)
runs = st.builds(Run, st.sampled_from([None, "normal", "priority"]), st.integers(0, 5))


@settings(max_examples=300, deadline=None)
@given(profiles, queues, st.frozensets(st.sampled_from(SERVICES), min_size=1), runs, st.data())
def test_a_counter_never_calls_more_before_a_ticket_than_it_was_told(
    profile, queue, main, run, data
) -> None:
    waiting = [Waiting(i + 1, s, p, NOW - age) for i, (s, p, age) in enumerate(queue)]
    mine = [t for t in waiting if is_main(t, COUNTER, main)]
    if not mine:
        return
    ticket = data.draw(st.sampled_from(mine))
    serves = {COUNTER: main}
    counters = frozenset({COUNTER})
    same_kind = [t for t in waiting if t.priority == ticket.priority]
    found = ahead_of(ticket, same_kind, counters, serves, profile.policy, NOW, TARGETS)
    other = by_service(t for t in mine if t.priority != ticket.priority)
    told = sum(with_profiles(by_service(found), other, [profile], ticket.priority).values())
    left = list(waiting)
    before = 0
    while (
        choice := choose(left, COUNTER, main, frozenset(), profile, run, NOW, TARGETS)
    ).ticket != ticket:
        before += 1
        left.remove(choice.ticket)
        run = run.after(choice.ticket.priority)
    assert before <= told
    if profile.priority == "first":
        assert before == told


@given(st.dictionaries(st.sampled_from(SERVICES), st.integers(0, 20)), st.integers(0, 60))
def test_take_takes_as_many_as_allowed_never_more_than_each_service_has(counts, allowed) -> None:
    taken = take(counts, allowed)
    assert sum(taken.values()) == min(allowed, sum(counts.values()))
    assert all(0 < n <= counts[s] for s, n in taken.items())
    assert take(counts, None) == {s: n for s, n in counts.items() if n > 0}


def test_the_other_kind_under_each_profile_by_example() -> None:
    first = CallProfile()
    ratio = CallProfile(priority="ratio", normal_per_priority=2)
    capped = CallProfile(priority="capped", max_priority_run=3)
    assert other_kind_allowed([first], False, 4) is None  # every priority ticket first
    assert other_kind_allowed([first], True, 4) == 0
    assert other_kind_allowed([ratio], False, 4) == 3  # ceil(5 / 2)
    assert other_kind_allowed([ratio], True, 1) == 4  # 2 normal before each of 2 priority
    assert other_kind_allowed([capped], False, 1) == 6
    assert other_kind_allowed([capped, ratio], True, 0) == 2  # the most any counter calls
    assert other_kind_allowed([], False, 3) is None
    assert help_capacity(["h1", "h2"], ["h2"]) == 1.0 + HELP_SHARE
