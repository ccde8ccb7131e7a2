"""Property tests (hypothesis) of the people-ahead rule and the wait estimate, pure domain.

The rule's promise: the people ahead of a ticket are exactly the tickets its counters would call
before it. The tests check that against the call-next policy itself, by calling until it comes.
"""

from __future__ import annotations

from collections import Counter as Tally

from hypothesis import given, settings
from hypothesis import strategies as st

from nafitha.estimate import wait_seconds
from server.domain.ahead import (
    ahead_counted,
    ahead_of,
    ahead_of_new,
    by_service,
    callable_at,
    reach,
    served_at,
)
from server.domain.call_next import Waiting, choose_next, order_key

SERVICES = ["a", "b", "c", "d"]
COUNTERS = ["k1", "k2", "k3"]
NOW = 10_000.0

waiting_lists = st.lists(
    st.builds(
        Waiting,
        id=st.integers(1, 10_000),
        service=st.sampled_from(SERVICES),
        priority=st.booleans(),
        issued_at=st.floats(0, NOW, allow_nan=False),
        target_counter=st.one_of(st.none(), st.none(), st.sampled_from(COUNTERS)),
    ),
    min_size=1,
    max_size=25,
    unique_by=lambda t: t.id,
)
# Which services each counter serves (a counter may serve none).
serving = st.fixed_dictionaries({c: st.frozensets(st.sampled_from(SERVICES)) for c in COUNTERS})
opened = st.frozensets(st.sampled_from(COUNTERS))
policies = st.sampled_from(["longest_wait", "target_ratio"])
targets = st.fixed_dictionaries({s: st.floats(60, 3600) for s in SERVICES})


def counters_of(serves: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    return {s: frozenset(c for c, ss in serves.items() if s in ss) for s in SERVICES}


def calls_before(
    ticket: Waiting, waiting: list[Waiting], counter: str, serves, policy, target
) -> set[int] | None:
    """What ``counter`` alone calls before ``ticket``, calling until it comes (None: never)."""
    left = list(waiting)
    called: set[int] = set()
    while True:
        chosen = choose_next(left, counter, serves[counter], policy, NOW, target)
        if chosen is None:
            return None
        if chosen.id == ticket.id:
            return called
        called.add(chosen.id)
        left.remove(chosen)


@settings(max_examples=150, deadline=None)
@given(waiting_lists, st.data(), serving, opened, policies, targets)
def test_people_ahead_are_the_tickets_its_counters_call_first(
    waiting, data, serves, open_now, policy, target
) -> None:
    ticket = data.draw(st.sampled_from(waiting))
    where = reach(ticket.service, ticket.target_counter, counters_of(serves), open_now)
    before = ahead_of(ticket, waiting, where.counters, serves, policy, NOW, target)
    expected: set[int] = set()
    for counter in where.counters:
        called = calls_before(ticket, waiting, counter, serves, policy, target)
        assert called is not None  # every counter it waits through can call it
        expected |= called
    assert {t.id for t in before} == expected
    assert ticket not in before


@settings(max_examples=150, deadline=None)
@given(waiting_lists, serving, opened)
def test_callable_when_and_only_when_an_open_counter_can_call_it(waiting, serves, open_now) -> None:
    for ticket in waiting:
        where = reach(ticket.service, ticket.target_counter, counters_of(serves), open_now)
        assert where.callable == callable_at(ticket, open_now, serves)
        if where.callable:
            assert where.counters <= open_now
        assert all(callable_at(ticket, frozenset({c}), serves) for c in where.counters)


@settings(max_examples=150, deadline=None)
@given(
    waiting_lists,
    serving,
    opened,
    st.sampled_from(SERVICES),
    st.booleans(),
    policies,
    targets,
)
def test_counts_for_a_ticket_issued_now_agree_with_the_rule(
    waiting, serves, open_now, service, priority, policy, target
) -> None:
    new = Waiting(max(t.id for t in waiting) + 1, service, priority, NOW)
    where = reach(service, None, counters_of(serves), open_now)
    counts = Tally((t.service, t.priority) for t in waiting)
    sent = [t for t in waiting if t.target_counter is not None]
    fast = ahead_of_new(priority, counts, sent, where.counters, serves)
    slow = by_service(ahead_of(new, waiting, where.counters, serves, policy, NOW, target))
    assert fast == slow


@settings(max_examples=150, deadline=None)
@given(waiting_lists, st.data(), serving, opened, policies, targets)
def test_counts_of_the_tickets_ordered_before_agree_with_the_rule(
    waiting, data, serves, open_now, policy, target
) -> None:
    """What the store counts for a waiting ticket (longest wait) gives the rule's answer."""
    ticket = data.draw(st.sampled_from(waiting))
    where = reach(ticket.service, ticket.target_counter, counters_of(serves), open_now)
    mine = order_key(ticket, policy, NOW, target)
    ordered_before = [t for t in waiting if order_key(t, policy, NOW, target) < mine]
    counts = Tally(t.service for t in ordered_before)
    sent = [t for t in ordered_before if t.target_counter is not None]
    fast = ahead_counted(counts, sent, where.counters, serves)
    slow = by_service(ahead_of(ticket, waiting, where.counters, serves, policy, NOW, target))
    assert fast == slow


@settings(max_examples=100, deadline=None)
@given(waiting_lists, st.data(), serving, opened, policies, targets)
def test_one_more_waiting_ticket_never_lowers_anyones_count(
    waiting, data, serves, open_now, policy, target
) -> None:
    ticket, extra = waiting[0], data.draw(st.sampled_from(waiting))
    others = [t for t in waiting if t.id != extra.id or t.id == ticket.id]
    where = reach(ticket.service, ticket.target_counter, counters_of(serves), open_now)
    fewer = ahead_of(ticket, others, where.counters, serves, policy, NOW, target)
    more = ahead_of(ticket, waiting, where.counters, serves, policy, NOW, target)
    assert len(fewer) <= len(more)


@settings(max_examples=150, deadline=None)
@given(waiting_lists, serving, opened, st.sampled_from(SERVICES), st.booleans())
def test_ahead_only_of_services_its_counters_serve_or_sent_to_them(
    waiting, serves, open_now, service, priority
) -> None:
    where = reach(service, None, counters_of(serves), open_now)
    counts = Tally((t.service, t.priority) for t in waiting)
    sent = [t for t in waiting if t.target_counter is not None]
    found = ahead_of_new(priority, counts, sent, where.counters, serves)
    reachable = served_at(where.counters, serves) | {
        t.service for t in sent if t.target_counter in where.counters
    }
    assert set(found) <= reachable
    assert all(count > 0 for count in found.values())


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(st.sampled_from(SERVICES), st.integers(0, 50)),
    serving,
    opened,
    st.sampled_from(SERVICES),
    st.sampled_from(SERVICES),
)
def test_the_wait_grows_with_the_people_ahead_and_is_zero_with_nobody(
    counts, serves, open_now, service, more
) -> None:
    times = {s: 60.0 * (i + 1) for i, s in enumerate(SERVICES)}
    of = counters_of(serves)
    assert wait_seconds(service, {}, times, of, open_now) == 0
    base = wait_seconds(service, counts, times, of, open_now)
    grown = wait_seconds(service, {**counts, more: counts.get(more, 0) + 1}, times, of, open_now)
    assert 0 <= base <= grown


