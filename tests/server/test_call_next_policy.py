"""Property tests (hypothesis) of the call-next policy and the ticket lifecycle, pure domain."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from server.domain.call_next import Waiting, choose_next, order_key
from server.domain.errors import Refusal
from server.domain.tickets import ACTIONS, FINAL, STATES, TRANSITIONS, next_state

SERVICES = ["a", "b", "c", "d"]
COUNTERS = ["c1", "c2"]

waiting_lists = st.lists(
    st.builds(
        Waiting,
        id=st.integers(1, 10_000),
        service=st.sampled_from(SERVICES),
        priority=st.booleans(),
        issued_at=st.floats(0, 10_000, allow_nan=False),
        target_counter=st.one_of(st.none(), st.sampled_from(COUNTERS)),
    ),
    max_size=30,
    unique_by=lambda t: t.id,
)
served = st.frozensets(st.sampled_from(SERVICES), min_size=1)
policies = st.sampled_from(["longest_wait", "target_ratio"])
targets = st.fixed_dictionaries({s: st.floats(60, 3600) for s in SERVICES})


def eligible(ticket: Waiting, counter: str, services: frozenset[str]) -> bool:
    if ticket.target_counter is not None:
        return ticket.target_counter == counter
    return ticket.service in services


@settings(max_examples=300, deadline=None)
@given(waiting_lists, served, st.sampled_from(COUNTERS), policies, targets)
def test_choice_is_eligible_priority_first_and_first_in_order(
    waiting, services, counter, policy, target
) -> None:
    chosen = choose_next(waiting, counter, services, policy, 10_000.0, target)
    candidates = [t for t in waiting if eligible(t, counter, services)]
    if not candidates:
        assert chosen is None
        return
    assert chosen in candidates
    if any(t.priority for t in candidates):
        assert chosen.priority
    key = order_key(chosen, policy, 10_000.0, target)
    assert all(key <= order_key(t, policy, 10_000.0, target) for t in candidates)
    if policy == "longest_wait":
        same = [t for t in candidates if t.priority == chosen.priority]
        assert chosen.issued_at == min(t.issued_at for t in same)


@settings(max_examples=200, deadline=None)
@given(waiting_lists, served, st.sampled_from(COUNTERS), policies, targets)
def test_calling_until_empty_calls_each_eligible_ticket_exactly_once(
    waiting, services, counter, policy, target
) -> None:
    remaining = list(waiting)
    called = []
    while chosen := choose_next(remaining, counter, services, policy, 10_000.0, target):
        called.append(chosen.id)
        remaining.remove(chosen)
    assert sorted(called) == sorted(t.id for t in waiting if eligible(t, counter, services))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(ACTIONS), max_size=20))
def test_lifecycle_never_leaves_a_final_state_and_refuses_illegal_moves(actions) -> None:
    state = "waiting"
    for action in actions:
        try:
            after = next_state(state, action)
        except Refusal as refusal:
            assert refusal.code == "wrong_state"
            assert (state, action) not in TRANSITIONS
            continue
        assert state not in FINAL
        assert after in STATES
        state = after


def test_every_state_can_reach_a_final_state() -> None:
    for state in STATES:
        seen, frontier = {state}, [state]
        while frontier:
            current = frontier.pop()
            for (origin, _), target in TRANSITIONS.items():
                if origin == current and target not in seen:
                    seen.add(target)
                    frontier.append(target)
        assert seen & FINAL, state
