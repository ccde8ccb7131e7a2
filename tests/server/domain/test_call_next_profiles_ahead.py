"""Property tests: "who is ahead" (server/domain/ahead.py) against what a counter with a calling
profile actually does (server/domain/calling_profile.py).

One counter, a queue, no arrivals: the tickets it calls before a ticket T are exactly the people
ahead T is told (its own kind ordered first, the other kind as far as the counter, from its
profile and its run of calls, calls it first), whatever the profile and the run. With several
counters, under ``first``, the other kind is all of it or none, as before profiles.
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
    other_kind_called,
    take,
    with_profiles,
)
from server.domain.call_next import Waiting
from server.domain.call_turns import priority_calls, run_after
from server.domain.calling_profile import Run, choose, is_main, kind_due

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
def test_a_counter_calls_before_a_ticket_exactly_the_people_it_was_told(
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
    told = sum(with_profiles(by_service(found), other, [(profile, run)], ticket.priority).values())
    left = list(waiting)
    before = 0
    while (
        choice := choose(left, COUNTER, main, frozenset(), profile, run, NOW, TARGETS)
    ).ticket != ticket:
        before += 1
        left.remove(choice.ticket)
        run = run.after(choice.ticket.priority)
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
    fresh = Run()
    assert other_kind_called([(first, fresh)], False, 4, 9) == 9  # every priority ticket first
    assert other_kind_called([(first, fresh)], True, 4, 9) == 0
    # ratio 2, no call yet: N N P N N P N: the 5th normal comes after 2 priority calls
    assert other_kind_called([(ratio, fresh)], False, 4, 9) == 2
    assert other_kind_called([(ratio, Run("normal", 2))], False, 4, 9) == 3
    assert other_kind_called([(ratio, fresh)], True, 1, 9) == 4  # N N P N N P
    assert other_kind_called([(capped, Run("priority", 3))], False, 0, 9) == 0
    assert other_kind_called([(capped, fresh)], False, 1, 9) == 6  # P P P N P P P N
    assert other_kind_called([(capped, fresh)], False, 1, 2) == 2  # only two wait
    # two counters in turn, ratio 2 and first: N P N P P P N P N (the 4th normal after 5)
    assert other_kind_called([(ratio, fresh), (first, fresh)], False, 3, 9) == 5
    assert other_kind_called([], False, 3, 7) == 7
    assert help_capacity(["h1", "h2"], ["h2"]) == 1.0 + HELP_SHARE


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(profiles, runs), min_size=1, max_size=4),
    st.booleans(),
    st.integers(0, 30),
    st.integers(0, 30),
)
def test_under_first_everywhere_the_other_kind_is_all_or_none(
    counters, priority, same, other
) -> None:
    firsts = [(profile.model_copy(update={"priority": "first"}), run) for profile, run in counters]
    assert other_kind_called(firsts, priority, same, other) == (0 if priority else other)
    assert 0 <= other_kind_called(counters, priority, same, other) <= other


def played_out(counters, priority: bool, same: int, other: int) -> int:
    """The oracle: the counters call in turn, one call at a time, until the ticket's turn."""
    if not counters:
        return other
    runs = [run for _, run in counters]
    mine, theirs, taken, turn = same + 1, other, 0, 0
    while True:
        index = turn % len(counters)
        waits = {priority: mine > 0, not priority: theirs > 0}
        called = kind_due(counters[index][0], runs[index], waits[True], waits[False]) == "priority"
        if called == priority:
            mine -= 1
            if mine == 0:
                return taken
        else:
            theirs -= 1
            taken += 1
        runs[index] = runs[index].after(called)
        turn += 1


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.tuples(profiles, runs), max_size=5),
    st.booleans(),
    st.integers(0, 60),
    st.integers(0, 60),
)
def test_the_closed_form_counts_what_playing_every_call_counts(
    counters, priority, same, other
) -> None:
    assert other_kind_called(counters, priority, same, other) == played_out(
        counters, priority, same, other
    )


@settings(max_examples=300, deadline=None)
@given(profiles, runs, st.integers(0, 40))
def test_a_counter_s_next_calls_in_closed_form(profile, run, turns) -> None:
    calls = []
    now = run
    for _ in range(turns):
        called = kind_due(profile, now, True, True) == "priority"
        calls.append(called)
        now = now.after(called)
    assert priority_calls(profile, run, turns) == sum(calls)
    assert run_after(profile, run, turns) == now