def test_one_counter_serving_only_our_service_waits_the_sum_of_service_times() -> None:
    serves = {"k1": frozenset({"a"}), "k2": frozenset({"a", "b"})}
    of = {"a": frozenset({"k1", "k2"}), "b": frozenset({"k2"})}
    assert wait_seconds("a", {"a": 4}, {"a": 300.0}, of, frozenset({"k1"})) == 1200
    # Two open counters share our work; b's tickets take k2 whole, so half of it is ours.
    both = frozenset({"k1", "k2"})
    assert wait_seconds("a", {"a": 4, "b": 2}, {"a": 300.0, "b": 600.0}, of, both) == (
        (4 * 300 + 2 * 600) / 2
    )
    # A ticket of b sent to k1 (no b there) takes k1 whole.
    assert wait_seconds("a", {"b": 1}, {"b": 600.0}, of, frozenset({"k1"})) == 600
    assert serves  # the catalog the figures above describe


def test_a_ticket_sent_to_a_counter_waits_only_for_that_counter() -> None:
    serves = {"k1": frozenset({"a"}), "k2": frozenset({"a"})}
    sent = Waiting(1, "a", False, 100.0, target_counter="k2")
    plain = Waiting(2, "a", False, 50.0)
    of = counters_of(serves)
    where = reach("a", None, of, frozenset({"k1"}))
    assert ahead_of_new(False, {("a", False): 2}, [sent], where.counters, serves) == {"a": 1}
    mine = reach(sent.service, sent.target_counter, of, frozenset({"k1"}))
    assert not mine.callable and mine.counters == frozenset({"k2"})
    assert ahead_of(sent, [sent, plain], mine.counters, serves) == [plain]
