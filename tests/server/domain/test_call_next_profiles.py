"""Property tests (hypothesis) of the calling profiles (server/domain/calling_profile.py).

Each test drives one counter calling again and again over a random queue, with random arrivals,
and checks a promise of docs/server.md ("Calling profiles"): the bound K, the ratio over any
window, priority against later normal tickets, helping only when allowed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from server.config import CallProfile
from server.domain.call_next import Waiting, choose_next, order_key
from server.domain.calling_profile import (
    Choice,
    Run,
    bound,
    choose,
    is_helped,
    is_main,
    past_target,
)

SERVICES = ["a", "b", "c", "d"]
COUNTER = "c1"
TARGETS = {"a": 300.0, "b": 600.0, "c": 900.0, "d": 1800.0}

profiles = st.builds(
    CallProfile,
    policy=st.sampled_from(["longest_wait", "target_ratio"]),
    priority=st.sampled_from(["first", "ratio", "capped"]),
    normal_per_priority=st.integers(1, 4),
    max_priority_run=st.integers(1, 4),
    help_after_target=st.booleans(),
)
# (service, priority, age in seconds at the start, sent: None, here, or elsewhere)
specs = st.lists(
    st.tuples(
        st.sampled_from(SERVICES),
        st.booleans(),
        st.integers(0, 3600),
        st.sampled_from([None, None, None, COUNTER, "c2"]),
    ),
    min_size=1,
    max_size=25,
)
arrivals = st.lists(
    st.tuples(st.sampled_from(SERVICES), st.booleans(), st.sampled_from([None, None, COUNTER])),
    max_size=25,
)
mains = st.frozensets(st.sampled_from(SERVICES), min_size=1, max_size=2)
helpers = st.frozensets(st.sampled_from(SERVICES), max_size=2)
runs = st.builds(Run, st.sampled_from([None, "normal", "priority"]), st.integers(0, 5))

START = 100_000.0


@dataclass
class Day:
    """One counter's calls over a queue: what waited at each call and what it called."""

    profile: CallProfile
    main: frozenset[str]
    helps: frozenset[str]
    run: Run
    now: float = START
    step_s: float = 0.0
    waiting: list[Waiting] = field(default_factory=list)
    calls: list[tuple[Choice, list[Waiting], Run, float]] = field(default_factory=list)

    def call(self) -> Choice | None:
        before = list(self.waiting)
        choice = choose(
            before, COUNTER, self.main, self.helps, self.profile, self.run, self.now, TARGETS
        )
        if choice is not None:
            self.calls.append((choice, before, self.run, self.now))
            self.waiting.remove(choice.ticket)
            self.run = self.run.after(choice.ticket.priority)
        self.now += self.step_s
        return choice


def make_day(profile, main, helps, run, spec, step_s=0.0) -> Day:
    day = Day(profile, main, helps - main, run, step_s=step_s)
    for i, (service, priority, age, sent) in enumerate(spec):
        day.waiting.append(Waiting(i + 1, service, priority, START - age, sent))
    return day


def arrive(day: Day, arrival: tuple[str, bool, str | None]) -> None:
    service, priority, sent = arrival
    new_id = max([t.id for t in day.waiting] + [c[0].ticket.id for c in day.calls] + [0]) + 1
    day.waiting.append(Waiting(new_id, service, priority, day.now, sent))


def pool_of(day: Day, waiting: list[Waiting], now: float) -> list[Waiting]:
    """The candidates a call chose among, computed independently of ``choose``."""
    main = [t for t in waiting if is_main(t, COUNTER, day.main)]
    helped = [t for t in waiting if is_helped(t, day.helps, day.main)]
    if not main:
        return helped
    if not day.profile.help_after_target:
        return main
    due = past_target(helped, now, TARGETS)
    return main + [t for t in helped if t.service in due]


