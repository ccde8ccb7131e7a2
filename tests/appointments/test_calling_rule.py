"""The calling rule for appointment tickets (server/domain/appointment_calling.py) as call-next
and the calling profiles apply it, property-tested over random queues and clocks."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from server.config import CallProfile
from server.domain import appointment_calling as rule
from server.domain.call_next import Waiting, choose_next, order_key
from server.domain.calling_profile import Run, choose

SERVICES = ("a", "b")


@st.composite
def queues(draw: st.DrawFn) -> tuple[list[Waiting], float]:
    """Waiting tickets, some of them appointment tickets, and a moment to call at."""
    now = draw(st.integers(0, 10_000))
    tickets = []
    for i in range(draw(st.integers(0, 14))):
        issued = draw(st.integers(0, now))
        slot = draw(st.none() | st.integers(0, 12_000))
        tickets.append(
            Waiting(
                i + 1,
                draw(st.sampled_from(SERVICES)),
                draw(st.booleans()),
                float(issued),
                None,
                None if slot is None else float(slot),
            )
        )
    return tickets, float(now)


profiles = st.builds(
    CallProfile,
    priority=st.sampled_from(["first", "ratio", "capped"]),
    normal_per_priority=st.integers(1, 4),
    max_priority_run=st.integers(1, 4),
)
runs = st.builds(Run, st.sampled_from([None, "normal", "priority"]), st.integers(0, 5)).map(
    lambda r: Run(r.kind, r.length if r.kind else 0)
)


@given(queues(), profiles, runs)
def test_an_appointment_ticket_is_never_called_before_its_slot(queue, profile, run) -> None:
    tickets, now = queue
    chosen = choose(tickets, "c1", frozenset(SERVICES), frozenset(), profile, run, now)
    if chosen is not None:
        assert rule.callable_now(chosen.ticket, now)
        assert chosen.ticket.appointment_at is None or chosen.ticket.appointment_at <= now
    callable_ones = [t for t in tickets if rule.callable_now(t, now)]
    assert (chosen is None) == (not callable_ones)


@given(queues(), profiles, runs)
def test_within_its_kind_the_earliest_call_time_is_called(queue, profile, run) -> None:
    """An appointment ticket is ahead of every walk-in of its kind who came after its slot,
    and behind those who came before it: the order is the call time, then the id."""
    tickets, now = queue
    chosen = choose(tickets, "c1", frozenset(SERVICES), frozenset(), profile, run, now)
    if chosen is None:
        return
    same_kind = [
        t for t in tickets if t.priority == chosen.ticket.priority and rule.callable_now(t, now)
    ]
    first = min(same_kind, key=lambda t: (rule.call_at(t), t.id))
    assert chosen.ticket == first
    for walk_in in same_kind:
        if walk_in.appointment_at is None and walk_in.issued_at > rule.call_at(chosen.ticket):
            assert order_key(chosen.ticket, "longest_wait", now, {}) < order_key(
                walk_in, "longest_wait", now, {}
            )


@given(queues())
def test_the_plain_policy_applies_the_same_rule(queue) -> None:
    tickets, now = queue
    chosen = choose_next(tickets, "c1", frozenset(SERVICES), "longest_wait", now)
    ready = [t for t in tickets if rule.callable_now(t, now)]
    if not ready:
        assert chosen is None
        return
    best = min(ready, key=lambda t: (-int(t.priority), rule.call_at(t), t.id))
    assert chosen == best


@given(queues())
def test_without_appointment_tickets_nothing_changes(queue) -> None:
    """Walk-in tickets alone are called exactly as before: by issue time."""
    tickets, now = queue
    walk_ins = [Waiting(t.id, t.service, t.priority, t.issued_at) for t in tickets]
    chosen = choose_next(walk_ins, "c1", frozenset(SERVICES), "longest_wait", now)
    if walk_ins:
        assert chosen == min(walk_ins, key=lambda t: (-int(t.priority), t.issued_at, t.id))


times = st.floats(0, 100_000, allow_nan=False)


@given(times, times, st.integers(0, 120), st.integers(0, 240))
def test_check_in_on_time_late_or_too_early(slot_at, now, grace_min, early_min) -> None:
    grace, early = grace_min * 60.0, early_min * 60.0
    got = rule.check_in(slot_at, "2026-11-23", "2026-11-23", now, grace, early)
    if now < slot_at - early:
        assert got == "too_early"
    elif now <= slot_at + grace:
        assert got == "on_time"
    else:
        assert got == "late"
        # a booking still not checked in by then reads as a no-show
        assert rule.status_now("booked", slot_at, now, grace) == "no_show"
    assert rule.check_in(slot_at, "2026-11-24", "2026-11-23", now, grace, early) == "wrong_day"


@given(st.sampled_from(["booked", "checked_in", "cancelled", "no_show"]), times, times)
def test_only_a_booked_booking_becomes_a_no_show(status, slot_at, now) -> None:
    got = rule.status_now(status, slot_at, now, 900.0)
    if status != "booked":
        assert got == status
    else:
        assert got == ("no_show" if now > slot_at + 900.0 else "booked")