@settings(max_examples=200, deadline=None)
@given(specs, mains, st.sampled_from(["longest_wait", "target_ratio"]))
def test_first_without_helps_is_the_old_policy(spec, main, policy) -> None:
    """The default profile calls exactly what ``call_next.choose_next`` always called."""
    day = make_day(CallProfile(policy=policy), main, frozenset(), Run(), spec)
    expected = choose_next(day.waiting, COUNTER, main, policy, START, TARGETS)
    chosen = day.call()
    assert (chosen.ticket if chosen else None) == expected


@settings(max_examples=200, deadline=None)
@given(profiles, specs, arrivals, mains, helpers, runs)
def test_helping_only_when_the_main_ones_are_empty_or_the_helped_one_is_past_target(
    profile, spec, arriving, main, helps, run
) -> None:
    day = make_day(profile, main, helps, run, spec, step_s=60.0)
    for arrival in arriving:
        arrive(day, arrival)
        day.call()
    while day.call():
        pass
    for choice, before, _, now in day.calls:
        ticket = choice.ticket
        assert is_main(ticket, COUNTER, day.main) or is_helped(ticket, day.helps, day.main)
        if choice.rule == "help":
            assert not is_main(ticket, COUNTER, day.main)
            main_waited = any(is_main(t, COUNTER, day.main) for t in before)
            oldest = min(
                t.issued_at
                for t in before
                if t.service == ticket.service and t.target_counter is None
            )
            assert not main_waited or (
                profile.help_after_target and now - oldest > TARGETS[ticket.service]
            )
        else:
            assert is_main(ticket, COUNTER, day.main)
    # and calling until empty calls every ticket the counter may call, once
    called = [c[0].ticket.id for c in day.calls]
    assert len(called) == len(set(called))
    assert not [t for t in day.waiting if is_main(t, COUNTER, day.main)]
    assert not [t for t in day.waiting if is_helped(t, day.helps, day.main)]


@settings(max_examples=200, deadline=None)
@given(profiles, specs, arrivals, mains, helpers, runs)
def test_the_ratio_holds_over_any_window_while_both_kinds_wait(
    profile, spec, arriving, main, helps, run
) -> None:
    """ratio N: in any run of calls made while both kinds waited, the priority calls of a window
    of w calls are floor or ceil of w / (N + 1); capped M: the normal ones, of w / (M + 1)."""
    day = make_day(profile, main, helps, run, spec, step_s=30.0)
    for arrival in arriving:
        arrive(day, arrival)
        day.call()
    while day.call():
        pass
    stretches: list[list[bool]] = [[]]
    for choice, before, _, now in day.calls:
        kinds = {t.priority for t in pool_of(day, before, now)}
        if kinds == {True, False}:
            stretches[-1].append(choice.ticket.priority)
        elif stretches[-1]:
            stretches.append([])
    if profile.priority == "first":
        assert all(all(stretch) for stretch in stretches)
        return
    period = (
        profile.normal_per_priority + 1
        if profile.priority == "ratio"
        else profile.max_priority_run + 1
    )
    minority = profile.priority == "ratio"  # ratio: priority is the one in N + 1; capped: normal
    for stretch in stretches:
        for start in range(len(stretch)):
            for end in range(start + 1, len(stretch) + 1):
                window = stretch[start:end]
                count = sum(1 for p in window if p == minority)
                w = len(window)
                assert w // period <= count <= -(-w // period), (stretch, start, end)


@settings(max_examples=200, deadline=None)
@given(profiles, specs, arrivals, mains, helpers, runs)
def test_priority_is_never_called_after_a_later_normal_unless_the_ratio_says_so(
    profile, spec, arriving, main, helps, run
) -> None:
    day = make_day(profile, main, helps, run, spec, step_s=45.0)
    for arrival in arriving:
        arrive(day, arrival)
        day.call()
    while day.call():
        pass
    for choice, before, run_then, now in day.calls:
        ticket = choice.ticket
        if ticket.priority:
            continue
        candidates = pool_of(day, before, now)
        earlier_priority = [t for t in candidates if t.priority and t.issued_at <= ticket.issued_at]
        if not earlier_priority:
            continue
        # a normal ticket passed an earlier priority one: only the ratio (or the cap) allows it
        assert choice.rule == ("help" if is_helped(ticket, day.helps, day.main) else "ratio")
        if profile.priority == "ratio":
            assert run_then.of("normal") < profile.normal_per_priority
        else:
            assert profile.priority == "capped"
            assert run_then.of("priority") >= profile.max_priority_run


@settings(max_examples=300, deadline=None)
@given(profiles, specs, arrivals, mains, helpers, runs, st.data())
def test_a_waiting_ticket_is_called_within_the_bound(
    profile, spec, arriving, main, helps, run, data
) -> None:
    """A ticket in the counter's pool is called within K = bound(profile, kind, ahead) calls,
    whatever arrives meanwhile (time moving on, under longest wait; at a fixed time under the
    target ratio, whose order moves with the clock)."""
    step = 20.0 if profile.policy == "longest_wait" else 0.0
    day = make_day(profile, main, helps, run, spec, step_s=step)
    # a ticket that stays in the pool: a main one, or a helped one itself past its target
    # (its service stays past target at least until the ticket itself is called)
    in_pool = [
        t
        for t in pool_of(day, day.waiting, day.now)
        if is_main(t, COUNTER, day.main)
        or (profile.help_after_target and day.now - t.issued_at > TARGETS[t.service])
    ]
    if not in_pool:
        return
    target = data.draw(st.sampled_from(in_pool))
    mine = order_key(target, profile.policy, day.now, TARGETS)
    callable_here = [
        t for t in day.waiting if is_main(t, COUNTER, day.main) or is_helped(t, day.helps, day.main)
    ]
    ahead = sum(
        1
        for t in callable_here
        if t.priority == target.priority and order_key(t, profile.policy, day.now, TARGETS) < mine
    )
    limit = bound(profile, target.priority, ahead)
    if limit is None:  # a normal ticket under "first": also every priority ticket that comes
        limit = ahead + 1 + sum(1 for t in callable_here if t.priority)
        limit += sum(1 for _, priority, _ in arriving if priority)
    calls = 0
    arriving = list(arriving)
    while True:
        if arriving:
            arrive(day, arriving.pop(0))
        choice = day.call()
        assert choice is not None
        calls += 1
        if choice.ticket == target:
            break
        assert calls < limit, (calls, limit, profile, spec, main, helps, run, target, day.calls)
    assert calls <= limit


def test_ratio_two_normal_then_one_priority_by_example() -> None:
    profile = CallProfile(priority="ratio", normal_per_priority=2)
    day = make_day(profile, frozenset({"a"}), frozenset(), Run(), [])
    for i in range(6):
        day.waiting.append(Waiting(i + 1, "a", i % 2 == 0, START - 100 + i, None))
    kinds = []
    rules = []
    while choice := day.call():
        kinds.append("P" if choice.ticket.priority else "N")
        rules.append(choice.rule)
    assert "".join(kinds) == "NNPNPP"
    assert rules[:4] == ["ratio"] * 4


def test_a_helped_service_past_target_is_helped_before_younger_main_tickets() -> None:
    profile = CallProfile(help_after_target=True)
    day = make_day(profile, frozenset({"a"}), frozenset({"b"}), Run(), [])
    day.waiting += [
        Waiting(1, "a", False, START - 10, None),
        Waiting(2, "b", False, START - 200, None),  # b's target is 600 s: not yet
    ]
    assert day.call().rule == "main"
    day.waiting.append(Waiting(3, "a", False, START - 5, None))
    day.now = START + 500  # b has waited 700 s now: past its target
    choice = day.call()
    assert (choice.ticket.id, choice.rule) == (2, "help")
